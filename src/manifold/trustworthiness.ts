// sklearn.manifold.trustworthiness: how far each point's nearest neighbours in the embedding are, in the ranks of
// the original space. T = 1 − 2 / (n·k·(2n − 3k − 1)) · Σᵢ Σ_{j ∈ embedded kNN(i)} max(0, r(i, j) − k), with r(i, j)
// the rank of j among i's neighbours in X (1 the nearest). Euclidean in both spaces; ties in X are ranked by index,
// as a stable sort would (scikit-learn's argsort may order them otherwise).
import { checkValues, copyRows, type DataInput, readData } from '../core/data';
import { WasmeansError } from '../core/errors';
import { type OptionsOf, type ParamSpecs, resolveParams } from '../core/params';

export function trustworthinessParams() {
  return {
    /** Neighbours compared; less than nSamples / 2. */
    nNeighbors: { kind: 'integer', min: 1, fallback: 5 },
  } as const satisfies ParamSpecs;
}
export type TrustworthinessOptions = OptionsOf<ReturnType<typeof trustworthinessParams>>;

/** Rows of X as one float64 array, values checked. */
function rowsOf(x: DataInput, name: string) {
  const data = readData(x, name);
  checkValues(data, name);
  const flat = new Float64Array(data.rows * data.cols);
  copyRows(data, 0, data.rows, flat);
  return { flat, n: data.rows, d: data.cols };
}

function squaredDistances(flat: Float64Array, n: number, d: number, i: number, out: Float64Array): void {
  for (let j = 0; j < n; j++) {
    let sum = 0;
    for (let t = 0; t < d; t++) sum += (flat[i * d + t] - flat[j * d + t]) ** 2;
    out[j] = sum;
  }
}

/** scikit-learn's trustworthiness(X, XEmbedded, n_neighbors=5): 1 when every embedded neighbourhood is one of X's. */
export function trustworthiness(x: DataInput, xEmbedded: DataInput, options?: TrustworthinessOptions): number {
  const { nNeighbors: k } = resolveParams(trustworthinessParams(), options, 'trustworthiness');
  const original = rowsOf(x, 'X');
  const embedded = rowsOf(xEmbedded, 'XEmbedded');
  const n = original.n;
  if (embedded.n !== n) throw new WasmeansError('INVALID_INPUT', `XEmbedded has ${embedded.n} rows, but X has ${n}`);
  if (k >= n / 2) throw new WasmeansError('INVALID_PARAMETER', `nNeighbors must be less than nSamples / 2 = ${n / 2}, got ${k}`);
  const inX = new Float64Array(n);
  const inEmbedded = new Float64Array(n);
  const order = Int32Array.from({ length: n }, (_, j) => j);
  let penalty = 0;
  for (let i = 0; i < n; i++) {
    squaredDistances(embedded.flat, n, embedded.d, i, inEmbedded);
    inEmbedded[i] = Infinity;
    // The k nearest in the embedding (ties by index, as a stable sort).
    order.sort((a, b) => inEmbedded[a] - inEmbedded[b] || a - b);
    squaredDistances(original.flat, n, original.d, i, inX);
    inX[i] = Infinity;
    for (let s = 0; s < k; s++) {
      const j = order[s];
      // j's rank among i's neighbours in X: those strictly nearer, and those as near with a lower index, plus one.
      let rank = 1;
      for (let l = 0; l < n; l++) if (inX[l] < inX[j] || (inX[l] === inX[j] && l < j)) rank++;
      penalty += Math.max(0, rank - k);
    }
  }
  return 1 - penalty * (2 / (n * k * (2 * n - 3 * k - 1)));
}
