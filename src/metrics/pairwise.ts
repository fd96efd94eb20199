// Nearest rows between two point sets, on the E-step kernels that KMeans.predict uses.
import { nearestCenters, prepareWorkspace, rowsInWorkspace } from '../cluster/workspace';
import { allRows, checkValues, type DataInput, readData } from '../core/data';
import { WasmeansError } from '../core/errors';
import { getKernels } from '../runtime/module';

/**
 * For each row of X, the index of the nearest row of Y in Euclidean distance (scikit-learn's
 * `pairwise_distances_argmin`); ties go to the lowest index. Y plays the part of KMeans' centers: distances
 * are computed in float32 after both sets are shifted by X's column mean, exactly as `KMeans.predict`, so
 * rows of Y closer than float32 resolution to being equidistant may resolve differently from float64.
 */
export function pairwiseDistancesArgmin(x: DataInput, y: DataInput): Int32Array {
  const data = readData(x, 'X');
  const targets = readData(y, 'Y');
  if (targets.cols !== data.cols) {
    throw new WasmeansError('INVALID_INPUT', `Y has ${targets.cols} features, but X has ${data.cols}`);
  }
  checkValues(targets, 'Y');
  const nTargets = targets.rows;
  const ws = prepareWorkspace(getKernels(), data, undefined, nTargets, {
    what: `pairwiseDistancesArgmin on ${data.rows}×${data.cols} against ${nTargets} row${nTargets === 1 ? "" : "s"}`, advice: 'call it on chunks of the rows of X',
  });
  return nearestCenters(ws, rowsInWorkspace(ws, targets, allRows(nTargets)));
}
