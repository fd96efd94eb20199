// The k-nearest-neighbour graph (scikit-learn's `kneighbors_graph`): exact neighbours from wasm
// (assembly/neighbors/kneighbors.ts: a brute force, a uniform grid for d ≤ 3, or groups of rows about centres that
// bound their distances for d > 3), distances recomputed in float64 from the caller's data.
import { copyRows, type Data, type DataInput, readData } from '../core/data';
import { assertUnreachable, describe, WasmeansError } from '../core/errors';
import { type OptionsOf, type ParamSpecs, resolveParams } from '../core/params';
import type { CsrMatrix } from '../core/sparse';
import { GRID_ARGS_BYTES, GROUP_ARGS_BYTES, writeGridArgs, writeGroupArgs } from '../generated/kernels';
import { f32View, f64View, i32View } from '../runtime/arena';
import { type MapChunks, mapChunks, type MapRange } from '../runtime/chunks';
import type { Engine } from '../cluster/threads';
import { ingest, powerOfTwoScale, scalbn } from '../runtime/ingest';
import { graphKernels } from '../runtime/graph';
import type { Kernels } from '../runtime/module';


export type KNeighborsMode = 'connectivity' | 'distance';

export function kneighborsGraphParams() {
  return {
    /** Whether each sample is its own first neighbour, at distance 0 (scikit-learn's include_self). */
    includeSelf: { kind: 'boolean', fallback: false },
    /** 'connectivity': entries 1; 'distance': the Euclidean distances. */
    mode: { values: ['connectivity', 'distance'], fallback: 'connectivity' },
  } as const satisfies ParamSpecs;
}
export type KNeighborsGraphOptions = OptionsOf<ReturnType<typeof kneighborsGraphParams>>;

/** Query rows per kernel call. */
const QUERY_CHUNK = 256;

/**
 * The graph of each row's nNeighbors nearest rows in Euclidean distance, as scikit-learn 1.2's
 * `kneighbors_graph`: row i lists its neighbours by distance ascending, ties to the lower index. Without
 * includeSelf the row itself is never its own neighbour; with it, it comes first at distance 0.
 */
export function kneighborsGraph(x: DataInput, nNeighbors: number, options?: KNeighborsGraphOptions): CsrMatrix {
  const { includeSelf, mode } = resolveParams(kneighborsGraphParams(), options, 'kneighborsGraph');
  const data = readData(x, 'X');
  const n = data.rows;
  const maxNeighbors = includeSelf ? n : n - 1;
  if (maxNeighbors < 1) {
    throw new WasmeansError('INVALID_INPUT', 'X has 1 row, which has no other rows to be its neighbours; pass includeSelf: true or more rows');
  }
  if (typeof nNeighbors !== 'number' || !Number.isInteger(nNeighbors) || nNeighbors < 1 || nNeighbors > maxNeighbors) {
    const why = includeSelf ? `nSamples=${n}` : `nSamples − 1 = ${n - 1} (each row's other rows; includeSelf is false)`;
    throw new WasmeansError('INVALID_PARAMETER', `nNeighbors must be an integer in [1, ${maxNeighbors}], at most ${why}; got ${describe(nNeighbors)}`);
  }
  // Neighbours other than the row itself.
  const nOthers = includeSelf ? nNeighbors - 1 : nNeighbors;
  const others = nOthers > 0 ? searchOthers(data, nOthers).indices : new Int32Array(0);

  const indptr = new Int32Array(n + 1);
  const indices = new Int32Array(n * nNeighbors);
  const values = new Float64Array(n * nNeighbors);
  const d = data.cols;
  const a = new Float64Array(d);
  const b = new Float64Array(d);
  const order = Array.from({ length: nOthers }, (_, s) => s);
  const dist = new Float64Array(nOthers);
  const diff = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    indptr[i + 1] = (i + 1) * nNeighbors;
    let out = i * nNeighbors;
    if (includeSelf) {
      indices[out] = i;
      values[out++] = 0;
    }
    // Exact float64 distances; the float32 order is refined with them, so each row is sorted by (distance, index).
    copyRows(data, i, 1, a);
    for (let s = 0; s < nOthers; s++) {
      copyRows(data, others[i * nOthers + s], 1, b);
      dist[s] = distance(a, b, diff);
      order[s] = s;
    }
    order.sort((p, q) => dist[p] - dist[q] || others[i * nOthers + p] - others[i * nOthers + q]);
    for (const s of order) {
      indices[out] = others[i * nOthers + s];
      values[out++] = dist[s];
    }
  }
  switch (mode) {
    case 'connectivity':
      values.fill(1);
      break;
    case 'distance':
      break;
    default:
      assertUnreachable(mode);
  }
  return { indptr, indices, data: values, rows: n, cols: n };
}

