// The one options mechanism: the resolver on its own, and every options object of the public API through it.
import { beforeAll, describe, expect, test } from 'vitest';
import { checkOptions, type ParamSpecs, resolveParams } from '../../src/core/params';
import {
  init, KMeans, kmeans, kmeansAsync, kmeansPlusPlus, kneighborsGraph, matchLabels, MiniBatchKMeans, quantize, silhouetteScore,
  SpectralClustering, spectralEmbedding, WasmeansError,
} from '../../src/index';
import { loadDigits, makeBlobs, makeCircles, makeMoons } from '../../src/datasets';
import { expectWasmeansError } from '../reference';

beforeAll(() => init());

const specs = {
  /** a count */
  count: { kind: 'integer', min: 1, fallback: 3 },
  /** twice the count */
  twice: { kind: 'integer', min: (r) => r.count as number, derive: (r) => 2 * (r.count as number) },
  ratio: { kind: 'number', min: 0, exclusive: true },
  mode: { values: ['fast', 'exact'], fallback: 'fast' },
  rounds: { kind: 'integer', min: 0, literal: 'auto', fallback: 'auto' },
  flag: { kind: 'boolean', fallback: false },
  seed: { kind: 'seed' },
  callback: { kind: 'function', fallback: () => 'default' },
  pair: { check: (value, name): [number, number] => {
    if (!Array.isArray(value) || value.length !== 2) throw new WasmeansError('INVALID_PARAMETER', `${name} must be a pair`);
    return value as [number, number];
  } },
} as const satisfies ParamSpecs;

describe('resolveParams', () => {
  test('defaults, derived defaults in declaration order, and given values', () => {
    const resolved = resolveParams(specs, undefined, 'test');
    expect(resolved).toMatchObject({ count: 3, twice: 6, ratio: undefined, mode: 'fast', rounds: 'auto', flag: false, seed: undefined, pair: undefined });
    expect(resolved.callback()).toBe('default');
    expect(resolveParams(specs, { count: 5 }, 'test').twice).toBe(10);
    const given = { count: 2, twice: 7, ratio: 0.5, mode: 'exact', rounds: 4, flag: true, seed: 2 ** 32 - 1, pair: [1, 2] };
    expect(resolveParams(specs, given, 'test')).toMatchObject(given);
  });

  test('each kind refuses what it does not take, naming the parameter and the value', () => {
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ count: 0 }, /count must be an integer >= 1, got 0/],
      [{ count: 1.5 }, /count must be an integer >= 1, got 1\.5/],
      [{ count: '3' }, /count must be an integer >= 1, got "3"/],
      [{ count: 4, twice: 3 }, /twice must be an integer >= 4, got 3/],
      [{ ratio: 0 }, /ratio must be a finite number > 0, got 0/],
      [{ ratio: Infinity }, /ratio must be a finite number >= 0, got Infinity/],
      [{ mode: 'slow' }, /mode must be 'fast' or 'exact', got "slow"/],
      [{ rounds: 'never' }, /rounds must be an integer >= 0, got "never"/],
      [{ flag: 1 }, /flag must be true or false, got 1/],
      [{ seed: -1 }, /seed must be an integer in \[0, 4294967295\], got -1/],
      [{ callback: 'log' }, /callback must be a function, got "log"/],
      [{ pair: [1] }, /pair must be a pair/],
    ];
    for (const [given, message] of bad) expectWasmeansError(() => resolveParams(specs, given, 'test'), 'INVALID_PARAMETER', message);
  });

  test('undefined is absent; null, arrays and non-objects are refused as options', () => {
    expect(resolveParams(specs, { count: undefined }, 'test').count).toBe(3);
    for (const given of [null, [], 'fast', 3, true]) {
      expectWasmeansError(() => resolveParams(specs, given, 'Thing.fit'), 'INVALID_PARAMETER', /the options of Thing\.fit must be an object/);
    }
  });

  test('an unknown key is refused with the nearest known one, or the list of them', () => {
    expectWasmeansError(() => checkOptions(specs, { cuont: 1 }, 'test'), 'INVALID_PARAMETER', /unknown option "cuont" for test; did you mean "count"\?/);
    expectWasmeansError(() => checkOptions(specs, { MODE: 'fast' }, 'test'), 'INVALID_PARAMETER', /did you mean "mode"\?/);
    expectWasmeansError(() => checkOptions(specs, { verbose: true }, 'test'), 'INVALID_PARAMETER', /unknown option "verbose" for test; test takes "count", "twice"/);
  });
});

