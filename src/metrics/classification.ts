// Label-against-label comparisons: scikit-learn's confusion_matrix and accuracy_score, and matchLabels, which
// renames clusters after the classes they hold (the handbook's relabelling, or the optimal one-to-one match).
import type { Labels } from '../core/data';
import { assertUnreachable, WasmeansError } from '../core/errors';
import { type OptionsOf, type ParamSpecs, resolveParams } from '../core/params';
import { contingency, encodeLabels, readLabelPair } from './labels';

export interface ConfusionMatrix {
  /** rows × cols counts, row-major: entry (i, j) counts samples of true label `labels[i]` predicted `labels[j]`. */
  data: Int32Array;
  rows: number;
  cols: number;
  /** The sorted union of the values in yTrue and yPred (scikit-learn's `unique_labels`). */
  labels: Int32Array;
  /** The same counts as nested rows, `arrays[i][j]` = `data[i * cols + j]`: what scikit-learn's array prints. */
  arrays: number[][];
}

/** Confusion matrix over the sorted union of both labellings' values, as scikit-learn's `confusion_matrix`. */
export function confusionMatrix(yTrue: Labels, yPred: Labels): ConfusionMatrix {
  const [t, p] = readLabelPair(yTrue, 'yTrue', yPred, 'yPred');
  const joined = new Int32Array(t.length + p.length);
  joined.set(t);
  joined.set(p, t.length);
  const { codes, classes } = encodeLabels(joined);
  const k = classes.length;
  const data = new Int32Array(k * k);
  for (let i = 0; i < t.length; i++) data[codes[i] * k + codes[t.length + i]]++;
  const arrays = Array.from({ length: k }, (_, i) => Array.from(data.subarray(i * k, (i + 1) * k)));
  return { data, rows: k, cols: k, labels: classes, arrays };
}

/** Fraction of samples whose predicted label equals the true one. Throws INVALID_INPUT for no samples. */
export function accuracyScore(yTrue: Labels, yPred: Labels): number {
  const [t, p] = readLabelPair(yTrue, 'yTrue', yPred, 'yPred');
  if (t.length === 0) throw new WasmeansError('INVALID_INPUT', 'yTrue and yPred are empty; accuracy needs at least one sample');
  let agree = 0;
  for (let i = 0; i < t.length; i++) if (t[i] === p[i]) agree++;
  return agree / t.length;
}

/**
 * Minimum-cost assignment on a dense nr × nc cost matrix (row-major): the shortest augmenting path algorithm
 * (Jonker–Volgenant as Crouse describes it), step for step as scipy's `linear_sum_assignment`, so that ties
 * resolve as there. A tall matrix is solved transposed. Returns, for every row, its column or −1.
 */
export function linearSumAssignment(cost: Float64Array, nr: number, nc: number): Int32Array {
  if (nr > nc) {
    const transposed = new Float64Array(nr * nc);
    for (let i = 0; i < nr; i++) for (let j = 0; j < nc; j++) transposed[j * nr + i] = cost[i * nc + j];
    // Rows of the transposed problem are our columns; each is matched to one of our rows.
    const rowForColumn = linearSumAssignment(transposed, nc, nr);
    const columnForRow = new Int32Array(nr).fill(-1);
    rowForColumn.forEach((row, column) => {
      columnForRow[row] = column;
    });
    return columnForRow;
  }
  const u = new Float64Array(nr);
  const v = new Float64Array(nc);
  const shortest = new Float64Array(nc);
  const path = new Int32Array(nc).fill(-1);
  const col4row = new Int32Array(nr).fill(-1);
  const row4col = new Int32Array(nc).fill(-1);
  const visitedRows = new Uint8Array(nr);
  const visitedCols = new Uint8Array(nc);
  const remaining = new Int32Array(nc);
  for (let current = 0; current < nr; current++) {
    // Dijkstra over reduced costs from row `current` to the nearest unassigned column.
    for (let it = 0; it < nc; it++) remaining[it] = nc - it - 1;
    let nRemaining = nc;
    visitedRows.fill(0);
    visitedCols.fill(0);
    shortest.fill(Infinity);
    let minVal = 0;
    let i = current;
    let sink = -1;
    while (sink === -1) {
      let index = -1;
      let lowest = Infinity;
      visitedRows[i] = 1;
      for (let it = 0; it < nRemaining; it++) {
        const j = remaining[it];
        const r = minVal + cost[i * nc + j] - u[i] - v[j];
        if (r < shortest[j]) {
          path[j] = i;
          shortest[j] = r;
        }
        // Among equal costs prefer a column that ends the path.
        if (shortest[j] < lowest || (shortest[j] === lowest && row4col[j] === -1)) {
          lowest = shortest[j];
          index = it;
        }
      }
      minVal = lowest;
      const j = remaining[index];
      if (row4col[j] === -1) sink = j;
      else i = row4col[j];
      visitedCols[j] = 1;
      remaining[index] = remaining[--nRemaining];
    }
    // Update the dual variables, then augment along the path.
    u[current] += minVal;
    for (let r = 0; r < nr; r++) if (visitedRows[r] && r !== current) u[r] += minVal - shortest[col4row[r]];
    for (let c = 0; c < nc; c++) if (visitedCols[c]) v[c] -= minVal - shortest[c];
    let j = sink;
    for (;;) {
      const r = path[j];
      row4col[j] = r;
      const previous = col4row[r];
      col4row[r] = j;
      j = previous;
      if (r === current) break;
    }
  }
  return col4row;
}

