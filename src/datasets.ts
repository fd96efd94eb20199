// The `wasmeans/datasets` entry: toy data generators and the data scikit-learn ships, kept out of the core
// entry so that the core stays small and dependency-free. Nothing here needs init().
export { makeBlobs, makeMoons, makeCircles, type MakeBlobsOptions, type MakeMoonsOptions, type MakeCirclesOptions, type Blobs, type LabeledPoints } from './datasets/generators';
export { loadDigits, type LoadDigitsOptions, type Digits } from './datasets/digits';
export { loadSampleImage, type SampleImage, type SampleImageName } from './datasets/images';
