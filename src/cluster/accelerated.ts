// Exact accelerated k-means: Hamerly, Elkan and Yinyang runs that give Lloyd's result exactly (same
// labels, nIter, centers and inertia) while evaluating far fewer point–center distances.
//
// How they stay equal to lloydRun: a label is only ever decided by Lloyd's own f32 scores (assembly/cluster/score.ts,
// assembly/cluster/bounds.ts),
// and a center is skipped only when f64 bounds on true distances prove, with a margin covering the f32 rounding
// of the scores, that its score is strictly larger than the kept one's. The weighted sums are accumulated in
// the same pass and order as lloydChunk (bitwise the same), and the stopping rules, the empty-cluster
// relocation and the final E-step are lloydRun's. Bounds follow the centers through their shifts (triangle
// inequality), so relocated centers need nothing special.
//
// Memory on top of the workspace, in the wasm arena: Hamerly 2 f64 per point; Yinyang 1 + t f64 per point
// (t ≈ k/10 groups); Elkan 1 + k f64 per point and k² f64: Elkan refuses with OUT_OF_MEMORY when n·k bounds do
// not fit in wasm32 (use 'hamerly' or 'yinyang' then), it never falls back silently.
import { assertUnreachable, formatBytes, WasmeansError } from '../core/errors';
import { BOUNDS_ARGS_BYTES, type BoundsArgs, writeBoundsArgs } from '../generated/kernels';
import { arenaBytes, i32View, MAX_WASM_BYTES, refuseBeyondWasm32 } from '../runtime/arena';
import { mapChunks } from '../runtime/chunks';
import type { Kernels } from '../runtime/module';
import type { KMeansAlgorithm } from './fit';
import { type LloydResult, lloydRun, sequentialChunks } from './lloyd';
import type { Engine } from './threads';
import { BLOCK, CACHE_LINE, chunksOf, lineAligned, regionsFor, type Workspace } from './workspace';

export type AcceleratedAlgorithm = 'hamerly' | 'elkan' | 'yinyang';

export interface AcceleratedResult extends LloydResult {
  /**
   * Point–center distances evaluated, bound refreshes included (Lloyd evaluates n·k per E-step); in a threaded fit
   * those of the calling thread only (each thread counts its own).
   */
  distanceCount: number;
}

/** One E-step, its sums into the totals (ws.ptr.sums) as Lloyd's chunks form them; returns how many labels changed. */
type Step = (first: number, maxCenterNorm: number) => number;

/** An algorithm's bounds in wasm memory (the BoundsArgs block at `at`), and its E-step kernel. */
interface Bounds {
  at: number;
  step: Step;
}

/** Yinyang's t ≈ k/10 groups, and the lanes they take at most (yinyangLayout). */
function yinyangShape(nClusters: number): { nGroups: number; maxSlots: number } {
  const nGroups = Math.max(1, Math.round(nClusters / 10));
  return { nGroups, maxSlots: maxSlotsFor(nClusters, nGroups) };
}

function maxSlotsFor(nClusters: number, nGroups: number): number {
  return Math.ceil((nClusters + 3 * nGroups) / BLOCK) * BLOCK;
}

/** Each thread slot's block: its BoundsArgs, then its scratch (a row's scores, the quads to score, Yinyang's per-row scratch). */
function slotLayout(algorithm: AcceleratedAlgorithm, nClusters: number) {
  const padded = Math.ceil(nClusters / BLOCK) * BLOCK;
  const { nGroups, maxSlots } = algorithm === 'yinyang' ? yinyangShape(nClusters) : { nGroups: 0, maxSlots: 0 };
  const align = (bytes: number) => Math.ceil(bytes / 16) * 16;
  // Yinyang scores by center in a first step, by slot after.
  const scores = align(BOUNDS_ARGS_BYTES);
  const quads = scores + align(Math.max(padded, maxSlots) * 4);
  const groupScratch = quads + align(Math.max(padded / 4, maxSlots / 4) * 4);
  // Whole cache lines: each thread writes its scratch for every row.
  return { scores, quads, groupScratch, bytes: lineAligned(groupScratch + nGroups * 12 + maxSlots) };
}

/**
 * The regions an algorithm lays out after the workspace, by shape alone (a fit refuses before it allocates): its
 * bounds, and one block with its scratch per thread slot (`slots`).
 */
