// load_sample_image(): the two photos scikit-learn ships, embedded as JPEG and decoded with jpeg-js.
// Photos under CC BY 2.0 by danielbuechele (china) and vultilion (flower) on Flickr; see DATA-LICENSES.md.
import decodeJpeg from 'jpeg-js/lib/decoder.js';
import { describe, WasmeansError } from '../core/errors';
import { chinaJpeg } from '../generated/imageChina';
import { flowerJpeg } from '../generated/imageFlower';
import { decodeBase64 } from '../runtime/inline';

export type SampleImageName = 'china' | 'flower' | 'china.jpg' | 'flower.jpg';

export interface SampleImage {
  width: number;
  height: number;
  channels: 3;
  /** height × width × 3 bytes: RGB, row-major. */
  pixels: Uint8Array;
}

/**
 * One of scikit-learn's two sample photos (640 × 427 RGB), decoded afresh on every call. Pixels may differ from
 * scikit-learn's (PIL, libjpeg) by a level or two: JPEG decoders round their inverse DCT differently.
 */
export function loadSampleImage(name: SampleImageName): SampleImage {
  let jpeg: string;
  switch (name) {
    case 'china':
    case 'china.jpg':
      jpeg = chinaJpeg;
      break;
    case 'flower':
    case 'flower.jpg':
      jpeg = flowerJpeg;
      break;
    default:
      throw new WasmeansError('INVALID_PARAMETER', `loadSampleImage: name must be 'china' or 'flower', got ${describe(name)}`);
  }
  // jpeg-js's own colour conversion truncates (half a level darker on average); its YCbCr planes, converted
  // as libjpeg does, leave only the inverse DCTs' rounding between these pixels and scikit-learn's.
  const { width, height, data } = decodeJpeg(decodeBase64(jpeg), { useTArray: true, formatAsRGBA: false, colorTransform: false });
  return { width, height, channels: 3, pixels: yccToRgb(data) };
}

/** libjpeg's YCbCr → RGB (jdcolor.c), in place: 16-bit fixed point, rounded, then clamped to 0..255. */
function yccToRgb(pixels: Uint8Array): Uint8Array {
  const fix = (x: number) => Math.round(x * 65536);
  const [crR, cbG, crG, cbB, half] = [fix(1.402), fix(0.34414), fix(0.71414), fix(1.772), 1 << 15];
  const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : v);
  for (let i = 0; i < pixels.length; i += 3) {
    const y = pixels[i];
    const cb = pixels[i + 1] - 128;
    const cr = pixels[i + 2] - 128;
    pixels[i] = clamp(y + ((crR * cr + half) >> 16));
    pixels[i + 1] = clamp(y + ((half - cbG * cb - crG * cr) >> 16));
    pixels[i + 2] = clamp(y + ((cbB * cb + half) >> 16));
  }
  return pixels;
}