/**
 * ‖a − b‖ in float64: the plain sum of squares where it neither overflows nor underflows, and otherwise the same
 * free of both: the differences squared scaled by a power of two of their largest (of the halves, for differences
 * beyond float64, of values near ±1.8e308).
 */
function distance(a: Float64Array, b: Float64Array, diff: Float64Array): number {
  let sum = 0;
  for (let t = 0; t < a.length; t++) sum += (diff[t] = a[t] - b[t]) ** 2;
  // Terms lost to underflow are then below the sum's last bit.
  if (sum >= 2 ** -969 && sum < Infinity) return Math.sqrt(sum);
  let half = 1;
  let largest = 0;
  for (let t = 0; t < a.length; t++) largest = Math.max(largest, Math.abs(diff[t]));
  if (largest === Infinity) {
    half = 0.5;
    largest = 0;
    for (let t = 0; t < a.length; t++) largest = Math.max(largest, Math.abs((diff[t] = a[t] * half - b[t] * half)));
  }
  const own = powerOfTwoScale(largest);
  sum = 0;
  for (let t = 0; t < a.length; t++) sum += (diff[t] * own) ** 2;
  return scalbn(Math.sqrt(sum), -Math.round(Math.log2(own * half)));
}

/**
 * How the neighbours are searched, all giving the same lists: 'auto' picks the grid for d ≤ 3 from GRID_MIN_SAMPLES
 * rows, the groups for d > 3 from GROUPS_MIN_SAMPLES rows, else the brute force.
 */
export type NeighborsMethod = 'auto' | 'brute' | 'grid' | 'groups';

/** Below this many rows the brute force is as fast as building a grid. */
const GRID_MIN_SAMPLES = 2048;
/**
 * Below this many rows building the groups costs about what they save (a few milliseconds either way); from it,
 * they save up to the share of rows pruning skips, and cost about the brute force where it skips none (features
 * independent and alike).
 */
const GROUPS_MIN_SAMPLES = 4096;

/** Rounds of k-means that move the groups' centres from their strided first picks before the rows are grouped. */
const GROUP_ROUNDS = 2;
/** Rows a group in the rounds' sample: enough for its mean, a fraction of n's cost. */
const GROUP_SAMPLE = 32;

/** About √n groups: the centres a query bounds cost about what one group's rows do. */
function groupCount(n: number): number {
  return Math.max(1, Math.round(Math.sqrt(n)));
}

/**
 * Each row's k nearest other rows (n × k indices, (distance, index) order in float32), from wasm, with their
 * float32 squared distances in X's units times a power of two (the ingest's scale, squared).
 */