function boundsSizes(algorithm: AcceleratedAlgorithm, nSamples: number, nFeatures: number, nClusters: number, slots = 1): Record<string, number> {
  const common = {
    blocks: slots * slotLayout(algorithm, nClusters).bytes + CACHE_LINE,
    xNorms: nSamples * 8,
    upper: nSamples * 8,
    oldCenters: nClusters * nFeatures * 4,
    shifts: nClusters * 8,
    halfMin: nClusters * 8,
  };
  switch (algorithm) {
    case 'hamerly':
      return { ...common, lower: nSamples * 8 };
    case 'elkan':
      return { ...common, lower: nSamples * nClusters * 8, cc: nClusters * nClusters * 8, drift: nClusters * 8 };
    case 'yinyang': {
      const { nGroups, maxSlots } = yinyangShape(nClusters);
      return {
        ...common,
        lower: nSamples * nGroups * 8,
        groupOf: nClusters * 4,
        slotCenter: maxSlots * 4,
        slotOf: nClusters * 4,
        groupQuadStart: (nGroups + 1) * 4,
        slotRows: maxSlots * nFeatures * 4,
        slotT: maxSlots * nFeatures * 4,
        slotNorms: maxSlots * 4,
        groupShifts: nGroups * 8,
      };
    }
    default:
      return assertUnreachable(algorithm);
  }
}

/**
 * Refuses with OUT_OF_MEMORY, before anything is allocated, a fit whose workspace and the algorithm's bounds
 * (`workspaceBytes` of them) pass wasm32's 4 GiB; Elkan's n·k bounds with advice of their own.
 */
export function refuseBoundsTooLarge(
  kernels: Kernels, algorithm: KMeansAlgorithm, shape: { nSamples: number; nFeatures: number; nClusters: number; workspaceBytes: number; slots?: number },
  what: string, advice: string,
): void {
  if (algorithm === 'lloyd' || algorithm === 'auto') return refuseBeyondWasm32(kernels, shape.workspaceBytes, what, advice);
  const { nSamples, nFeatures, nClusters } = shape;
  const sizes = boundsSizes(algorithm, nSamples, nFeatures, nClusters, shape.slots);
  if (algorithm === 'elkan' && shape.workspaceBytes + arenaBytes(sizes) > MAX_WASM_BYTES) {
    throw new WasmeansError(
      'OUT_OF_MEMORY',
      `algorithm='elkan' needs n·k lower bounds (${formatBytes(sizes.lower)}), beyond wasm32's 4 GiB with the data; use algorithm='hamerly' or 'yinyang'`,
    );
  }
  refuseBeyondWasm32(kernels, shape.workspaceBytes + arenaBytes(sizes), `${what} with algorithm='${algorithm}'`, advice);
}

/** What a BoundsArgs block holds when an algorithm does not use it. */
const UNUSED: Omit<BoundsArgs, 'xNorms' | 'upper' | 'lower' | 'oldCenters' | 'shifts' | 'halfMin' | 'scores' | 'quads' | 'groupScratch'> = {
  cc: 0, drift: 0, nGroups: 0, groupOf: 0, slotCenter: 0, slotOf: 0, groupQuadStart: 0, nSlots: 0, slotRows: 0, slotT: 0, slotNorms: 0, groupShifts: 0,
};

/**
 * Lays out an algorithm's regions (refusing with OUT_OF_MEMORY before touching memory), writes its BoundsArgs blocks
 * (one per thread slot, each with its own scratch) and fills the row norms. `block` overrides fields of the blocks
 * (Elkan's cc and drift, Yinyang's groups). Row passes and the E-steps go by the E-step's chunks, each chunk's sums
 * into its own partial, binned as Lloyd's: on the engine's threads when there is one.
 */