export type MatchMethod = 'mode' | 'hungarian';

export function matchLabelsParams() {
  return {
    /** 'mode': each cluster takes its most common target; 'hungarian': the best one-to-one match. */
    method: { values: ['mode', 'hungarian'], fallback: 'mode' },
  } as const satisfies ParamSpecs;
}
export type MatchLabelsOptions = OptionsOf<ReturnType<typeof matchLabelsParams>>;

/**
 * Renames clusters after the target labels they hold, so that they can be compared with the target
 * (accuracyScore, confusionMatrix). Returns the new label of every sample.
 * O(n log n) for 'mode'; 'hungarian' is O(k²·m) for k clusters and m target labels, on a dense k × m table.
 *
 * - 'mode' (default): the handbook's relabelling: every cluster takes the most common target label among its
 *   members, the smallest on ties (scipy.stats.mode). Several clusters may take the same label.
 * - 'hungarian': a one-to-one assignment of clusters to target labels maximizing the number of agreeing
 *   samples (scipy's linear_sum_assignment on the clusters × target-labels counts, ties resolved as there).
 *   With more clusters than target labels, the clusters left unmatched take the smallest non-negative integers
 *   that are not target values, in increasing order of cluster value: they never agree with the target, so
 *   accuracy counts them as errors rather than merging them into a class.
 */
export function matchLabels(clusters: Labels, target: Labels, options?: MatchLabelsOptions): Int32Array {
  const { method } = resolveParams(matchLabelsParams(), options, 'matchLabels');
  const [c, t] = readLabelPair(clusters, 'clusters', target, 'target');
  const cl = encodeLabels(c);
  const tg = encodeLabels(t);
  const table = contingency(cl, tg);
  const nClusters = cl.classes.length;
  const newLabel = new Int32Array(nClusters);
  switch (method) {
    case 'mode': {
      // Cells come by increasing target value: a strictly larger count wins, so ties keep the smallest.
      const best = new Float64Array(nClusters);
      for (let cell = 0; cell < table.count.length; cell++) {
        const k = table.row[cell];
        if (table.count[cell] > best[k]) {
          best[k] = table.count[cell];
          newLabel[k] = tg.classes[table.col[cell]];
        }
      }
      break;
    }
    case 'hungarian': {
      const nTargets = tg.classes.length;
      const cost = new Float64Array(nClusters * nTargets);
      for (let cell = 0; cell < table.count.length; cell++) cost[table.row[cell] * nTargets + table.col[cell]] = -table.count[cell];
      const assigned = linearSumAssignment(cost, nClusters, nTargets);
      const used = new Set(tg.classes);
      let fresh = 0;
      for (let k = 0; k < nClusters; k++) {
        if (assigned[k] >= 0) {
          newLabel[k] = tg.classes[assigned[k]];
          continue;
        }
        while (used.has(fresh)) fresh++;
        newLabel[k] = fresh;
        used.add(fresh);
      }
      break;
    }
    default:
      assertUnreachable(method);
  }
  return Int32Array.from(cl.codes, (code) => newLabel[code]);
}
