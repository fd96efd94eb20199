// Exact accelerated k-means (issue 6): Hamerly, Elkan and Yinyang runs that give Lloyd's result exactly (same
// labels, nIter, centers and inertia) while evaluating far fewer point–center distances.
//
// How they stay equal to lloydRun: a label is only ever decided by Lloyd's own f32 scores (assembly/bounds.ts),
// and a center is skipped only when f64 bounds on true distances prove, with a margin covering the f32 rounding
// of the scores, that its score is strictly larger than the kept one's. The weighted sums are accumulated in
// the same pass and order as lloydChunk (bitwise the same), and the stopping rules, the empty-cluster
// relocation and the final E-step are lloydRun's. Bounds follow the centers through their shifts (triangle
// inequality), so relocated centers need nothing special.
//
// Memory on top of the workspace, in the wasm arena: Hamerly 2 f64 per point; Yinyang 1 + t f64 per point
// (t ≈ k/10 groups); Elkan 1 + k f64 per point and k² f64: Elkan refuses with OUT_OF_MEMORY when n·k bounds do
// not fit in wasm32 (use 'hamerly' or 'yinyang' then), it never falls back silently.
import { allocate, formatBytes, i32View, MAX_WASM_BYTES } from '../runtime/arena';
import { BLOCK } from '../constants';
import { WasmeansError } from '../core/errors';
import { clearSums, type EStep, type LloydResult, lloydRun, sumsInChunkOrder } from './lloyd';
import type { Workspace } from './workspace';

export type AcceleratedAlgorithm = 'hamerly' | 'elkan' | 'yinyang';

export interface AcceleratedResult extends LloydResult {
  /** Point–center distances evaluated, bound refreshes included (Lloyd evaluates n·k per E-step). */
  distanceCount: number;
}

/** One E-step with its sums; returns how many labels changed. */
type Step = (first: number, nBlocks: number, maxCenterNorm: number) => number;

interface Bounds {
  /** k × k center distances for Elkan, else 0. */
  cc: number;
  oldCenters: number;
  shifts: number;
  halfMin: number;
  step: Step;
}

/** Regions per workspace and algorithm, laid out once (after the workspace and whatever followed it) and reused by every run. */
const regionCache = new WeakMap<Workspace, Map<string, Record<string, number>>>();

function regionsFor(ws: Workspace, key: string, sizes: Record<string, number>, what: string): Record<string, number> {
  let byKey = regionCache.get(ws);
  if (!byKey) regionCache.set(ws, (byKey = new Map()));
  let regions = byKey.get(key);
  if (!regions) byKey.set(key, (regions = allocate(ws.kernels, sizes, what, true)));
  return regions;
}

function commonSizes(ws: Workspace) {
  const { nSamples, nFeatures, nClusters } = ws;
  return {
    xNorms: nSamples * 8,
    upper: nSamples * 8,
    oldCenters: nClusters * nFeatures * 4,
    shifts: nClusters * 8,
    halfMin: nClusters * 8,
    scores: Math.ceil(nClusters / BLOCK) * BLOCK * 4,
    quads: Math.ceil(nClusters / BLOCK) * 4 * 4,
    tmp: 64,
  };
}

/** Lays out an algorithm's regions (refusing with OUT_OF_MEMORY before touching memory) and fills the row norms. */
function prepare(ws: Workspace, algorithm: AcceleratedAlgorithm, extra: Record<string, number>) {
  const { kernels, nSamples, nFeatures, nClusters, ptr } = ws;
  const sizes = { ...commonSizes(ws), ...extra };
  const r = regionsFor(ws, algorithm, sizes, `algorithm='${algorithm}' on ${nSamples}×${nFeatures} with nClusters=${nClusters}`);
  kernels.rowNorms(ptr.x, nSamples, nFeatures, r.xNorms);
  return r;
}

function hamerlyBounds(ws: Workspace): Bounds {
  const { kernels, nSamples, nFeatures, nClusters, ptr } = ws;
  const r = prepare(ws, 'hamerly', { lower: nSamples * 8 });
  const step: Step = (first, nBlocks, maxCenterNorm) =>
    kernels.hamerlyStep(
      ptr.x, ptr.weights, nSamples, nFeatures, nClusters, ptr.centers, ptr.centersT, ptr.centerNorms, nBlocks, maxCenterNorm, first,
      r.xNorms, r.shifts, r.halfMin, r.upper, r.lower, r.scores, ptr.labels, ptr.sums, ptr.weightInClusters,
    );
  return { cc: 0, oldCenters: r.oldCenters, shifts: r.shifts, halfMin: r.halfMin, step };
}

