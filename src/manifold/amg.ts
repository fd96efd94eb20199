// A smoothed-aggregation algebraic multigrid hierarchy for a graph Laplacian-like matrix G (symmetric, off-diagonal
// entries ≤ 0, diagonal ≥ the sum of their magnitudes), as pyamg's smoothed_aggregation_solver builds the one
// scikit-learn's amg eigensolver uses. One V-cycle approximates G⁺·b: the spectral embedding's preconditioner, which
// makes the iteration count on the small eigenvalues nearly independent of the graph's size, where a polynomial
// method (Lanczos, Chebyshev) needs ever more products as the wanted eigenvalues crowd towards 0.
import { type CsrMatrix } from '../core/sparse';
import { symmetricEigen } from './linalg';
import { allocate } from '../runtime/arena';
import type { Kernels } from '../runtime/module';

/** Levels stop coarsening at this size; the last is solved with a dense pseudo-inverse. */
const COARSEST_MAX = 64;
/** A level that shrinks by less than this factor ends the hierarchy (its dense solve would not be small). */
const MIN_COARSENING = 0.9;
/** Above this size a coarsest level that stopped shrinking is smoothed, not solved. */
const DENSE_MAX = 2000;
/** Gauss–Seidel sweeps on a coarsest level too large for a dense solve. */
const COARSEST_SWEEPS = 4;
/** Off-diagonal entries weaker than this fraction of √(a_ii·a_jj) do not join aggregates (pyamg's symmetric strength). */
const STRENGTH = 0.08;
/** The prolongator's Jacobi weight: 4/3 over the bound 2 on the spectral radius of D⁻¹G for a Laplacian. */
const PROLONGATOR_WEIGHT = 2 / 3;

interface Level {
  a: CsrMatrix;
  diag: Float64Array;
  /** n × nCoarse and its transpose; absent on the coarsest level. */
  p?: CsrMatrix;
  r?: CsrMatrix;
  /** The coarsest level's pseudo-inverse, row-major, when it is small enough. */
  pinv?: Float64Array;
}

/** The hierarchy, finest level first. */
export interface Multigrid {
  levels: Level[];
}

function diagonalOf(a: CsrMatrix): Float64Array {
  const diag = new Float64Array(a.rows);
  for (let i = 0; i < a.rows; i++) {
    for (let e = a.indptr[i]; e < a.indptr[i + 1]; e++) if (a.indices[e] === i) diag[i] += a.data[e];
  }
  return diag;
}

/**
 * pyamg's standard aggregation: whole strong neighbourhoods whose nodes are all free, then the rest to the
 * neighbouring aggregate they are most strongly tied to, then what remains in neighbourhoods of its own. Nodes
 * without strong neighbours stay out (−1): the smoother alone treats them.
 */
function aggregate(a: CsrMatrix, diag: Float64Array): { labels: Int32Array; count: number } {
  const n = a.rows;
  const { indptr, indices, data } = a;
  const strong = (i: number, e: number) => {
    const j = indices[e];
    return j !== i && -data[e] >= STRENGTH * Math.sqrt(diag[i] * diag[j]);
  };
  const labels = new Int32Array(n).fill(-1);
  let count = 0;
  for (let i = 0; i < n; i++) {
    let free = true;
    let neighbours = 0;
    for (let e = indptr[i]; e < indptr[i + 1] && free; e++) {
      if (!strong(i, e)) continue;
      neighbours++;
      if (labels[indices[e]] >= 0) free = false;
    }
    if (labels[i] >= 0 || !free || neighbours === 0) continue;
    labels[i] = count;
    for (let e = indptr[i]; e < indptr[i + 1]; e++) if (strong(i, e)) labels[indices[e]] = count;
    count++;
  }
  const firstPass = labels.slice();
  for (let i = 0; i < n; i++) {
    if (labels[i] >= 0) continue;
    let best = -1;
    let weight = 0;
    for (let e = indptr[i]; e < indptr[i + 1]; e++) {
      if (strong(i, e) && firstPass[indices[e]] >= 0 && -data[e] > weight) {
        weight = -data[e];
        best = firstPass[indices[e]];
      }
    }
    labels[i] = best;
  }
  for (let i = 0; i < n; i++) {
    if (labels[i] >= 0) continue;
    let neighbours = 0;
    for (let e = indptr[i]; e < indptr[i + 1]; e++) {
      if (strong(i, e) && labels[indices[e]] < 0) {
        labels[indices[e]] = count;
        neighbours++;
      }
    }
    if (neighbours > 0) labels[i] = count++;
  }
  return { labels, count };
}

