// load_digits(): the UCI handwritten digits shipped in the package, decoded on the first call and cached.
// Data: E. Alpaydin and C. Kaynak, UCI Machine Learning Repository (1998), CC BY 4.0; see DATA-LICENSES.md.
import { WasmeansError } from '../core/errors';
import { type OptionsOf, type ParamSpecs, resolveParams } from '../core/params';
import { digitsCodeLengths, digitsPixels, digitsRows, digitsTargets } from '../generated/digits';
import type { Matrix64 } from '../core/data';
import { decodeBase64 } from '../runtime/inline';

export function loadDigitsParams() {
  return {
    /** Keep the digits 0 … nClass − 1 only (scikit-learn's n_class). */
    nClass: { kind: 'integer', min: 1, max: 10, fallback: 10 },
  } as const satisfies ParamSpecs;
}
export type LoadDigitsOptions = OptionsOf<ReturnType<typeof loadDigitsParams>>;

export interface Digits {
  /** nSamples × 64 pixel counts in 0..16, each row an 8 × 8 image read row by row. */
  data: Matrix64;
  /** The digit of each row. */
  target: Int32Array;
  /** Each row as an 8 × 8 `Matrix`: views into `data`, not copies. */
  images: (Matrix64)[];
  /** The digits 0..9. */
  targetNames: Int32Array;
  /** "pixel_r_c" for the 64 columns, as scikit-learn names them. */
  featureNames: string[];
}

const SIDE = 8;
const N_PIXELS = SIDE * SIDE;

let cached: { pixels: Uint8Array; target: Uint8Array } | undefined;

/**
 * The 1797 8 × 8 images of handwritten digits that scikit-learn's `load_digits()` returns, in the same order.
 * Every call returns fresh arrays; the decoded data (115 KB) is kept after the first call.
 */
export function loadDigits(options?: LoadDigitsOptions): Digits {
  const { nClass } = resolveParams(loadDigitsParams(), options, 'loadDigits');
  cached ??= decodeDigits();
  const { pixels, target: allTargets } = cached;
  let rows = 0;
  for (let i = 0; i < digitsRows; i++) if (allTargets[i] < nClass) rows++;
  const data = new Float64Array(rows * N_PIXELS);
  const target = new Int32Array(rows);
  for (let i = 0, row = 0; i < digitsRows; i++) {
    if (allTargets[i] >= nClass) continue;
    data.set(pixels.subarray(i * N_PIXELS, (i + 1) * N_PIXELS), row * N_PIXELS);
    target[row++] = allTargets[i];
  }
  const images = Array.from({ length: rows }, (_, i) => ({ data: data.subarray(i * N_PIXELS, (i + 1) * N_PIXELS), rows: SIDE, cols: SIDE }));
  return {
    data: { data, rows, cols: N_PIXELS },
    target,
    images,
    targetNames: Int32Array.from({ length: nClass }, (_, i) => i),
    featureNames: Array.from({ length: N_PIXELS }, (_, i) => `pixel_${Math.floor(i / SIDE)}_${i % SIDE}`),
  };
}

/** Decodes the generated module (see scripts/embed-data.mjs for the format). */
function decodeDigits(): { pixels: Uint8Array; target: Uint8Array } {
  const tables = digitsCodeLengths.map(huffmanTable);
  const bits = decodeBase64(digitsPixels);
  const pixels = new Uint8Array(digitsRows * N_PIXELS);
  let position = 0; // in bits
  const nextBit = () => (bits[position >> 3] >> (7 - (position++ & 7))) & 1;
  for (let start = 0; start < pixels.length; start += N_PIXELS) {
    for (let i = 0; i < N_PIXELS; i++) {
      const above = i >= SIDE ? pixels[start + i - SIDE] : 0;
      const left = i % SIDE > 0 ? pixels[start + i - 1] : 0;
      pixels[start + i] = decodeSymbol(tables[(above > 0 ? 2 : 0) + (left > 0 ? 1 : 0)], nextBit);
    }
  }
  const packed = decodeBase64(digitsTargets);
  const target = Uint8Array.from({ length: digitsRows }, (_, i) => (i % 2 === 0 ? packed[i >> 1] >> 4 : packed[i >> 1] & 15));
  return { pixels, target };
}

interface HuffmanTable {
  /** counts[l]: how many symbols have a code of length l. */
  counts: Int32Array;
  /** The symbols ordered by code length, then value: the canonical order. */
  symbols: Int32Array;
}

function huffmanTable(lengths: number[]): HuffmanTable {
  const counts = new Int32Array(Math.max(...lengths) + 1);
  for (const length of lengths) if (length > 0) counts[length]++;
  const symbols: number[] = [];
  for (let length = 1; length < counts.length; length++) {
    lengths.forEach((l, symbol) => {
      if (l === length) symbols.push(symbol);
    });
  }
  return { counts, symbols: Int32Array.from(symbols) };
}

/** Reads one canonical Huffman code, a bit at a time (as zlib's puff.c). */
function decodeSymbol(table: HuffmanTable, nextBit: () => number): number {
  let code = 0; // the bits read so far
  let first = 0; // the first code of the current length
  let index = 0; // where the symbols of the current length start
  for (let length = 1; length < table.counts.length; length++) {
    code |= nextBit();
    const count = table.counts[length];
    if (code - first < count) return table.symbols[index + code - first];
    index += count;
    first = (first + count) << 1;
    code <<= 1;
  }
  throw new WasmeansError('INVALID_INPUT', 'the embedded digits data is corrupt: no Huffman code matches');
}
