import { describe, expect, test } from 'vitest';
import { RandomState } from '../../src/core/random';
import { fixture } from '../reference';

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
