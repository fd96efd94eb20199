/** Stable codes carried by every error the package throws. */
export type WasmeansErrorCode =
  | 'INVALID_INPUT'
  | 'INVALID_PARAMETER'
  | 'NOT_FITTED'
  | 'NOT_INITIALIZED'
  | 'OUT_OF_MEMORY'
  | 'THREAD_FAILED'
  | 'UNSUPPORTED';

/** The one error type wasmeans throws; `code` is stable, the message names the offending value. */
export class WasmeansError extends Error {
  readonly code: WasmeansErrorCode;

  constructor(code: WasmeansErrorCode, message: string) {
    super(message);
    this.name = 'WasmeansError';
    this.code = code;
  }
}

/** Formats a value for an error message: short, and unambiguous about its type. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `${/^[AEIOU]/.test(value.constructor.name) ? 'an' : 'a'} ${value.constructor.name}`;
  return typeof value === 'object' ? `an object (${Object.prototype.toString.call(value)})` : typeof value;
}

/** A size for a message: MiB, GiB or TiB. */
export function formatBytes(bytes: number): string {
  if (bytes >= 2 ** 40) return `${(bytes / 2 ** 40).toFixed(2)} TiB`;
  return bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(2)} GiB` : `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

export function assertUnreachable(value: never): never {
  throw new WasmeansError('INVALID_PARAMETER', `unexpected value ${describe(value)}`);
}
