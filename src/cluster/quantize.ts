// Colour quantization: the handbook's colour compression. Pixels scaled to [0, 1] are clustered in RGB
// space (MiniBatchKMeans by default, KMeans on request) and each pixel is replaced by its center.
import { describe, WasmeansError } from '../core/errors';
import { checkInteger, type OptionsOf, type ParamSpecs, resolveParams } from '../core/params';
import { warnOncePerKind, type WarningHandler } from '../core/warnings';
import { KMeans } from './kmeans';
import { MiniBatchKMeans } from './minibatch';

export type PixelBuffer = Uint8Array | Uint8ClampedArray | ArrayLike<number>;

export function quantizeParams() {
  return {
    /** Image width in pixels. @default the ImageData's */
    width: { kind: 'integer', min: 1 },
    /** Image height in pixels. @default the ImageData's */
    height: { kind: 'integer', min: 1 },
    /** 3 (RGB) or 4 (RGBA; alpha is kept as it is and not clustered). @default 4 for an ImageData, else 3 */
    channels: { check: (value, name): 3 | 4 | undefined => {
      if (value !== 3 && value !== 4) throw new WasmeansError('INVALID_PARAMETER', `${name} must be 3 or 4, got ${describe(value)}`);
      return value;
    } },
    /** Palette size, at most the number of pixels. */
    nColors: { kind: 'integer', min: 1, fallback: 16 },
    /** 'minibatch' (the handbook's choice) or 'kmeans' (full Lloyd, slower, slightly lower inertia). */
    method: { values: ['minibatch', 'kmeans'], fallback: 'minibatch' },
    /** Seed of the clustering. @default random */
    randomState: { kind: 'seed' },
    /** MiniBatchKMeans inits on subsamples, as the handbook's scikit-learn version did. */
    nInit: { kind: 'integer', min: 1, fallback: 3 },
    /** MiniBatchKMeans rows per batch. */
    batchSize: { kind: 'integer', min: 1, fallback: 1024 },
    /** Receives the clustering's warnings. @default console.warn, once per kind */
    onWarning: { kind: 'function', fallback: warnOncePerKind },
  } as const satisfies ParamSpecs;
}
export type QuantizeOptions = OptionsOf<ReturnType<typeof quantizeParams>>;

export interface QuantizeResult {
  /** nColors × 3 RGB bytes. */
  palette: Uint8Array;
  /** Palette index of every pixel. */
  indices: Uint8Array | Uint16Array | Int32Array;
  /** The recoloured image, same layout and channels as the input (a Uint8ClampedArray for ImageData input). */
  pixels: Uint8Array | Uint8ClampedArray;
  /** Centers in [0, 1] RGB, as fitted (nColors × 3). */
  centers: Float64Array;
  /** Sum of squared distances of the pixels (in [0, 1] units) to their colours. */
  inertia: number;
}

type ImageDataLike = { data: PixelBuffer; width: number; height: number };

function isImageData(x: unknown): x is ImageDataLike {
  return typeof x === 'object' && x !== null && 'data' in x && 'width' in x && 'height' in x;
}

/** Reduces an image to `nColors` colours. Accepts a pixel buffer with width/height/channels, or an ImageData. */
export function quantize(image: PixelBuffer | ImageDataLike, options?: QuantizeOptions): QuantizeResult {
  const o = resolveParams(quantizeParams(), options, 'quantize');
  const fromImageData = isImageData(image);
  const pixels = fromImageData ? image.data : image;
  const width = o.width ?? checkInteger('width', fromImageData ? image.width : undefined, 1);
  const height = o.height ?? checkInteger('height', fromImageData ? image.height : undefined, 1);
  const channels = o.channels ?? (fromImageData ? 4 : 3);
  if (pixels === null || typeof pixels !== 'object' || typeof pixels.length !== 'number') {
    throw new WasmeansError('INVALID_INPUT', `pixels must be an array of bytes, got ${describe(pixels)}`);
  }
  const nPixels = width * height;
  if (pixels.length !== nPixels * channels) {
    throw new WasmeansError('INVALID_INPUT', `pixels has length ${pixels.length}, but width=${width} × height=${height} × channels=${channels} = ${nPixels * channels}`);
  }
  if (options?.nColors === undefined && o.nColors > nPixels) {
    throw new WasmeansError('INVALID_PARAMETER', `the default nColors=${o.nColors} is more than the ${nPixels} pixels of the image; pass nColors <= ${nPixels}`);
  }
  const nColors = checkInteger('nColors', o.nColors, 1, nPixels);

  const rgb = new Float32Array(nPixels * 3);
  for (let p = 0; p < nPixels; p++) {
    for (let c = 0; c < 3; c++) {
      const v = pixels[p * channels + c];
      if (typeof v !== 'number' || !(v >= 0 && v <= 255)) {
        throw new WasmeansError('INVALID_INPUT', `pixel ${p} channel ${c} is ${describe(v)}; values must be in [0, 255]`);
      }
      rgb[p * 3 + c] = v / 255;
    }
  }
  const X = { data: rgb, rows: nPixels, cols: 3 };
  const model =
    o.method === 'kmeans'
      ? new KMeans({ nClusters: nColors, randomState: o.randomState, onWarning: o.onWarning })
      : new MiniBatchKMeans({ nClusters: nColors, randomState: o.randomState, nInit: o.nInit, batchSize: o.batchSize, onWarning: o.onWarning });
  model.fit(X);
  const centers = model.clusterCenters.data as Float64Array;
  const labels = model.labels;
  const palette = Uint8Array.from(centers, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255));
  const indices = nColors <= 256 ? Uint8Array.from(labels) : nColors <= 65536 ? Uint16Array.from(labels) : labels.slice();
  const out = pixels instanceof Uint8ClampedArray ? new Uint8ClampedArray(pixels.length) : new Uint8Array(pixels.length);
  for (let p = 0; p < nPixels; p++) {
    const j = labels[p];
    out[p * channels] = palette[j * 3];
    out[p * channels + 1] = palette[j * 3 + 1];
    out[p * channels + 2] = palette[j * 3 + 2];
    if (channels === 4) out[p * channels + 3] = pixels[p * channels + 3];
  }
  return { palette, indices, pixels: out, centers: Float64Array.from(centers), inertia: model.inertia };
}