function prepare(
  ws: Workspace, algorithm: AcceleratedAlgorithm, engine: Engine | undefined, block: (r: Record<string, number>) => Partial<BoundsArgs> = () => ({}),
): Bounds & { r: Record<string, number> } {
  const { kernels, nSamples, nFeatures, nClusters, ptr } = ws;
  const slots = engine?.slots ?? 1;
  const sizes = boundsSizes(algorithm, nSamples, nFeatures, nClusters, slots);
  const laidOut = regionsFor(ws, `${algorithm} ${slots}`, sizes, `algorithm='${algorithm}' on ${nSamples}×${nFeatures} with nClusters=${nClusters}`);
  // What the threads write per row on lines of their own.
  const r: Record<string, number> = { ...laidOut, blocks: lineAligned(laidOut.blocks) };
  const fields = { ...UNUSED, xNorms: r.xNorms, upper: r.upper, lower: r.lower, oldCenters: r.oldCenters, shifts: r.shifts, halfMin: r.halfMin, ...block(r) };
  const layout = slotLayout(algorithm, nClusters);
  for (let slot = 0; slot < slots; slot++) {
    const at = r.blocks + slot * layout.bytes;
    writeBoundsArgs(kernels.memory, at, { ...fields, scores: at + layout.scores, quads: at + layout.quads, groupScratch: at + layout.groupScratch });
  }
  (engine?.map ?? mapChunks)(kernels, 'rowNorms', [ptr.args, r.blocks, 0, 0], chunksOf(ws, 2));
  const kernel = { hamerly: 'hamerlyStep', elkan: 'elkanStep', yinyang: 'yinyangStep' } as const;
  const step: Step = (first, maxCenterNorm) => {
    if (algorithm === 'yinyang') kernels.yinyangGeometry(ptr.args, r.blocks);
    // On threads, each thread with its slot's block and scratch.
    if (engine) {
      const args = [ptr.args, r.blocks, first, maxCenterNorm, 0, 0, 0];
      return engine.chunkedStep(ws, kernel[algorithm], args, { startAt: 4, partialAt: 6, scratch: { at: 1, stride: layout.bytes, nextStride: 0 } });
    }
    const run = kernels[kernel[algorithm]];
    return sequentialChunks(ws, (start, end, partial) => run(ptr.args, r.blocks, first, maxCenterNorm, start, end, partial));
  };
  return { at: r.blocks, step, r };
}

function hamerlyBounds(ws: Workspace, engine: Engine | undefined): Bounds {
  return prepare(ws, 'hamerly', engine);
}

function elkanBounds(ws: Workspace, engine: Engine | undefined): Bounds {
  return prepare(ws, 'elkan', engine, (r) => ({ cc: r.cc, drift: r.drift }));
}

/** Yinyang's groups: t ≈ k/10 by a few f64 Lloyd iterations on the centers themselves, from evenly spaced ones. */
export function groupCenters(centers: Float64Array, nClusters: number, nFeatures: number, nGroups: number): Int32Array {
  const groupOf = new Int32Array(nClusters);
  const means = new Float64Array(nGroups * nFeatures);
  for (let g = 0; g < nGroups; g++) {
    const j = Math.floor((g * nClusters) / nGroups);
    means.set(centers.subarray(j * nFeatures, (j + 1) * nFeatures), g * nFeatures);
  }
  const counts = new Float64Array(nGroups);
  for (let iteration = 0; iteration < 5; iteration++) {
    for (let j = 0; j < nClusters; j++) {
      let best = 0;
      let bestDist = Infinity;
      for (let g = 0; g < nGroups; g++) {
        let dist = 0;
        for (let t = 0; t < nFeatures; t++) dist += (centers[j * nFeatures + t] - means[g * nFeatures + t]) ** 2;
        if (dist < bestDist) [best, bestDist] = [g, dist];
      }
      groupOf[j] = best;
    }
    counts.fill(0);
    const sums = new Float64Array(nGroups * nFeatures);
    for (let j = 0; j < nClusters; j++) {
      counts[groupOf[j]]++;
      for (let t = 0; t < nFeatures; t++) sums[groupOf[j] * nFeatures + t] += centers[j * nFeatures + t];
    }
    for (let g = 0; g < nGroups; g++) {
      if (counts[g] > 0) for (let t = 0; t < nFeatures; t++) means[g * nFeatures + t] = sums[g * nFeatures + t] / counts[g];
    }
  }
  return groupOf;
}

/**
 * Yinyang's lanes: the centers re-packed group by group, each group from a quad of 4 lanes (padding lanes −1), at
 * most k + 3 lanes a group, in blocks of 16. slotCenter: the center in each lane; slotOf: each center's lane;
 * groupQuadStart: each group's first quad, and the end.
 */
export function yinyangLayout(groupOf: Int32Array, nGroups: number) {
  const nClusters = groupOf.length;
  const maxSlots = maxSlotsFor(nClusters, nGroups);
  const slotCenter = new Int32Array(maxSlots).fill(-1);
  const slotOf = new Int32Array(nClusters);
  const groupQuadStart = new Int32Array(nGroups + 1);
  let slot = 0;
  for (let g = 0; g < nGroups; g++) {
    groupQuadStart[g] = slot / 4;
    for (let j = 0; j < nClusters; j++) {
      if (groupOf[j] === g) {
        slotCenter[slot] = j;
        slotOf[j] = slot++;
      }
    }
    slot = Math.ceil(slot / 4) * 4;
  }
  groupQuadStart[nGroups] = slot / 4;
  return { slotCenter, slotOf, groupQuadStart, nSlots: slot, maxSlots };
}

