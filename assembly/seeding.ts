// k-means++ seeding: the potential of each candidate center, and the closest-distance update.
import { sqDistF32 } from './common';

/**
 * For each candidate row c, Σᵢ wᵢ · min(closestᵢ, ‖xᵢ − x_c‖²), in one pass over the data.
 * IN xPtr, weightPtr (f64), candidatesPtr (i32 row indices), closestPtr (f64); OUT potentialsPtr (f64).
 */
export function seedingPotentials(
  xPtr: usize, weightPtr: usize, nSamples: i32, nFeatures: i32,
  candidatesPtr: usize, nCandidates: i32, closestPtr: usize, potentialsPtr: usize,
): void {
  const rowBytes = <usize>nFeatures << 2;
  for (let c = 0; c < nCandidates; c++) store<f64>(potentialsPtr + (<usize>c << 3), 0);
  for (let i = 0; i < nSamples; i++) {
    const row = xPtr + <usize>i * rowBytes;
    const closest = load<f64>(closestPtr + (<usize>i << 3));
    const weight = load<f64>(weightPtr + (<usize>i << 3));
    for (let c = 0; c < nCandidates; c++) {
      const candidate = xPtr + <usize>load<i32>(candidatesPtr + (<usize>c << 2)) * rowBytes;
      const d = <f64>sqDistF32(row, candidate, nFeatures);
      const p = potentialsPtr + (<usize>c << 3);
      store<f64>(p, load<f64>(p) + weight * (d < closest ? d : closest));
    }
  }
}

/**
 * closestᵢ = min(closestᵢ, ‖xᵢ − x_center‖²) for every row; returns the new potential Σᵢ wᵢ · closestᵢ.
 * IN xPtr, weightPtr (f64); INOUT closestPtr (f64, +∞ before the first center).
 */
export function updateClosest(
  xPtr: usize, weightPtr: usize, nSamples: i32, nFeatures: i32, centerRow: i32, closestPtr: usize,
): f64 {
  const rowBytes = <usize>nFeatures << 2;
  const center = xPtr + <usize>centerRow * rowBytes;
  let potential: f64 = 0;
  for (let i = 0; i < nSamples; i++) {
    const p = closestPtr + (<usize>i << 3);
    const d = <f64>sqDistF32(xPtr + <usize>i * rowBytes, center, nFeatures);
    const closest = load<f64>(p);
    const nearest = d < closest ? d : closest;
    store<f64>(p, nearest);
    potential += load<f64>(weightPtr + (<usize>i << 3)) * nearest;
  }
  return potential;
}

/**
 * k-means|| round: rows were labelled (assignLabels) with their nearest of a batch of new candidates; where
 * that candidate is closer than closestᵢ, closestᵢ becomes its exact squared distance and ownerᵢ its index
 * labelOffset + label. Returns the new potential Σᵢ wᵢ · closestᵢ.
 * IN xPtr, weightPtr (f64), candidatesPtr (row-major f32 batch), labelsPtr (i32); INOUT closestPtr (f64), ownerPtr (i32).
 */
export function mergeClosest(
  xPtr: usize, weightPtr: usize, nSamples: i32, nFeatures: i32, candidatesPtr: usize, labelsPtr: usize, labelOffset: i32,
  closestPtr: usize, ownerPtr: usize,
): f64 {
  const rowBytes = <usize>nFeatures << 2;
  let potential: f64 = 0;
  for (let i = 0; i < nSamples; i++) {
    const label = load<i32>(labelsPtr + (<usize>i << 2));
    const p = closestPtr + (<usize>i << 3);
    const d = <f64>sqDistF32(xPtr + <usize>i * rowBytes, candidatesPtr + <usize>label * rowBytes, nFeatures);
    let closest = load<f64>(p);
    if (d < closest) {
      closest = d;
      store<f64>(p, d);
      store<i32>(ownerPtr + (<usize>i << 2), labelOffset + label);
    }
    potential += load<f64>(weightPtr + (<usize>i << 3)) * closest;
  }
  return potential;
}
