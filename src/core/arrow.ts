// Apache Arrow tables, duck-typed (no dependency on apache-arrow): a Matrix that readData then takes as any other.
// Kept out of readData so that an app that clusters no Arrow table does not download it.
import type { Matrix } from './data';
import { WasmeansError } from './errors';

/** What wasmeans reads of an Arrow vector. */
interface ArrowVector {
  type: { typeId: number; listSize?: number; toString(): string };
  nullCount: number;
  isValid(i: number): boolean;
  get(i: number): unknown;
  getChildAt(i: number): ArrowVector | null;
  toArray(): ArrayLike<number>; // Arrow's own ArrayLike (numbers here: checked)
}

/** An Apache Arrow `Table` or `RecordBatch`, as wasmeans reads it. */
export interface ArrowTableLike {
  numRows: number;
  schema: { fields: { name: string }[] };
  getChild(name: string): unknown;
}

/**
 * An Arrow `Table` or `RecordBatch` as a `Matrix`: one FixedSizeList column of numbers (how embeddings are
 * stored: one row each, zero-copy when its values are float32 or float64 in one chunk), or numeric columns side
 * by side. `columns` picks them by name (default: every column). Nulls and non-numeric columns are refused.
 */
export function fromArrow(table: ArrowTableLike, columns?: string[]): Matrix {
  const bad = (what: string) => new WasmeansError('INVALID_INPUT', `table ${what}`);
  const n = table?.numRows;
  if (!table?.schema || !(n >= 1)) throw bad(`must be an Arrow Table or RecordBatch with at least 1 row, got ${n} rows`);
  const names = columns ?? table.schema.fields.map((f) => f.name);
  const values = names.map((name) => {
    const c = table.getChild(name) as ArrowVector | null;
    if (!c) throw bad(`has no column "${name}"`);
    const list = c.type.listSize;
    const v = list ? (c.getChildAt(0) as ArrowVector) : c;
    for (let i = 0; i < n && (c.nullCount || v.nullCount); i++) {
      if (!c.isValid(i) || (list && (c.get(i) as ArrowVector).nullCount)) throw bad(`has a null at row ${i}, column "${name}"`);
    }
    if (v.type.typeId > 3 || typeof v.get(0) !== 'number' || (list && names.length > 1)) {
      throw bad(`has column "${name}" of type ${c.type}; numeric columns, or one FixedSizeList column of numbers, are required`);
    }
    return v.toArray();
  });
  const cols = values[0].length / n;
  if (names.length === 1) {
    const data = values[0] instanceof Float32Array || values[0] instanceof Float64Array ? values[0] : Float64Array.from(values[0]);
    return { data, rows: n, cols };
  }
  const data = new Float64Array(n * names.length);
  values.forEach((v, j) => {
    for (let i = 0; i < n; i++) data[i * names.length + j] = v[i];
  });
  return { data, rows: n, cols: names.length };
}