export function searchOthers(data: Data, k: number, method: NeighborsMethod = 'auto', engine?: Engine): { indices: Int32Array; sqDistances: Float32Array } {
  const kernels = engine?.kernels ?? graphKernels();
  const map = engine?.map ?? mapChunks;
  const { rows: n, cols: d } = data;
  const what = `kneighborsGraph on ${n}×${d} with nNeighbors=${k}`;
  const useGrid = method === 'grid' || (method === 'auto' && d <= 3 && n >= GRID_MIN_SAMPLES);
  const useGroups = method === 'groups' || (method === 'auto' && d > 3 && n >= GROUPS_MIN_SAMPLES);
  const m = useGroups ? groupCount(n) : 0;
  // Blocks of 4 rows: the brute force's, or the groups' (each group padded to whole blocks).
  const nBlocks = Math.ceil(n / 4) + m;
  const regions = {
    xT: useGrid ? 0 : nBlocks * 4 * d * 4,
    sqDist: n * k * 4,
    indices: n * k * 4,
    grid: GRID_ARGS_BYTES,
    cellRows: useGrid ? n * 4 : 0,
    cellX: useGrid ? n * d * 4 : 0,
    cellStart: useGrid ? (4 * n + 2) * 4 : 0,
    groupArgs: GROUP_ARGS_BYTES,
    centres: m * d * 4,
    centresT: Math.ceil(m / 4) * 4 * d * 4,
    labels: useGroups ? n * 4 : 0,
    centreSq: useGroups ? n * 4 : 0,
    sample: useGroups ? Math.min(n, GROUP_SAMPLE * m) * d * 4 : 0,
    radii: m * 8,
    groupStart: (m + 1) * 4,
    visits: m * m * 4,
    gaps: m * m * 8,
    blockGroup: useGroups ? nBlocks * 4 : 0,
    blockRows: useGroups ? nBlocks * 16 : 0,
    partials: Math.ceil(nBlocks * 4 / QUERY_CHUNK) * 8,
    args: 16 * 8,
  };
  // Shifted by the rounded column means: far-off data keeps its float32 precision, and integer data stays
  // integer, so that its exact ties stay exact.
  const { x, regions: ptr } = ingest(kernels, data, { what, roundShift: true, regions, advice: 'use fewer rows or a smaller nNeighbors' });
  // Query rows in chunks, shared by the engine's threads when there is one.
  const queries = { items: n, chunk: QUERY_CHUNK, partials: ptr.partials, argsPtr: ptr.args };
  if (useGrid) {
    buildGrid(kernels, x, n, d, k, ptr);
    map(kernels, 'kneighborsGrid', [x, n, d, 0, 0, k, ptr.grid, ptr.sqDist, ptr.indices], { startAt: 3, ...queries });
  } else if (useGroups) {
    const blocks = buildGroups(kernels, map, queries, x, n, d, m, ptr);
    map(kernels, 'kneighborsGroups', [x, d, 0, 0, k, ptr.groupArgs, ptr.sqDist, ptr.indices], { ...queries, startAt: 2, items: blocks, chunk: QUERY_CHUNK / 4 });
  } else {
    kernels.packRows4(x, n, d, ptr.xT);
    map(kernels, 'kneighborsChunk', [x, ptr.xT, n, d, 0, 0, k, ptr.sqDist, ptr.indices], { startAt: 4, ...queries });
  }
  return { indices: i32View(kernels, ptr.indices, n * k).slice(), sqDistances: f32View(kernels, ptr.sqDist, n * k).slice() };
}

/**
 * The groups of kneighborsGroups (d > 3): m centres, first rows at even strides, moved by GROUP_ROUNDS rounds of
 * k-means on a sample of rows (a deterministic function of the data alone, whatever the threads); every row in its
 * nearest centre's group, groups kept contiguous (a counting sort, rows in index order) and padded to whole blocks
 * of 4; each group's radius, and the order its queries visit the groups (nearest centres first). Returns the
 * number of blocks.
 */