function yinyangBounds(ws: Workspace, initialCenters: Float64Array, engine: Engine | undefined): Bounds {
  const { kernels, nFeatures, nClusters } = ws;
  const { nGroups } = yinyangShape(nClusters);
  const groupOf = groupCenters(initialCenters, nClusters, nFeatures, nGroups);
  const { slotCenter, slotOf, groupQuadStart, nSlots, maxSlots } = yinyangLayout(groupOf, nGroups);
  const bounds = prepare(
    ws, 'yinyang', engine,
    (r) => ({
      nGroups, groupOf: r.groupOf, slotCenter: r.slotCenter, slotOf: r.slotOf, groupQuadStart: r.groupQuadStart, nSlots,
      slotRows: r.slotRows, slotT: r.slotT, slotNorms: r.slotNorms, groupShifts: r.groupShifts,
    }),
  );
  i32View(kernels, bounds.r.groupOf, nClusters).set(groupOf);
  i32View(kernels, bounds.r.slotCenter, maxSlots).set(slotCenter);
  i32View(kernels, bounds.r.slotOf, nClusters).set(slotOf);
  i32View(kernels, bounds.r.groupQuadStart, nGroups + 1).set(groupQuadStart);
  return bounds;
}

function boundsFor(ws: Workspace, algorithm: AcceleratedAlgorithm, initialCenters: Float64Array, engine: Engine | undefined): Bounds {
  switch (algorithm) {
    case 'hamerly':
      return hamerlyBounds(ws, engine);
    case 'elkan':
      return elkanBounds(ws, engine);
    case 'yinyang':
      return yinyangBounds(ws, initialCenters, engine);
    default:
      throw new WasmeansError('INVALID_PARAMETER', `unknown accelerated algorithm ${JSON.stringify(algorithm)}`);
  }
}

/**
 * lloydRun with an accelerated E-step (its stopping rules and relocation as they are). The E-step forms its sums by
 * Lloyd's chunks, each chunk's own partial binned as Lloyd's; the final labelling after a shift-based stop goes
 * through the bounds too (its sums unused), where Lloyd scores every row once more. With an engine, the chunks are
 * shared by its threads.
 */
function acceleratedRun(
  ws: Workspace, initialCenters: Float64Array, maxIter: number, tolerance: number, algorithm: AcceleratedAlgorithm, engine?: Engine,
): AcceleratedResult {
  const { kernels, ptr } = ws;
  const bounds = boundsFor(ws, algorithm, initialCenters, engine);
  kernels.takeDistanceCount();
  let first = 1;
  /** Labels every row against the loaded centers through the bounds, with the weighted sums; returns the changed labels. */
  const boundedStep = (): number => {
    const maxCenterNorm = kernels.centerGeometry(ptr.args, bounds.at, first);
    const changed = bounds.step(first, maxCenterNorm);
    first = 0;
    return changed;
  };
  const result = lloydRun(ws, initialCenters, maxIter, tolerance, boundedStep, () => void boundedStep(), engine?.begin);
  return { ...result, distanceCount: kernels.takeDistanceCount() };
}

/** Hamerly's algorithm (2 bounds per point): lloydRun's signature and result, plus the distance count; its steps on the engine's threads. */
export function hamerlyRun(ws: Workspace, initialCenters: Float64Array, maxIter: number, tolerance: number, engine?: Engine): AcceleratedResult {
  return acceleratedRun(ws, initialCenters, maxIter, tolerance, 'hamerly', engine);
}

/** Elkan's algorithm (k lower bounds per point): lloydRun's signature and result, plus the distance count; its steps on the engine's threads. */
export function elkanRun(ws: Workspace, initialCenters: Float64Array, maxIter: number, tolerance: number, engine?: Engine): AcceleratedResult {
  return acceleratedRun(ws, initialCenters, maxIter, tolerance, 'elkan', engine);
}

/**
 * Yinyang k-means (Ding et al. 2015; one lower bound per group of centers): lloydRun's signature and result, plus the
 * distance count; its steps on the engine's threads.
 */
export function yinyangRun(ws: Workspace, initialCenters: Float64Array, maxIter: number, tolerance: number, engine?: Engine): AcceleratedResult {
  return acceleratedRun(ws, initialCenters, maxIter, tolerance, 'yinyang', engine);
}
