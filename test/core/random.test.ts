import { describe, expect, test } from 'vitest';
import { RandomState } from '../../src/core/random';
import { expectWasmeansError, fixture } from '../reference';

const streams = fixture('sklearn-kmeans.json').random;

describe("RandomState ≡ numpy's legacy RandomState (values from numpy)", () => {
  test('random_sample, randint and permutation continue one stream', () => {
    const rng = new RandomState(0);
    expect(Array.from({ length: 5 }, () => rng.randomSample())).toEqual(streams.seed0RandomSample);
    expect(Array.from(rng.randints(1797, 5))).toEqual(streams.seed0RandintAfter);
    expect(Array.from(rng.permutation(20))).toEqual(streams.seed0PermutationAfter);
  });

  test('the largest seed', () => {
    const rng = new RandomState(4294967295);
    expect(Array.from({ length: 3 }, () => rng.randomSample())).toEqual(streams.seed4294967295RandomSample);
  });

  test('choice without replacement with probabilities', () => {
    const rng = new RandomState(5);
    const p = Float64Array.from([0.1, 0.0, 0.3, 0.2, 0.25, 0.15]);
    expect(Array.from(rng.choiceWithoutReplacement(p, 4))).toEqual(streams.seed5Choice);
  });

  test('MT19937 reference output: the 10000th draw of seed 5489 is 4123659995', () => {
    // The published check value of Matsumoto and Nishimura's mt19937 (also C++ std::mt19937's).
    const rng = new RandomState(5489);
    let value = 0;
    for (let i = 0; i < 10000; i++) value = rng.nextUint32();
    expect(value).toBe(4123659995);
  });
});

describe("RandomState's public draws ≡ numpy 1.24's legacy RandomState (numpy-random.json, make_random_fixtures.py)", () => {
  const np = fixture('numpy-random.json');

  test('rand, randn (a kept normal carried over), randint(low, high), randint(high), rand: one stream', () => {
    const rng = new RandomState(0);
    expect(Array.from(rng.rand(5))).toEqual(np.seed0.rand5);
    expect(Array.from(rng.randn(3))).toEqual(np.seed0.randn3);
    expect(Array.from(rng.randn(2))).toEqual(np.seed0.randn2);
    expect(Array.from({ length: 6 }, () => rng.randint(-3, 7))).toEqual(np.seed0.randintLowHigh);
    expect(Array.from(rng.randints(1797, 4))).toEqual(np.seed0.randintHigh);
    expect(Array.from(rng.rand(2))).toEqual(np.seed0.rand2);
  });

  test('seed() restarts the stream and drops a kept normal', () => {
    const rng = new RandomState(7);
    rng.randn(1);
    rng.seed(1);
    expect(Array.from(rng.randn(3))).toEqual(np.reseed1Randn3);
  });

  test('permutation, including the handbook find_clusters starts (rseed 2 and 0 on 300 points)', () => {
    expect(Array.from(new RandomState(42).permutation(10))).toEqual(np.permutation.seed42n10);
    expect(Array.from(new RandomState(2).permutation(300).subarray(0, 4))).toEqual(np.permutation.seed2n300first4);
    expect(Array.from(new RandomState(0).permutation(300).subarray(0, 4))).toEqual(np.permutation.seed0n300first4);
  });

  test('randint over the full 2³² range', () => {
    const rng = new RandomState(3);
    expect(Array.from({ length: 3 }, () => rng.randint(0, 2 ** 32))).toEqual(np.randintFullRange);
  });

  test('bad arguments throw WasmeansError naming the value', () => {
    const rng = new RandomState(0);
    expectWasmeansError(() => rng.randint(5, 5), 'INVALID_PARAMETER', /low=5, high=5/);
    expectWasmeansError(() => rng.randint(0.5), 'INVALID_PARAMETER', /high=0.5/);
    expectWasmeansError(() => rng.rand(-1), 'INVALID_PARAMETER', /size must be an integer >= 0, got -1/);
    expectWasmeansError(() => rng.randn(1.5), 'INVALID_PARAMETER', /size must be an integer >= 0, got 1.5/);
    expectWasmeansError(() => rng.permutation(-2), 'INVALID_PARAMETER', /n must be an integer >= 0, got -2/);
    expectWasmeansError(() => rng.seed(-1), 'INVALID_PARAMETER', /got -1/);
  });
});
