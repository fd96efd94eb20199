// Colour quantization: the handbook's colour compression. Pixels scaled to [0, 1] are clustered in RGB
// space (MiniBatchKMeans by default, KMeans on request) and each pixel is replaced by its center.
import { describe, WasmeansError } from '../core/errors';
import { checkInteger } from '../core/data';
import { KMeans } from './kmeans';
import { MiniBatchKMeans } from './minibatch';
import type { WarningHandler } from '../core/warnings';

export type PixelBuffer = Uint8Array | Uint8ClampedArray | ArrayLike<number>;

export interface QuantizeOptions {
  /** Image width and height in pixels; taken from an ImageData-like input when absent. */
  width?: number;
  height?: number;
  /** 3 (RGB) or 4 (RGBA; alpha is kept as it is and not clustered). Default 4 for ImageData-like input, else 3. */
  channels?: 3 | 4;
  /** Palette size. Default 16. */
  nColors?: number;
  /** 'minibatch' (default, the handbook's choice) or 'kmeans' (full Lloyd, slower, slightly lower inertia). */
  method?: 'minibatch' | 'kmeans';
  randomState?: number;
  /** MiniBatchKMeans restarts on subsamples; default 3, as the handbook's scikit-learn version did. */
  nInit?: number;
  batchSize?: number;
  onWarning?: WarningHandler;
}

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
export function quantize(image: PixelBuffer | ImageDataLike, options: QuantizeOptions = {}): QuantizeResult {
  const fromImageData = isImageData(image);
  const pixels = fromImageData ? image.data : image;
  const width = checkInteger('width', options.width ?? (fromImageData ? image.width : undefined), 1);
  const height = checkInteger('height', options.height ?? (fromImageData ? image.height : undefined), 1);
  const channels = options.channels ?? (fromImageData ? 4 : 3);
  if (channels !== 3 && channels !== 4) throw new WasmeansError('INVALID_PARAMETER', `channels must be 3 or 4, got ${describe(channels)}`);
  if (pixels === null || typeof pixels !== 'object' || typeof pixels.length !== 'number') {
    throw new WasmeansError('INVALID_INPUT', `pixels must be an array of bytes, got ${describe(pixels)}`);
  }
  const nPixels = width * height;
  if (pixels.length !== nPixels * channels) {
    throw new WasmeansError('INVALID_INPUT', `pixels has length ${pixels.length}, but width=${width} × height=${height} × channels=${channels} = ${nPixels * channels}`);
  }
  const nColors = checkInteger('nColors', options.nColors ?? 16, 1, nPixels);
  const method = options.method ?? 'minibatch';
  if (method !== 'minibatch' && method !== 'kmeans') throw new WasmeansError('INVALID_PARAMETER', `method must be 'minibatch' or 'kmeans', got ${describe(method)}`);

  const rgb = new Float32Array(nPixels * 3);
  for (let p = 0; p < nPixels; p++) {
    for (let c = 0; c < 3; c++) {
      const v = pixels[p * channels + c];
      if (!(v >= 0 && v <= 255)) {
        throw new WasmeansError('INVALID_INPUT', `pixel ${p} channel ${c} is ${describe(v)}; values must be in [0, 255]`);
      }
      rgb[p * 3 + c] = v / 255;
    }
  }
  const X = { data: rgb, rows: nPixels, cols: 3 };
  const model =
    method === 'kmeans'
      ? new KMeans({ nClusters: nColors, randomState: options.randomState, onWarning: options.onWarning })
      : new MiniBatchKMeans({
          nClusters: nColors, randomState: options.randomState, nInit: options.nInit ?? 3, batchSize: options.batchSize, onWarning: options.onWarning,
        });
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
