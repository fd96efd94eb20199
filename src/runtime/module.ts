// The one module instance of this realm, and the typed view of its kernels.
import { describe, WasmeansError } from '../core/errors';

/** The kernels' ABI: numbers and byte offsets only (see assembly/). */
export interface Kernels {
  memory: WebAssembly.Memory;
  heapBase(): number;
  relaxedSimd(): number;
  packCenters(centersPtr: number, nClusters: number, nFeatures: number, centersTPtr: number, centerNormsPtr: number): number;
  assignedSqDistances(xPtr: number, weightPtr: number, nSamples: number, nFeatures: number, centersPtr: number, labelsPtr: number, sqDistPtr: number): number;
  distancesToCenters(xPtr: number, nSamples: number, nFeatures: number, centersPtr: number, nClusters: number, outPtr: number): void;
  scanColumns(srcPtr: number, nRows: number, nFeatures: number, maxAbs: number, columnSumsPtr: number): number;
  writeShiftedRows(srcPtr: number, nRows: number, nFeatures: number, shiftPtr: number, dstPtr: number, squaresPtr: number): void;
  scanColumnsF32(xPtr: number, nRows: number, nFeatures: number, maxAbs: number, columnSumsPtr: number): number;
  shiftRowsF32(xPtr: number, nRows: number, nFeatures: number, shiftPtr: number, squaresPtr: number): void;
  gatherRows(xPtr: number, weightPtr: number, nFeatures: number, indicesPtr: number, count: number, outXPtr: number, outWeightPtr: number): void;
  lloydChunk(
    xPtr: number, weightPtr: number, rowStart: number, rowEnd: number, nFeatures: number,
    centersTPtr: number, centerNormsPtr: number, nBlocks: number,
    labelsPtr: number, sumsPtr: number, weightInClustersPtr: number,
  ): number;
  chunkSums(
    xPtr: number, weightPtr: number, labelsPtr: number, rowStart: number, rowEnd: number, nFeatures: number, sumsPtr: number,
    weightInClustersPtr: number,
  ): void;
  assignLabels(
    xPtr: number, rowStart: number, rowEnd: number, nFeatures: number,
    centersTPtr: number, centerNormsPtr: number, nBlocks: number, labelsPtr: number,
  ): void;
  seedingPotentials(
    xPtr: number, weightPtr: number, nSamples: number, nFeatures: number,
    candidatesPtr: number, nCandidates: number, closestPtr: number, potentialsPtr: number,
  ): void;
  updateClosest(xPtr: number, weightPtr: number, nSamples: number, nFeatures: number, centerRow: number, closestPtr: number): number;
  clusterDistanceSums(
    xPtr: number, nSamples: number, nFeatures: number, labelsPtr: number, nLabels: number, rowStart: number, rowEnd: number, outPtr: number,
  ): void;
  packRows4(xPtr: number, nSamples: number, nFeatures: number, xTPtr: number): void;
  kneighborsChunk(
    xPtr: number, xTPtr: number, nSamples: number, nFeatures: number, rowStart: number, rowEnd: number, nNeighbors: number,
    sqDistPtr: number, indicesPtr: number,
  ): void;
  kneighborsGrid(
    xPtr: number, nSamples: number, nFeatures: number, rowStart: number, rowEnd: number, nNeighbors: number,
    gridPtr: number, cellStartPtr: number, cellRowsPtr: number, cellXPtr: number, sqDistPtr: number, indicesPtr: number,
  ): void;
  csrMatvec(indptrPtr: number, indicesPtr: number, valuesPtr: number, nRows: number, xPtr: number, yPtr: number): void;
  csrChebyshevStep(
    indptrPtr: number, indicesPtr: number, valuesPtr: number, nRows: number, xPtr: number, prevPtr: number, outPtr: number,
    alpha: number, beta: number, gamma: number,
  ): void;
  dotColumns(vPtr: number, n: number, count: number, wPtr: number, hPtr: number): void;
  subtractColumns(vPtr: number, n: number, count: number, hPtr: number, wPtr: number): void;
  combineColumns(vPtr: number, n: number, count: number, sPtr: number, sCols: number, nOut: number, outPtr: number): void;
  centerGeometry(
    centersPtr: number, oldCentersPtr: number, nClusters: number, nFeatures: number, first: number, shiftsPtr: number, ccPtr: number, halfMinPtr: number,
  ): number;
  rowNorms(xPtr: number, nSamples: number, nFeatures: number, normsPtr: number): void;
  takeDistanceCount(): number;
  hamerlyStep(
    xPtr: number, weightPtr: number, nSamples: number, nFeatures: number, nClusters: number,
    centersPtr: number, centersTPtr: number, centerNormsPtr: number, nBlocks: number, maxCenterNorm: number, first: number,
    xNormsPtr: number, shiftsPtr: number, halfMinPtr: number, upperPtr: number, lowerPtr: number, scoresPtr: number,
    labelsPtr: number, sumsPtr: number, weightInClustersPtr: number,
  ): number;
  elkanStep(
    xPtr: number, weightPtr: number, nSamples: number, nFeatures: number, nClusters: number,
    centersPtr: number, centersTPtr: number, centerNormsPtr: number, nBlocks: number, maxCenterNorm: number, first: number,
    xNormsPtr: number, shiftsPtr: number, ccPtr: number, halfMinPtr: number, upperPtr: number, lowerPtr: number, scoresPtr: number,
    labelsPtr: number, sumsPtr: number, weightInClustersPtr: number, quadsPtr: number, tmpPtr: number, driftPtr: number,
  ): number;
  yinyangStep(
    xPtr: number, weightPtr: number, nSamples: number, nFeatures: number, nClusters: number,
    centersPtr: number, centersTPtr: number, centerNormsPtr: number, nBlocks: number, maxCenterNorm: number, first: number,
    xNormsPtr: number, shiftsPtr: number, upperPtr: number, lowerPtr: number, scoresPtr: number,
    nGroups: number, groupOfPtr: number, slotCenterPtr: number, slotOfPtr: number, groupQuadStartPtr: number, nSlots: number,
    slotRowsPtr: number, slotTPtr: number, slotNormsPtr: number, slotScoresPtr: number, groupScratchPtr: number,
    labelsPtr: number, sumsPtr: number, weightInClustersPtr: number, quadsPtr: number, tmpPtr: number,
  ): number;
}

