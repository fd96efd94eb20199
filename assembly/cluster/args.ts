// Parameter blocks: what the k-means kernels read of a fit, laid out in wasm memory once by the TypeScript side
// (src/cluster/workspace.ts, src/cluster/accelerated.ts) through writers generated from these declarations
// (scripts/generate-abi.mjs), so that both sides name every field and no two offsets can be swapped.
// Fields are 4 bytes each, in declaration order.

/** A k-means workspace: the data, the centers of this iteration, and where the E-step writes. */
@unmanaged
export class ClusterArgs {
  /** IN nSamples × nFeatures f32: the data, centered. */
  x: usize;
  /** IN nSamples f64: sample weights. */
  weights: usize;
  nSamples: i32;
  nFeatures: i32;
  nClusters: i32;
  /** IN nClusters × nFeatures f32: the centers, row-major. */
  centers: usize;
  /** IN ⌈nClusters/16⌉ × nFeatures × 16 f32: the centers transposed into blocks of 16 (packCenters). */
  centersT: usize;
  /** IN ⌈nClusters/16⌉·16 f32: ‖c‖², +∞ for padding lanes. */
  centerNorms: usize;
  /** INOUT nSamples i32: each row's label. */
  labels: usize;
}

/**
 * The bounds and scratch of the accelerated E-steps (Hamerly, Elkan, Yinyang); fields an algorithm does not use
 * are 0. Lower bounds per row: Hamerly 1, Elkan nClusters, Yinyang nGroups.
 */
@unmanaged
export class BoundsArgs {
  /** IN nSamples f64: ‖x‖ (rowNorms). */
  xNorms: usize;
  /** INOUT nSamples f64: upper bounds on the distance to the label's center. */
  upper: usize;
  /** INOUT nSamples × (lower bounds per row) f64. */
  lower: usize;
  /** INOUT nClusters × nFeatures f32: the previous iteration's centers (centerGeometry). */
  oldCenters: usize;
  /** OUT of centerGeometry, IN of the steps, nClusters f64: how far each center moved. */
  shifts: usize;
  /** OUT of centerGeometry, IN of the steps, nClusters f64: half the distance to the nearest other center. */
  halfMin: usize;
  /** Elkan: OUT of centerGeometry, IN of the step, nClusters × nClusters f64 center distances; else 0. */
  cc: usize;
  /** Elkan: INOUT nClusters f64, each center's summed shifts (lower bounds are stored plus the drift). */
  drift: usize;
  /** Scratch ⌈nClusters/16⌉·16 f32 (Yinyang: nSlots), one block per thread: one row's scores by lane. */
  scores: usize;
  /** Scratch ⌈nClusters/4⌉ i32 (Yinyang: nSlots/4), one block per thread: quads to score. */
  quads: usize;
  /** Yinyang: groups of centers. */
  nGroups: i32;
  /** Yinyang IN nClusters i32: each center's group. */
  groupOf: usize;
  /** Yinyang IN nSlots i32: the center in each lane of the re-packed blocks, −1 for padding. */
  slotCenter: usize;
  /** Yinyang IN nClusters i32: each center's lane. */
  slotOf: usize;
  /** Yinyang IN nGroups + 1 i32: each group's first quad of lanes. */
  groupQuadStart: usize;
  /** Yinyang: lanes in the re-packed blocks, a multiple of 16. */
  nSlots: i32;
  /** Yinyang scratch nSlots × nFeatures f32: the centers in lane order. */
  slotRows: usize;
  /** Yinyang scratch: slotRows packed (packCenters). */
  slotT: usize;
  /** Yinyang scratch nSlots f32. */
  slotNorms: usize;
  /** Yinyang scratch nGroups × 12 + nSlots bytes (one block per thread). */
  groupScratch: usize;
  /** Yinyang OUT of yinyangGeometry, IN of the step, nGroups f64: each group's largest center shift. */
  groupShifts: usize;
}

/** The number of 16-wide center blocks for nClusters centers. */
// @ts-ignore: decorator
@inline
export function blockCount(nClusters: i32): i32 {
  return (nClusters + 15) >> 4;
}
