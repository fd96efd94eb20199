// The one options mechanism. Every estimator, method and public function declares its parameters once, with
// declareParams(where, { name: kind(...) }), each with a one-line doc comment; resolveParams validates an options
// object against the declaration: not an object (null included), an unknown key (with a "did you mean"), a value of
// the wrong kind or out of range: each a WasmeansError in the API's own names. The declarations also give the
// option types (OptionsOf) and the option tables of the README (test/docs/readme-options.test.ts).
import { describe, WasmeansError } from './errors';

/**
 * How one parameter is checked, and what it becomes when absent. Its doc comment, where it is declared, is its
 * one-line doc; an `@default` tag there says what an absent parameter means when that is not a plain value.
 */
export interface Param<T> {
  /** The default; undefined (and no `derive`): optional, stays undefined when absent. */
  readonly fallback?: T;
  /** The default when it derives from the parameters declared before this one. */
  readonly derive?: (resolved: Record<string, unknown>) => T;
  /** The range of a number, for the README. */
  readonly min?: number;
  readonly max?: number;
  /** Validates a given value (never undefined) under its name; `resolved` holds the parameters declared before it. */
  check(value: unknown, name: string, resolved: Record<string, unknown>): T;
}

export type ParamSpecs = Record<string, Param<unknown>>;

type ValueOf<P> = P extends Param<infer T> ? T : never;
/** What a caller may pass: every parameter optional. */
export type OptionsOf<S extends ParamSpecs> = { [K in keyof S]?: ValueOf<S[K]> };
/** What resolveParams returns: every parameter present (undefined where optional and absent). */
export type Resolved<S extends ParamSpecs> = { [K in keyof S]: ValueOf<S[K]> };

const owners = new WeakMap<object, string>();

/** Declares the parameters of `where` (an estimator, `Class.method` or a function). */
export function declareParams<S extends ParamSpecs>(where: string, specs: S): S {
  owners.set(specs, where);
  return specs;
}

/** Whose parameters these are. */
export function ownerOf(specs: ParamSpecs): string {
  return owners.get(specs) ?? 'options';
}

function invalid(message: string): WasmeansError {
  return new WasmeansError('INVALID_PARAMETER', message);
}

/** Levenshtein distance, for the "did you mean" of an unknown key. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length];
}

/**
 * The options object as given, checked against a declaration: undefined means {}; anything but a plain object is
 * refused, as is any key not declared. `where` names the caller (a shared declaration serves several methods).
 */
export function checkOptions(specs: ParamSpecs, given: unknown, where = ownerOf(specs)): Record<string, unknown> {
  if (given === undefined) return {};
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    throw invalid(`the options of ${where} must be an object, got ${describe(given)}`);
  }
  const names = Object.keys(specs);
  for (const key of Object.keys(given)) {
    if (names.includes(key)) continue;
    const near = names.filter((name) => name.toLowerCase() === key.toLowerCase() || editDistance(name, key) <= 2);
    const hint = near.length > 0 ? `; did you mean "${near[0]}"?` : `; ${where} takes ${names.map((n) => `"${n}"`).join(', ') || 'none'}`;
    throw invalid(`unknown option ${JSON.stringify(key)} for ${where}${hint}`);
  }
  return given as Record<string, unknown>;
}

/**
 * Validates `given` against a declaration (checkOptions), then each parameter: absent ones take their defaults, in
 * declaration order, so that a default or a bound may derive from the parameters before it.
 */
export function resolveParams<S extends ParamSpecs>(specs: S, given: unknown, where = ownerOf(specs)): Resolved<S> {
  const values = checkOptions(specs, given, where);
  const resolved: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const value = values[name];
    resolved[name] = value !== undefined ? spec.check(value, name, resolved) : spec.derive ? spec.derive(resolved) : spec.fallback;
  }
  return resolved as Resolved<S>;
}

type Bound = number | ((resolved: Record<string, unknown>) => number);
const bound = (b: Bound | undefined, resolved: Record<string, unknown>, fallback: number): number =>
  b === undefined ? fallback : typeof b === 'function' ? b(resolved) : b;

/** An integer in [min, max] (either may derive from earlier parameters). */
export function integer(options: { min: Bound; max?: Bound; fallback?: number; derive?: (r: Record<string, unknown>) => number }): Param<number> {
  const { min, max, fallback, derive } = options;
  return {
    fallback,
    derive,
    min: typeof min === 'number' ? min : undefined,
    max: typeof max === 'number' ? max : undefined,
    check: (value, name, resolved) => checkInteger(name, value, bound(min, resolved, 0), bound(max, resolved, Number.MAX_SAFE_INTEGER)),
  };
}

/** A finite number >= min (> min when `exclusive`). */
export function number(options: { min: number; exclusive?: boolean; fallback?: number }): Param<number> {
  return {
    fallback: options.fallback,
    min: options.min,
    check(value, name) {
      const v = checkNumber(name, value, options.min);
      if (options.exclusive && v === options.min) throw invalid(`${name} must be a finite number > ${options.min}, got ${describe(value)}`);
      return v;
    },
  };
}

/** One of the listed strings. */
export function oneOf<T extends string>(values: readonly T[], fallback?: T): Param<T> {
  return {
    fallback,
    check(value, name) {
      if (values.includes(value as T)) return value as T;
      const listed = values.map((v) => `'${v}'`);
      const choice = listed.length === 2 ? `${listed[0]} or ${listed[1]}` : `one of ${listed.join(', ')}`;
      throw invalid(`${name} must be ${choice}, got ${describe(value)}`);
    },
  };
}

/** true or false. */
export function boolean(fallback?: boolean): Param<boolean> {
  return {
    fallback,
    check(value, name) {
      if (typeof value !== 'boolean') throw invalid(`${name} must be true or false, got ${describe(value)}`);
      return value;
    },
  };
}

/** A function (a callback such as onWarning). */
export function callback<F extends (...args: never[]) => unknown>(fallback: F): Param<F> {
  return {
    fallback,
    check(value, name) {
      if (typeof value !== 'function') throw invalid(`${name} must be a function, got ${describe(value)}`);
      return value as F;
    },
  };
}

/** A seed: an integer in [0, 2³² − 1]; absent means a random one. */
export const seed = (): Param<number> => ({ min: 0, max: 2 ** 32 - 1, check: (value, name) => checkInteger(name, value, 0, 2 ** 32 - 1) });

/** Anything else: the caller's own check. */
export function custom<T>(check: (value: unknown, name: string, resolved: Record<string, unknown>) => T, fallback?: T): Param<T> {
  return { fallback, check };
}

/** Either a literal or what `other` takes: `'auto'` beside an integer, `null` beside a count. */
export function orLiteral<L extends string | null, T>(literal: L, other: Param<T>, fallback?: L | T): Param<L | T> {
  return {
    fallback: fallback as L | T | undefined,
    min: other.min,
    max: other.max,
    check: (value, name, resolved) => (value === literal ? literal : other.check(value, name, resolved)),
  };
}

/** Integer check with the value named in the message. */
export function checkInteger(name: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer in [${min}, ${max}]`;
    throw invalid(`${name} must be ${range}, got ${describe(value)}`);
  }
  return value;
}

/** Finite number check with the value named in the message. */
export function checkNumber(name: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw invalid(`${name} must be a finite number >= ${min}, got ${describe(value)}`);
  }
  return value;
}