/** What `init()` accepts: a compiled module (Cloudflare Workers), bytes, or where to fetch them. */
export type WasmSource = WebAssembly.Module | BufferSource | URL | string | Response | PromiseLike<Response | BufferSource>;

let kernels: Kernels | undefined;
let pending: Promise<void> | undefined;

const imports = {
  env: {
    abort(_message: number, _file: number, line: number, column: number): never {
      throw new WasmeansError('INVALID_INPUT', `wasm kernel aborted at ${line}:${column}`);
    },
  },
};

function assertWebAssembly(): void {
  if (typeof WebAssembly !== 'object' || WebAssembly === null) {
    throw new WasmeansError('UNSUPPORTED', 'WebAssembly is not available in this JavaScript runtime; wasmeans needs WebAssembly with SIMD');
  }
}

async function instantiate(source: WasmSource): Promise<WebAssembly.Instance> {
  if (source instanceof WebAssembly.Module) return new WebAssembly.Instance(source, imports);
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) {
    if (!WebAssembly.validate(source)) {
      throw new WasmeansError('UNSUPPORTED', 'the wasmeans module does not validate here: this runtime lacks WebAssembly SIMD (128-bit) support, or the bytes are not wasmeans.wasm');
    }
    try {
      return (await WebAssembly.instantiate(source, imports)).instance;
    } catch (cause) {
      // Cloudflare Workers (workerd) compile wasm only at upload: from bytes, they refuse.
      if (/code generation disallowed/i.test(String(cause))) {
        throw new WasmeansError(
          'UNSUPPORTED',
          `this runtime refuses to compile WebAssembly from bytes (${String(cause)}); in Cloudflare Workers import wasmeans ` +
            "through its 'workerd' export condition (wrangler does this), or pass init() the WebAssembly.Module of wasmeans.wasm",
        );
      }
      throw cause;
    }
  }
  if (typeof source === 'string' || source instanceof URL) return instantiate(fetch(source));
  const response = await source;
  // A promise of bytes (init's own relaxed-SIMD choice) rather than of a Response.
  if (response instanceof ArrayBuffer || ArrayBuffer.isView(response)) return instantiate(response);
  if (!(response instanceof Response)) {
    throw new WasmeansError('INVALID_PARAMETER', `init() takes a WebAssembly.Module, bytes, a URL, a Response or { relaxedSimd }, got ${describe(response)}`);
  }
  if (!response.ok) throw new WasmeansError('INVALID_INPUT', `fetching wasmeans.wasm failed: HTTP ${response.status} from ${response.url}`);
  return instantiate(await response.arrayBuffer());
}

