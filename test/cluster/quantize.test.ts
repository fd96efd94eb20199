import { beforeAll, describe, expect, test } from 'vitest';
import { init, quantize } from '../../src/index';
import { testRng } from '../reference';

beforeAll(() => init());

/** A width × height image of four flat colour quadrants with a little noise. */
function quadrants(width: number, height: number, channels: 3 | 4, seed: number) {
  const colours = [[200, 30, 40], [20, 180, 60], [30, 40, 220], [240, 240, 240]];
  const rng = testRng(seed);
  const pixels = new Uint8ClampedArray(width * height * channels);
  const truth = new Int32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const q = (y < height / 2 ? 0 : 2) + (x < width / 2 ? 0 : 1);
      const p = y * width + x;
      truth[p] = q;
      for (let c = 0; c < 3; c++) pixels[p * channels + c] = colours[q][c] + Math.round(rng.normal() * 3);
      if (channels === 4) pixels[p * channels + 3] = (x * 7 + y) % 256;
    }
  }
  return { pixels, truth, colours };
}

describe('quantize', () => {
  test('an RGB buffer: the palette is the quadrant colours, every pixel recoloured with its own', () => {
    const { pixels, truth, colours } = quadrants(64, 48, 3, 1);
    const result = quantize(Uint8Array.from(pixels), { width: 64, height: 48, nColors: 4, randomState: 0 });
    expect(result.palette.length).toBe(12);
    expect(result.indices).toBeInstanceOf(Uint8Array);
    const byQuadrant = new Map<number, number>();
    truth.forEach((q, p) => {
      const index = result.indices[p];
      expect(byQuadrant.get(q) ?? index).toBe(index);
      byQuadrant.set(q, index);
    });
    for (const [q, index] of byQuadrant) {
      for (let c = 0; c < 3; c++) expect(Math.abs(result.palette[index * 3 + c] - colours[q][c])).toBeLessThanOrEqual(1);
    }
    expect(result.pixels).toBeInstanceOf(Uint8Array);
    for (let p = 0; p < truth.length; p++) {
      for (let c = 0; c < 3; c++) expect(result.pixels[p * 3 + c]).toBe(result.palette[result.indices[p] * 3 + c]);
    }
  });

  test('ImageData-like input: RGBA, alpha kept, Uint8ClampedArray out, full KMeans on request', () => {
    const { pixels } = quadrants(40, 30, 4, 2);
    const original = pixels.slice();
    const result = quantize({ data: pixels, width: 40, height: 30 }, { nColors: 4, method: 'kmeans', randomState: 0 });
    expect(result.pixels).toBeInstanceOf(Uint8ClampedArray);
    expect(result.pixels.length).toBe(pixels.length);
    for (let p = 0; p < 1200; p++) expect(result.pixels[p * 4 + 3]).toBe(pixels[p * 4 + 3]);
    expect(Array.from(pixels)).toEqual(Array.from(original));
    // With four well-separated colours and noise of std 3 levels, the inertia is about 3 · n · (3/255)².
    expect(result.inertia).toBeLessThan(1200 * 3 * (4 / 255) ** 2);
  });

  test('errors name the value', () => {
    expect(() => quantize(new Uint8Array(10), { width: 2, height: 2 })).toThrowError(/pixels has length 10, but width=2 × height=2 × channels=3 = 12/);
    expect(() => quantize(new Uint8Array(12), { width: 2, height: 2, nColors: 5 })).toThrowError(/nColors must be an integer in \[1, 4\], got 5/);
    expect(() => quantize([0, 0, 300, 1, 1, 1], { width: 2, height: 1, nColors: 1 })).toThrowError(/pixel 0 channel 2 is 300/);
    // @ts-expect-error: not a channel count
    expect(() => quantize(new Uint8Array(4), { width: 2, height: 1, channels: 2 })).toThrowError(/channels must be 3 or 4, got 2/);
  });
});