/** P = (I − ω·D⁻¹G)·P₀ with P₀ the 0/1 aggregation matrix: each row sums its neighbours' aggregates. */
function smoothedProlongator(a: CsrMatrix, diag: Float64Array, labels: Int32Array, count: number): CsrMatrix {
  const n = a.rows;
  const indptr = new Int32Array(n + 1);
  const indices: number[] = [];
  const data: number[] = [];
  const slot = new Int32Array(count).fill(-1);
  for (let i = 0; i < n; i++) {
    const rowStart = indices.length;
    const add = (c: number, v: number) => {
      if (c < 0) return;
      if (slot[c] < rowStart) {
        slot[c] = indices.length;
        indices.push(c);
        data.push(v);
      } else data[slot[c]] += v;
    };
    add(labels[i], 1);
    const scale = diag[i] > 0 ? PROLONGATOR_WEIGHT / diag[i] : 0;
    for (let e = a.indptr[i]; e < a.indptr[i + 1]; e++) add(labels[a.indices[e]], -scale * a.data[e]);
    indptr[i + 1] = indices.length;
  }
  return { indptr, indices: Int32Array.from(indices), data: Float64Array.from(data), rows: n, cols: count };
}

function transpose(m: CsrMatrix): CsrMatrix {
  const indptr = new Int32Array(m.cols + 1);
  for (let e = 0; e < m.indptr[m.rows]; e++) indptr[m.indices[e] + 1]++;
  for (let c = 0; c < m.cols; c++) indptr[c + 1] += indptr[c];
  const fill = indptr.slice(0, m.cols);
  const indices = new Int32Array(m.indptr[m.rows]);
  const data = new Float64Array(m.indptr[m.rows]);
  for (let i = 0; i < m.rows; i++) {
    for (let e = m.indptr[i]; e < m.indptr[i + 1]; e++) {
      const at = fill[m.indices[e]]++;
      indices[at] = i;
      data[at] = m.data[e];
    }
  }
  return { indptr, indices, data, rows: m.cols, cols: m.rows };
}

/** x·y for CSR matrices (Gustavson: one dense accumulator row). */
function multiply(x: CsrMatrix, y: CsrMatrix): CsrMatrix {
  const indptr = new Int32Array(x.rows + 1);
  let indices = new Int32Array(x.indptr[x.rows] + y.rows);
  let data = new Float64Array(indices.length);
  const slot = new Int32Array(y.cols).fill(-1);
  let count = 0;
  for (let i = 0; i < x.rows; i++) {
    const rowStart = count;
    for (let e = x.indptr[i]; e < x.indptr[i + 1]; e++) {
      const k = x.indices[e];
      const v = x.data[e];
      if (count + y.indptr[k + 1] - y.indptr[k] > indices.length) {
        const grown = new Int32Array(2 * indices.length + y.cols);
        grown.set(indices);
        indices = grown;
        const grownData = new Float64Array(grown.length);
        grownData.set(data);
        data = grownData;
      }
      for (let f = y.indptr[k]; f < y.indptr[k + 1]; f++) {
        const c = y.indices[f];
        if (slot[c] < rowStart) {
          slot[c] = count;
          indices[count] = c;
          data[count++] = v * y.data[f];
        } else data[slot[c]] += v * y.data[f];
      }
    }
    indptr[i + 1] = count;
  }
  return { indptr, indices: indices.slice(0, count), data: data.slice(0, count), rows: x.rows, cols: y.cols };
}

/** Dense pseudo-inverse of a small symmetric semidefinite level: eigenvalues below 1e-10 of the largest are dropped. */
function pseudoInverse(a: CsrMatrix): Float64Array {
  const n = a.rows;
  const dense = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let e = a.indptr[i]; e < a.indptr[i + 1]; e++) dense[i * n + a.indices[e]] += a.data[e];
  const { values, vectors } = symmetricEigen(dense, n);
  const largest = Math.max(...values.map(Math.abs), 0);
  const pinv = new Float64Array(n * n);
  for (let c = 0; c < n; c++) {
    if (!(values[c] > 1e-10 * largest)) continue;
    const inv = 1 / values[c];
    for (let i = 0; i < n; i++) {
      const vi = vectors[i * n + c] * inv;
      if (vi === 0) continue;
      for (let j = 0; j < n; j++) pinv[i * n + j] += vi * vectors[j * n + c];
    }
  }
  return pinv;
}

/** The hierarchy of G, coarsened until a level is small or stops shrinking. */
export function buildMultigrid(g: CsrMatrix): Multigrid {
  const levels: Level[] = [{ a: g, diag: diagonalOf(g) }];
  for (;;) {
    const fine = levels[levels.length - 1];
    const n = fine.a.rows;
    if (n <= COARSEST_MAX) break;
    const { labels, count } = aggregate(fine.a, fine.diag);
    if (count === 0 || count > MIN_COARSENING * n) break;
    const p = smoothedProlongator(fine.a, fine.diag, labels, count);
    const r = transpose(p);
    const coarse = multiply(r, multiply(fine.a, p));
    fine.p = p;
    fine.r = r;
    levels.push({ a: coarse, diag: diagonalOf(coarse) });
  }
  const last = levels[levels.length - 1];
  if (last.a.rows <= DENSE_MAX) last.pinv = pseudoInverse(last.a);
  return { levels };
}