/** Instantiates the module once per realm; later calls return at once. */
export function initialize(source: WasmSource | (() => WasmSource)): Promise<void> {
  if (kernels) return Promise.resolve();
  if (!pending) {
    pending = (async () => {
      assertWebAssembly();
      const instance = await instantiate(typeof source === 'function' ? source() : source);
      kernels = instance.exports as unknown as Kernels;
    })();
    pending.catch(() => {
      pending = undefined;
    });
  }
  return pending;
}

/** The kernels; throws NOT_INITIALIZED before `init()` has resolved. */
export function getKernels(): Kernels {
  if (!kernels) {
    throw new WasmeansError('NOT_INITIALIZED', 'wasmeans is not initialized: call and await init() first');
  }
  return kernels;
}

/** Decodes base64 without Buffer or atob differences between runtimes. */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const lookup = new Uint8Array(128);
  for (let i = 0; i < alphabet.length; i++) lookup[alphabet.charCodeAt(i)] = i;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const bytes = new Uint8Array((text.length * 3) / 4 - padding);
  let out = 0;
  for (let i = 0; i < text.length; i += 4) {
    const chunk =
      (lookup[text.charCodeAt(i)] << 18) |
      (lookup[text.charCodeAt(i + 1)] << 12) |
      (lookup[text.charCodeAt(i + 2)] << 6) |
      lookup[text.charCodeAt(i + 3)];
    if (out < bytes.length) bytes[out++] = chunk >> 16;
    if (out < bytes.length) bytes[out++] = (chunk >> 8) & 255;
    if (out < bytes.length) bytes[out++] = chunk & 255;
  }
  return bytes;
}

/** Which build of the kernels init() loaded: the plain SIMD one, or relaxed SIMD (fused multiply-adds). */
export function simdBuild(): 'simd' | 'relaxed-simd' {
  return getKernels().relaxedSimd() === 1 ? 'relaxed-simd' : 'simd';
}

/** Unzips gzipped bytes with the runtime's own DecompressionStream (Node 18+, every current browser). */
export function gunzip(gzipped: Uint8Array<ArrayBuffer>, what: string): Response {
  if (typeof DecompressionStream !== 'function') {
    throw new WasmeansError('UNSUPPORTED', `this runtime has no DecompressionStream to unpack the inlined ${what}; pass init() the URL or bytes of wasmeans/wasmeans.wasm`);
  }
  return new Response(new Blob([gzipped]).stream().pipeThrough(new DecompressionStream('gzip')));
}

export interface InitOptions {
  /**
   * Load the relaxed-SIMD build (fused multiply-add in the scores, 1.05–1.15× per Lloyd iteration) where the runtime
   * validates it, else the plain one. Its float32 rounding differs from the plain build's, and with it from one
   * machine to another; off by default, so that results are the same everywhere.
   */
  relaxedSimd?: boolean;
}

/** Options rather than a source: a plain object (a Module, bytes, a URL or a Response never is one). */
export function isInitOptions(source: unknown): source is InitOptions {
  return typeof source === 'object' && source !== null && Object.getPrototypeOf(source) === Object.prototype && !('then' in source);
}