function elkanBounds(ws: Workspace): Bounds {
  const { kernels, nSamples, nFeatures, nClusters, ptr } = ws;
  const lowerBytes = nSamples * nClusters * 8;
  if (lowerBytes + nClusters * nClusters * 8 > MAX_WASM_BYTES) {
    throw new WasmeansError(
      'OUT_OF_MEMORY',
      `algorithm='elkan' keeps n·k = ${nSamples * nClusters} lower bounds (${formatBytes(lowerBytes)}), more than the 4 GiB wasm32 can ` +
        `address; use algorithm='hamerly' or 'yinyang'`,
    );
  }
  const r = prepare(ws, 'elkan', { lower: lowerBytes, cc: nClusters * nClusters * 8, drift: nClusters * 8 });
  const step: Step = (first, nBlocks, maxCenterNorm) =>
    kernels.elkanStep(
      ptr.x, ptr.weights, nSamples, nFeatures, nClusters, ptr.centers, ptr.centersT, ptr.centerNorms, nBlocks, maxCenterNorm, first,
      r.xNorms, r.shifts, r.cc, r.halfMin, r.upper, r.lower, r.scores, ptr.labels, ptr.sums, ptr.weightInClusters, r.quads, r.tmp, r.drift,
    );
  return { cc: r.cc, oldCenters: r.oldCenters, shifts: r.shifts, halfMin: r.halfMin, step };
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

function yinyangBounds(ws: Workspace, initialCenters: Float64Array): Bounds {
  const { kernels, nSamples, nFeatures, nClusters, ptr } = ws;
  const nGroups = Math.max(1, Math.round(nClusters / 10));
  // Lanes group by group, each group from a quad of 4 lanes; at most k + 3 per group, in blocks of 16.
  const maxSlots = Math.ceil((nClusters + 3 * nGroups) / BLOCK) * BLOCK;
  const r = prepare(ws, 'yinyang', {
    lower: nSamples * nGroups * 8,
    groupOf: nClusters * 4,
    slotCenter: maxSlots * 4,
    slotOf: nClusters * 4,
    groupQuadStart: (nGroups + 1) * 4,
    slotRows: maxSlots * nFeatures * 4,
    slotT: maxSlots * nFeatures * 4,
    slotNorms: maxSlots * 4,
    slotScores: maxSlots * 4,
    groupScratch: nGroups * 20 + maxSlots,
    slotQuads: maxSlots,
  });
  const groupOf = groupCenters(initialCenters, nClusters, nFeatures, nGroups);
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
  const nSlots = slot;
  i32View(kernels, r.groupOf, nClusters).set(groupOf);
  i32View(kernels, r.slotCenter, maxSlots).set(slotCenter);
  i32View(kernels, r.slotOf, nClusters).set(slotOf);
  i32View(kernels, r.groupQuadStart, nGroups + 1).set(groupQuadStart);
  const step: Step = (first, nBlocks, maxCenterNorm) =>
    kernels.yinyangStep(
      ptr.x, ptr.weights, nSamples, nFeatures, nClusters, ptr.centers, ptr.centersT, ptr.centerNorms, nBlocks, maxCenterNorm, first,
      r.xNorms, r.shifts, r.upper, r.lower, r.scores, nGroups, r.groupOf, r.slotCenter, r.slotOf, r.groupQuadStart, nSlots,
      r.slotRows, r.slotT, r.slotNorms, r.slotScores, r.groupScratch, ptr.labels, ptr.sums, ptr.weightInClusters, r.slotQuads, r.tmp,
    );
  return { cc: 0, oldCenters: r.oldCenters, shifts: r.shifts, halfMin: r.halfMin, step };
}

function boundsFor(ws: Workspace, algorithm: AcceleratedAlgorithm, initialCenters: Float64Array): Bounds {
  switch (algorithm) {
    case 'hamerly':
      return hamerlyBounds(ws);
    case 'elkan':
      return elkanBounds(ws);
    case 'yinyang':
      return yinyangBounds(ws, initialCenters);
    default:
      throw new WasmeansError('INVALID_PARAMETER', `unknown accelerated algorithm ${JSON.stringify(algorithm)}`);
  }
}

/**
 * lloydRun with an accelerated E-step (its stopping rules and relocation as they are). The E-step re-forms its
 * sums in Lloyd's chunk order; the final labelling after a shift-based stop goes through the bounds too (its
 * sums unused), where Lloyd scores every row once more.
 */
function acceleratedRun(
  ws: Workspace, initialCenters: Float64Array, maxIter: number, tolerance: number, algorithm: AcceleratedAlgorithm,
): AcceleratedResult {
  const { kernels, nFeatures, nClusters, ptr } = ws;
  const bounds = boundsFor(ws, algorithm, initialCenters);
  kernels.takeDistanceCount();
  let first = 1;
  /** Labels every row against the loaded centers through the bounds, with the weighted sums; returns the changed labels. */
  const boundedStep = (nBlocks: number): number => {
    const maxCenterNorm = kernels.centerGeometry(
      ptr.centers, bounds.oldCenters, nClusters, nFeatures, first, bounds.shifts, bounds.cc, bounds.halfMin,
    );
    clearSums(ws);
    const changed = bounds.step(first, nBlocks, maxCenterNorm);
    first = 0;
    return changed;
  };
  const eStep: EStep = (_ws, nBlocks) => {
    const changed = boundedStep(nBlocks);
    sumsInChunkOrder(ws);
    return changed;
  };
  const result = lloydRun(ws, initialCenters, maxIter, tolerance, eStep, (_ws, nBlocks) => void boundedStep(nBlocks));
  return { ...result, distanceCount: kernels.takeDistanceCount() };
}

/** Hamerly's algorithm (2 bounds per point): lloydRun's signature and result, plus the distance count. */
export function hamerlyRun(ws: Workspace, initialCenters: Float64Array, maxIter: number, tolerance: number): AcceleratedResult {
  return acceleratedRun(ws, initialCenters, maxIter, tolerance, 'hamerly');
}

/** Elkan's algorithm (k lower bounds per point): lloydRun's signature and result, plus the distance count. */
export function elkanRun(ws: Workspace, initialCenters: Float64Array, maxIter: number, tolerance: number): AcceleratedResult {
  return acceleratedRun(ws, initialCenters, maxIter, tolerance, 'elkan');
}

/** Yinyang k-means (Ding et al. 2015; one lower bound per group of centers): lloydRun's signature and result, plus the distance count. */
export function yinyangRun(ws: Workspace, initialCenters: Float64Array, maxIter: number, tolerance: number): AcceleratedResult {
  return acceleratedRun(ws, initialCenters, maxIter, tolerance, 'yinyang');
}