function buildGroups(
  kernels: Kernels, map: MapChunks, rows: Omit<MapRange, 'startAt'>, xPtr: number, n: number, d: number, m: number,
  ptr: Record<'groupArgs' | 'centres' | 'centresT' | 'labels' | 'centreSq' | 'sample' | 'radii' | 'groupStart' | 'visits' | 'gaps' | 'blockGroup' | 'blockRows' | 'xT', number>,
): number {
  const x = f32View(kernels, xPtr, n * d);
  // `count` rows at even strides into `out`.
  const strided = (count: number, out: Float32Array) => {
    for (let s = 0; s < count; s++) {
      const row = Math.floor(((s + 0.5) * n) / count);
      out.set(x.subarray(row * d, row * d + d), s * d);
    }
  };
  const centres = new Float32Array(m * d);
  strided(m, centres);
  // The rounds take a sample of rows, the final assignment every row.
  const nSample = Math.min(n, GROUP_SAMPLE * m);
  const sample = nSample < n ? ptr.sample : xPtr;
  if (nSample < n) strided(nSample, f32View(kernels, ptr.sample, nSample * d));
  const counts = new Int32Array(m);
  for (let round = 0; ; round++) {
    const [from, count] = round === GROUP_ROUNDS ? [xPtr, n] : [sample, nSample];
    f32View(kernels, ptr.centres, m * d).set(centres);
    kernels.packRows4(ptr.centres, m, d, ptr.centresT);
    map(kernels, 'nearestCentres', [from, d, 0, 0, ptr.centresT, m, ptr.labels, ptr.centreSq], { ...rows, items: count, startAt: 2 });
    const labels = i32View(kernels, ptr.labels, count);
    counts.fill(0);
    for (let i = 0; i < count; i++) counts[labels[i]]++;
    if (round === GROUP_ROUNDS) break;
    const values = f32View(kernels, from, count * d);
    const sums = new Float64Array(m * d);
    for (let i = 0; i < count; i++) {
      const at = labels[i] * d;
      for (let t = 0; t < d; t++) sums[at + t] += values[i * d + t];
    }
    for (let g = 0; g < m; g++) {
      if (counts[g] > 0) for (let t = 0; t < d; t++) centres[g * d + t] = sums[g * d + t] / counts[g];
    }
  }
  // Empty groups go; the others are renumbered in order.
  const renumber = new Int32Array(m);
  let groups = 0;
  for (let g = 0; g < m; g++) {
    renumber[g] = groups;
    if (counts[g] > 0) centres.copyWithin(groups++ * d, g * d, g * d + d);
  }
  const labels = i32View(kernels, ptr.labels, n).map((g) => renumber[g]);
  const centreSq = f32View(kernels, ptr.centreSq, n);
  // Slack beyond rounding: a float32 sum of d squared differences errs by under (d + 2)·2^−24 relative, and
  // underflow by under 3d·2^−150; the bounds widen each float32 term by far more.
  const relSlack = 1e-3 + (d + 2) * 2 ** -22;
  const absSlack = d * 2 ** -140;
  const radii = new Float64Array(groups);
  const groupStart = new Int32Array(groups + 1);
  const sizes = new Int32Array(groups);
  for (let i = 0; i < n; i++) {
    radii[labels[i]] = Math.max(radii[labels[i]], centreSq[i]);
    sizes[labels[i]]++;
  }
  for (let g = 0; g < groups; g++) {
    radii[g] = Math.sqrt(radii[g] * (1 + relSlack) + absSlack);
    groupStart[g + 1] = groupStart[g] + Math.ceil(sizes[g] / 4);
  }
  const nBlocks = groupStart[groups];
  const blockGroup = new Int32Array(nBlocks);
  for (let g = 0; g < groups; g++) blockGroup.fill(g, groupStart[g], groupStart[g + 1]);
  const blockRows = new Int32Array(nBlocks * 4).fill(-1);
  const next = groupStart.map((b) => b * 4);
  for (let i = 0; i < n; i++) blockRows[next[labels[i]]++] = i;
  const xT = f32View(kernels, ptr.xT, nBlocks * 4 * d).fill(0);
  for (let s = 0; s < nBlocks * 4; s++) {
    const i = blockRows[s];
    if (i < 0) continue;
    const at = (s >> 2) * 4 * d + (s & 3);
    for (let t = 0; t < d; t++) xT[at + t * 4] = x[i * d + t];
  }
  // Each group's queries visit the groups by distance between centres: the nearest lower their k-th distance early,
  // and the visit ends where the distance (rounded down by the slack) puts the rest beyond reach.
  const visits = new Int32Array(groups * groups);
  const gaps = new Float64Array(groups * groups);
  const between = new Float64Array(groups);
  const order = Array.from({ length: groups }, (_, h) => h);
  for (let g = 0; g < groups; g++) {
    for (let h = 0; h < groups; h++) {
      let sum = 0;
      for (let t = 0; t < d; t++) sum += (centres[g * d + t] - centres[h * d + t]) ** 2;
      between[h] = h === g ? 0 : Math.sqrt(sum) * (1 - relSlack);
    }
    order.sort((a, b) => (a === g ? -1 : b === g ? 1 : between[a] - between[b] || a - b));
    visits.set(order, g * groups);
    for (let v = 0; v < groups; v++) gaps[g * groups + v] = between[order[v]];
  }
  f32View(kernels, ptr.centres, groups * d).set(centres.subarray(0, groups * d));
  f64View(kernels, ptr.radii, groups).set(radii);
  i32View(kernels, ptr.groupStart, groups + 1).set(groupStart);
  i32View(kernels, ptr.visits, groups * groups).set(visits);
  f64View(kernels, ptr.gaps, groups * groups).set(gaps);
  i32View(kernels, ptr.blockGroup, nBlocks).set(blockGroup);
  i32View(kernels, ptr.blockRows, nBlocks * 4).set(blockRows);
  writeGroupArgs(kernels.memory, ptr.groupArgs, {
    relSlack, absSlack, maxRadius: radii.reduce((a, b) => Math.max(a, b), 0), nGroups: groups, centres: ptr.centres, radii: ptr.radii,
    groupStart: ptr.groupStart, visits: ptr.visits, gaps: ptr.gaps, blockGroup: ptr.blockGroup, blockRows: ptr.blockRows, xT: ptr.xT,
  });
  return nBlocks;
}