describe('every options object of the public API goes through it', () => {
  const X = [[0, 0], [0, 1], [5, 5], [5, 6], [9, 0], [9, 1]];
  const fitted = () => new KMeans({ nClusters: 2, randomState: 0 }).fit(X);
  const batch = () => new MiniBatchKMeans({ nClusters: 2, randomState: 0 }).fit(X);
  const calls: [string, (options: unknown) => unknown, string][] = [
    ['KMeans', (o) => new KMeans(o as never), 'nClusters'],
    ['KMeans.fit', (o) => new KMeans({ nClusters: 2 }).fit(X, o as never), 'sampleWeight'],
    ['KMeans.fitPredict', (o) => new KMeans({ nClusters: 2 }).fitPredict(X, o as never), 'sampleWeight'],
    ['KMeans.score', (o) => fitted().score(X, o as never), 'sampleWeight'],
    ['kmeans', (o) => kmeans(X, 2, o as never), 'sampleWeight'],
    ['kmeansPlusPlus', (o) => kmeansPlusPlus(X, 2, o as never), 'sampleWeight'],
    ['MiniBatchKMeans', (o) => new MiniBatchKMeans(o as never), 'batchSize'],
    ['MiniBatchKMeans.fit', (o) => new MiniBatchKMeans({ nClusters: 2 }).fit(X, o as never), 'sampleWeight'],
    ['MiniBatchKMeans.partialFit', (o) => batch().partialFit(X, o as never), 'sampleWeight'],
    ['MiniBatchKMeans.score', (o) => batch().score(X, o as never), 'sampleWeight'],
    ['quantize', (o) => quantize(new Uint8Array(12), { width: 2, height: 2, ...(o as object) }), 'nColors'],
    ['silhouetteScore', (o) => silhouetteScore(X, [0, 0, 1, 1, 1, 0], o as never), 'sampleSize'],
    ['matchLabels', (o) => matchLabels([0, 1], [1, 0], o as never), 'method'],
    ['kneighborsGraph', (o) => kneighborsGraph(X, 2, o as never), 'includeSelf'],
    ['SpectralClustering', (o) => new SpectralClustering(o as never), 'nClusters'],
    ['spectralEmbedding', (o) => spectralEmbedding(kneighborsGraph(X, 2), o as never), 'nComponents'],
    ['makeBlobs', (o) => makeBlobs(o as never), 'nSamples'],
    ['makeMoons', (o) => makeMoons(o as never), 'nSamples'],
    ['makeCircles', (o) => makeCircles(o as never), 'factor'],
    ['loadDigits', (o) => loadDigits(o as never), 'nClass'],
  ];
  test.each(calls)('%s: an unknown key, with a hint; null', (where, call, known) => {
    const typo = `${known}s`;
    // fitPredict is fit, then the labels.
    const named = where === 'KMeans.fitPredict' ? 'KMeans.fit' : where;
    expectWasmeansError(() => call({ [typo]: 1 }), 'INVALID_PARAMETER', new RegExp(`unknown option "${typo}" for ${named.replace('.', '\\.')}; did you mean "${known}"\\?`));
    // quantize spreads its options into its own test call, so null reaches it as {}.
    if (where !== 'quantize') expectWasmeansError(() => call(null), 'INVALID_PARAMETER', /must be an object, got null/);
  });

  test('the promise forms reject', async () => {
    await expect(new KMeans({ nClusters: 2 }).fitAsync(X, { thread: 2 } as never)).rejects.toMatchObject({
      code: 'INVALID_PARAMETER', message: expect.stringMatching(/unknown option "thread" for KMeans\.fitAsync; did you mean "threads"\?/),
    });
    await expect(kmeansAsync(X, 2, { sampleWeights: [] } as never)).rejects.toMatchObject({ code: 'INVALID_PARAMETER' });
    await expect(init({ foo: 1 } as never)).rejects.toMatchObject({ code: 'INVALID_PARAMETER', message: expect.stringMatching(/unknown option "foo" for init/) });
    await expect(init({ relaxedSimd: 'yes' } as never)).rejects.toMatchObject({ code: 'INVALID_PARAMETER', message: expect.stringMatching(/relaxedSimd must be true or false, got "yes"/) });
  });
});
