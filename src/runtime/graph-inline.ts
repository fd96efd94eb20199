// The graph module's bytes for the default entry, in a chunk of its own that init() loads only for apps that import
// code calling its kernels.
import { wasmGraphGzipBase64 } from '../generated/wasmGraphBase64';
import { inlinedBytes } from './inline';

export const graphModuleBytes = () => inlinedBytes(wasmGraphGzipBase64, 'graph wasm');