/**
 * A uniform grid over the float32 rows (d ≤ 3) with cells of about k/2 rows where the data is spread evenly:
 * rows sorted by cell (a counting sort), at most 4n cells. Cell coordinates use the kernel's formula.
 */
function buildGrid(
  kernels: Kernels, xPtr: number, n: number, d: number, k: number,
  ptr: { grid: number; cellStart: number; cellRows: number; cellX: number },
): void {
  const x = f32View(kernels, xPtr, n * d);
  const low = [0, 0, 0];
  const extent = [0, 0, 0];
  for (let t = 0; t < d; t++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n; i++) {
      lo = Math.min(lo, x[i * d + t]);
      hi = Math.max(hi, x[i * d + t]);
    }
    low[t] = lo;
    extent[t] = hi - lo;
  }
  const spread = extent.filter((e) => e > 0);
  let side = 1;
  if (spread.length > 0) {
    const volume = spread.reduce((a, b) => a * b, 1);
    side = (volume * Math.max(1, k / 2) / n) ** (1 / spread.length);
  }
  const dimsFor = (s: number) => extent.map((e) => (e > 0 ? Math.floor(e / s) + 1 : 1));
  let dims = dimsFor(side);
  while (dims[0] * dims[1] * dims[2] > 4 * n) {
    side *= 1.25;
    dims = dimsFor(side);
  }
  const nCells = dims[0] * dims[1] * dims[2];
  const cellOf = (v: number, t: number) => Math.min(Math.max(Math.floor((v - low[t]) / side), 0), dims[t] - 1);
  const cells = new Int32Array(n);
  const cellStart = new Int32Array(nCells + 1);
  for (let i = 0; i < n; i++) {
    const cx = cellOf(x[i * d], 0);
    const cy = d > 1 ? cellOf(x[i * d + 1], 1) : 0;
    const cz = d > 2 ? cellOf(x[i * d + 2], 2) : 0;
    const cell = (cx * dims[1] + cy) * dims[2] + cz;
    cells[i] = cell;
    cellStart[cell + 1]++;
  }
  for (let c = 0; c < nCells; c++) cellStart[c + 1] += cellStart[c];
  const next = cellStart.slice(0, nCells);
  const cellRows = new Int32Array(n);
  const cellX = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const p = next[cells[i]]++;
    cellRows[p] = i;
    for (let t = 0; t < d; t++) cellX[p * d + t] = x[i * d + t];
  }
  writeGridArgs(kernels.memory, ptr.grid, {
    low0: low[0], low1: low[1], low2: low[2], side, cells0: dims[0], cells1: dims[1], cells2: dims[2],
    cellStart: ptr.cellStart, cellRows: ptr.cellRows, cellX: ptr.cellX,
  });
  i32View(kernels, ptr.cellStart, nCells + 1).set(cellStart);
  i32View(kernels, ptr.cellRows, n).set(cellRows);
  f32View(kernels, ptr.cellX, n * d).set(cellX);
}