interface CsrRegions {
  indptr: number;
  indices: number;
  values: number;
  rows: number;
}

interface LevelRegions {
  a: CsrRegions;
  diag: number;
  p?: CsrRegions;
  r?: CsrRegions;
  pinv?: number;
  /** Right-hand side, iterate and residual of this level. */
  b: number;
  x: number;
  res: number;
}

/** The hierarchy copied into wasm memory, after whatever the caller allocated last. */
export interface LoadedMultigrid {
  levels: LevelRegions[];
  /** The finest level's right-hand side and solution: n f64 each. */
  b: number;
  x: number;
}

export function loadMultigrid(kernels: Kernels, mg: Multigrid, what: string): LoadedMultigrid {
  const sizes: Record<string, number> = {};
  const csrSizes = (key: string, m: CsrMatrix) => {
    sizes[`${key}indptr`] = (m.rows + 1) * 4;
    sizes[`${key}indices`] = m.indptr[m.rows] * 4;
    sizes[`${key}values`] = m.indptr[m.rows] * 8;
  };
  mg.levels.forEach((lv, l) => {
    const n = lv.a.rows;
    csrSizes(`a${l}`, lv.a);
    if (lv.p) csrSizes(`p${l}`, lv.p);
    if (lv.r) csrSizes(`r${l}`, lv.r);
    if (lv.pinv) sizes[`pinv${l}`] = n * n * 8;
    for (const key of ['diag', 'b', 'x', 'res']) sizes[`${key}${l}`] = n * 8;
  });
  const at = allocate(kernels, sizes, what, 'embed fewer nodes, or a sparser graph', true);
  const buffer = kernels.memory.buffer;
  const load = (key: string, m: CsrMatrix): CsrRegions => {
    const nnz = m.indptr[m.rows];
    new Int32Array(buffer, at[`${key}indptr`], m.rows + 1).set(m.indptr);
    new Int32Array(buffer, at[`${key}indices`], nnz).set(m.indices.subarray(0, nnz));
    new Float64Array(buffer, at[`${key}values`], nnz).set(m.data.subarray(0, nnz));
    return { indptr: at[`${key}indptr`], indices: at[`${key}indices`], values: at[`${key}values`], rows: m.rows };
  };
  const levels = mg.levels.map((lv, l): LevelRegions => {
    new Float64Array(buffer, at[`diag${l}`], lv.a.rows).set(lv.diag);
    if (lv.pinv) new Float64Array(buffer, at[`pinv${l}`], lv.pinv.length).set(lv.pinv);
    return {
      a: load(`a${l}`, lv.a), diag: at[`diag${l}`], b: at[`b${l}`], x: at[`x${l}`], res: at[`res${l}`],
      p: lv.p && load(`p${l}`, lv.p), r: lv.r && load(`r${l}`, lv.r), pinv: lv.pinv && at[`pinv${l}`],
    };
  });
  return { levels, b: levels[0].b, x: levels[0].x };
}

function cycle(kernels: Kernels, levels: LevelRegions[], at: number): void {
  const lv = levels[at];
  const { a, diag, b, x, res } = lv;
  const n = a.rows;
  new Float64Array(kernels.memory.buffer, x, n).fill(0);
  if (at === levels.length - 1) {
    // The pseudo-inverse's rows are its columns (symmetric): x_i = ⟨row i, b⟩.
    if (lv.pinv) kernels.dotColumns(lv.pinv, n, n, b, x);
    else for (let sweep = 0; sweep < COARSEST_SWEEPS; sweep++) kernels.csrGaussSeidel(a.indptr, a.indices, a.values, diag, n, b, x, (sweep + 1) % 2);
    return;
  }
  const coarse = levels[at + 1];
  kernels.csrGaussSeidel(a.indptr, a.indices, a.values, diag, n, b, x, 1);
  new Uint8Array(kernels.memory.buffer).copyWithin(res, b, b + n * 8);
  kernels.csrMultiplyAdd(a.indptr, a.indices, a.values, n, x, res, -1);
  const r = lv.r!;
  kernels.csrMatvec(r.indptr, r.indices, r.values, r.rows, res, coarse.b);
  cycle(kernels, levels, at + 1);
  const p = lv.p!;
  kernels.csrMultiplyAdd(p.indptr, p.indices, p.values, p.rows, coarse.x, x, 1);
  kernels.csrGaussSeidel(a.indptr, a.indices, a.values, diag, n, b, x, 0);
}

/** x ≈ G⁺·b by one V(1,1)-cycle with symmetric Gauss–Seidel smoothing, b and x at mg.b, mg.x: a symmetric preconditioner. */
export function multigridCycle(kernels: Kernels, mg: LoadedMultigrid): void {
  cycle(kernels, mg.levels, 0);
}
