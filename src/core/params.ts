// The one options mechanism. Every estimator, method and public function declares its parameters once, as plain
// data (`export const kmeansParams = { name: { kind, min, fallback } } as const satisfies ParamSpecs`), each with
// a doc comment; resolveParams validates an options object against a declaration: not an object (null included), an
// unknown key (with a "did you mean"), a value of the wrong kind or out of range: each a WasmeansError in the API's
// own names. The declarations also give the option types (OptionsOf) and the README's option tables
// (test/docs/readme-options.test.ts). They are data, not calls, so that bundlers drop those an app does not use.
import { describe, WasmeansError } from './errors';

/** A bound that may derive from the parameters declared before. */
type Bound = number | ((resolved: Record<string, unknown>) => number);

/**
 * One parameter. Its doc comment, where it is declared, is its one-line doc; an `@default` tag there says what an
 * absent parameter means when that is not a plain value.
 */
export interface Param {
  /** What it takes: an integer, a finite number, true or false, a function, a seed; or `values`, or `check`. */
  readonly kind?: 'integer' | 'number' | 'boolean' | 'function' | 'seed';
  /** The strings it takes. */
  readonly values?: readonly string[];
  /** A value it takes besides its kind ('auto' beside an integer, null beside a count). */
  readonly literal?: string | null;
  /** Range of a number: min <= value (< min excluded when `exclusive`) <= max. */
  readonly min?: Bound;
  readonly max?: Bound;
  readonly exclusive?: boolean;
  /** The default; none (and no `derive`): optional, undefined when absent. */
  readonly fallback?: unknown;
  /** The default when it derives from the parameters declared before this one. */
  readonly derive?: (resolved: Record<string, unknown>) => unknown;
  /** Anything else: the check, which returns the value to use. */
  readonly check?: (value: unknown, name: string, resolved: Record<string, unknown>) => unknown;
}

export type ParamSpecs = Readonly<Record<string, Param>>;

/** The value a parameter takes. */
export type ValueOf<P> =
  | (P extends { check: (...args: never[]) => infer R }
      ? R
      : P extends { values: readonly (infer V)[] }
        ? V
        : P extends { kind: 'boolean' }
          ? boolean
          : P extends { kind: 'function'; fallback: infer F }
            ? F
            : number)
  | (P extends { literal: infer L } ? L : never);

/** What a caller may pass: every parameter optional. */
export type OptionsOf<S extends ParamSpecs> = { -readonly [K in keyof S]?: ValueOf<S[K]> };
/** What resolveParams returns: every parameter present (undefined where optional and absent). */
export type Resolved<S extends ParamSpecs> = {
  -readonly [K in keyof S]: ValueOf<S[K]> | (S[K] extends { fallback: unknown } ? never : S[K] extends { derive: unknown } ? never : undefined);
};

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
 * refused, as is any key not declared. `where` names the caller: 'KMeans', 'KMeans.fit', 'kneighborsGraph'.
 */
export function checkOptions(specs: ParamSpecs, given: unknown, where: string): Record<string, unknown> {
  if (given === undefined) return {};
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    throw invalid(`the options of ${where} must be an object, got ${describe(given)}`);
  }
  const names = Object.keys(specs);
  for (const key of Object.keys(given)) {
    if (names.includes(key)) continue;
    const near = names.find((name) => name.toLowerCase() === key.toLowerCase() || editDistance(name, key) <= 2);
    const hint = near ? `; did you mean "${near}"?` : `; ${where} takes ${names.map((n) => `"${n}"`).join(', ') || 'none'}`;
    throw invalid(`unknown option ${JSON.stringify(key)} for ${where}${hint}`);
  }
  return given as Record<string, unknown>;
}

/** scikit-learn's first positional argument: `new KMeans(4)` is `new KMeans({ nClusters: 4 })`. */
export function positional(name: string, given: unknown): unknown {
  return typeof given === 'number' ? { [name]: given } : given;
}

/**
 * Validates `given` against a declaration (checkOptions), then each parameter: absent ones take their defaults, in
 * declaration order, so that a default or a bound may derive from the parameters before it.
 */
export function resolveParams<S extends ParamSpecs>(specs: S, given: unknown, where: string): Resolved<S> {
  const values = checkOptions(specs, given, where);
  const resolved: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const value = values[name];
    resolved[name] = value !== undefined ? checkParam(spec, value, name, resolved) : spec.derive ? spec.derive(resolved) : spec.fallback;
  }
  return resolved as Resolved<S>;
}

const bound = (b: Bound | undefined, resolved: Record<string, unknown>): number | undefined => (typeof b === 'function' ? b(resolved) : b);

/** One given value against its declaration. */
function checkParam(spec: Param, value: unknown, name: string, resolved: Record<string, unknown>): unknown {
  if (value === spec.literal) return value;
  if (spec.check) return spec.check(value, name, resolved);
  if (spec.values) {
    if (spec.values.includes(value as string)) return value;
    const listed = spec.values.map((v) => `'${v}'`);
    throw invalid(`${name} must be ${listed.length === 2 ? `${listed[0]} or ${listed[1]}` : `one of ${listed.join(', ')}`}, got ${describe(value)}`);
  }
  switch (spec.kind) {
    case 'boolean':
      if (typeof value !== 'boolean') throw invalid(`${name} must be true or false, got ${describe(value)}`);
      return value;
    case 'function':
      if (typeof value !== 'function') throw invalid(`${name} must be a function, got ${describe(value)}`);
      return value;
    case 'seed':
      return checkInteger(name, value, 0, 2 ** 32 - 1);
    case 'number': {
      const min = bound(spec.min, resolved) ?? -Infinity;
      const v = checkNumber(name, value, min);
      if (spec.exclusive && v === min) throw invalid(`${name} must be a finite number > ${min}, got ${describe(value)}`);
      return v;
    }
    default:
      return checkInteger(name, value, bound(spec.min, resolved) ?? 0, bound(spec.max, resolved));
  }
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
