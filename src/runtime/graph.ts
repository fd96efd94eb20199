// Where code that calls the graph module's kernels gets them: importing this module is what makes init() load
// that module, so a k-means app, which imports none of it, downloads none of its bytes.
import { WasmeansError } from '../core/errors';
import { getKernels, hasGraph, type Kernels, wantGraph } from './module';

wantGraph();

/** The kernels, the graph module's among them; throws NOT_INITIALIZED before init() has loaded it. */
export function graphKernels(): Kernels {
  const kernels = getKernels();
  if (!hasGraph(kernels)) {
    throw new WasmeansError('NOT_INITIALIZED', "wasmeans' neighbour, spectral and t-SNE kernels were imported after init() ran: call and await init() again");
  }
  return kernels;
}
