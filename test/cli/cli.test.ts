// The `wasmeans` command end to end: build/cli.js spawned on files written here, good and bad (npm test builds
// first when the build is stale). Exit status, the one-line messages, the files written — and none on failure.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CLI = join(__dirname, '../../build/cli.js');
let dir: string;
const at = (name: string) => join(dir, name);

function run(...args: string[]) {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: dir });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Two well-separated blobs of 20 rows each, deterministic. */
const rows = Array.from({ length: 40 }, (_, i) => {
  const offset = i < 20 ? 0 : 10;
  return [offset + Math.sin(i) * 0.5, offset + Math.cos(i * 1.3) * 0.5, offset + Math.sin(i * 2.1) * 0.5];
});

/** A .npy file byte for byte as numpy.save writes it (format 1.0: header padded with spaces to 64 bytes, then \n). */
function npy(descr: string, shape: number[], payload: Uint8Array, fortran = false): Buffer {
  let header = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  header += ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n';
  const prefix = Buffer.alloc(10);
  prefix.write('\x93NUMPY', 0, 'latin1');
  prefix[6] = 1;
  prefix[7] = 0;
  prefix.writeUInt16LE(header.length, 8);
  return Buffer.concat([prefix, Buffer.from(header, 'latin1'), payload]);
}
const bytes = (array: Float32Array | Float64Array | BigInt64Array) => new Uint8Array(array.buffer);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'wasmeans-cli-'));
  writeFileSync(at('header.csv'), `x,y,z\n${rows.map((r) => r.join(',')).join('\n')}\n`);
  writeFileSync(at('plain.csv'), `${rows.map((r) => r.join(',')).join('\n')}\n`);
  writeFileSync(at('data.tsv'), `x\ty\tz\n${rows.map((r) => r.join('\t')).join('\n')}\n`);
  writeFileSync(at('labelled.csv'), `name,x,y,z\n${rows.map((r, i) => `p${i},${r.join(',')}`).join('\n')}\n`);
  writeFileSync(at('rows.jsonl'), `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
  writeFileSync(at('objects.jsonl'), `${rows.map(([x, y, z]) => JSON.stringify({ x, y, z })).join('\n')}\n`);
  writeFileSync(at('f8.npy'), npy('<f8', [40, 3], bytes(Float64Array.from(rows.flat()))));
  writeFileSync(at('f4.npy'), npy('<f4', [40, 3], bytes(Float32Array.from(rows.flat()))));
  writeFileSync(at('fortran.npy'), npy('<f8', [40, 3], bytes(Float64Array.from(rows.flat())), true));
  writeFileSync(at('int.npy'), npy('<i8', [40, 3], bytes(BigInt64Array.from(rows.flat(), (v) => BigInt(Math.round(v))))));
  writeFileSync(at('ragged.csv'), 'x,y\n1,2\n3,4\n5\n');
  writeFileSync(at('nan.csv'), '1,2\n3,NaN\n5,6\n');
  writeFileSync(at('text.csv'), '1,2\n3,4\n5,abc\n');
  writeFileSync(at('empty.csv'), '');
  writeFileSync(at('late-nan.csv'), `x,y,z\n${rows.map((r, i) => (i === 29 ? [r[0], 'nan', r[2]] : r).join(',')).join('\n')}\n`);
  const width = 24;
  const height = 16;
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) data.set([(i * 7) % 256, (i % width) * 10, Math.floor(i / width) * 15, 255], 4 * i);
  writeFileSync(at('image.png'), PNG.sync.write({ width, height, data }));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('wasmeans cluster', () => {
  it.each(['header.csv', 'plain.csv', 'data.tsv', 'rows.jsonl', 'objects.jsonl', 'f8.npy', 'f4.npy'])('clusters %s into the two blobs', (file) => {
    const { status, stdout, stderr } = run('cluster', file, '-k', '2', '--seed', '0', '--json');
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.rows).toBe(40);
    expect(result.columns.length).toBe(3);
    expect(result.sizes).toEqual([20, 20]);
    expect(new Set(result.labels.slice(0, 20)).size).toBe(1);
    expect(result.labels[0]).not.toBe(result.labels[39]);
    expect(result.scores.silhouette).toBeGreaterThan(0.8);
  });

  it('reads the header names, picks --columns, and writes labels, centers and a standalone SVG', () => {
    const { status, stdout } = run('cluster', 'labelled.csv', '-k', '2', '--seed', '0', '--columns', 'x,3-4', '--algorithm', 'elkan',
      '--metric', 'silhouette,calinski-harabasz,davies-bouldin', '--out', 'labels.csv', '--centers', 'centers.csv', '--plot', 'plot.svg');
    expect(status).toBe(0);
    expect(stdout).toMatch(/40 rows × 3 columns, k = 2/);
    expect(stdout).toMatch(/calinski-harabasz/);
    const labels = readFileSync(at('labels.csv'), 'utf8').trim().split('\n');
    expect(labels[0]).toBe('label');
    expect(labels.length).toBe(41);
    const centers = readFileSync(at('centers.csv'), 'utf8').trim().split('\n');
    expect(centers[0]).toBe('x,y,z');
    expect(centers.length).toBe(3);
    const svg = readFileSync(at('plot.svg'), 'utf8');
    expect(svg).toMatch(/<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg.match(/<circle/g)?.length).toBeGreaterThanOrEqual(40);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('takes the first row as data with --no-header, and as a header with --header', () => {
    const noHeader = run('cluster', 'header.csv', '-k', '2', '--no-header');
    expect(noHeader.status).toBe(2);
    expect(noHeader.stderr).toBe('wasmeans: header.csv: row 1, column 1: "x" is not a number\n');
    const header = JSON.parse(run('cluster', 'plain.csv', '-k', '2', '--seed', '0', '--header', '--json').stdout);
    expect(header.rows).toBe(39);
    expect(header.columns).toEqual(rows[0].map(String));
  });

  it('runs MiniBatchKMeans with --mini-batch', () => {
    const { status, stdout } = run('cluster', 'header.csv', '-k', '2', '--seed', '0', '--mini-batch', '--batch-size', '16', '--json');
    expect(status).toBe(0);
    expect(JSON.parse(stdout).sizes).toEqual([20, 20]);
  });

  it.each([
    ['ragged.csv', /^wasmeans: ragged\.csv: row 4, column 2: 1 column where the first row has 2$/],
    ['nan.csv', /^wasmeans: nan\.csv: row 2, column 2: NaN$/],
    ['text.csv', /^wasmeans: text\.csv: row 3, column 2: "abc" is not a number$/],
    ['empty.csv', /^wasmeans: empty\.csv: empty file$/],
    ['missing.csv', /^wasmeans: missing\.csv: no such file$/],
    ['.', /^wasmeans: \.: is a directory$/],
    ['fortran.npy', /^wasmeans: fortran\.npy: Fortran-order \.npy arrays are not supported/],
    ['int.npy', /^wasmeans: int\.npy: \.npy dtype <i8 is not supported/],
  ])('refuses %s with one line, exit status 2, and writes nothing', (file, message) => {
    const { status, stdout, stderr } = run('cluster', file, '-k', '2', '--out', `out-${file}.csv`, '--plot', `out-${file}.svg`);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr.trimEnd()).toMatch(message);
    expect(readdirSync(dir).filter((f) => f.startsWith('out-') || f.endsWith('.tmp'))).toEqual([]);
  });

  it("passes the library's WasmeansError through as one line, exit status 2", () => {
    const { status, stderr } = run('cluster', 'plain.csv', '-k', '41', '--out', 'too-many.csv');
    expect(status).toBe(2);
    expect(stderr).toMatch(/^wasmeans: .*nClusters=41.*\n$/);
    expect(existsSync(at('too-many.csv'))).toBe(false);
  });

  it('exits 2 on usage errors and 0 on --help and --version', () => {
    expect(run('cluster', 'plain.csv').status).toBe(2);
    expect(run('cluster', 'plain.csv', '-k', 'two').status).toBe(2);
    expect(run('cluster', 'plain.csv', '-k', '2', '--algorithm', 'fastest').status).toBe(2);
    expect(run('frobnicate').status).toBe(2);
    const version = run('--version');
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')).version);
    for (const command of ['cluster', 'choose-k', 'quantize', 'spectral', 'tsne']) {
      const help = run(command, '--help');
      expect(help.status).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: wasmeans ${command} `));
    }
  });

  it('does not write into a directory that does not exist', () => {
    const { status, stderr } = run('cluster', 'plain.csv', '-k', '2', '--out', 'nowhere/labels.csv');
    expect(status).toBe(2);
    expect(stderr).toMatch(/^wasmeans: nowhere\/labels\.csv: directory nowhere does not exist\n$/);
  });
});

describe('wasmeans cluster --stream', () => {
  const squaredDistance = (a: number[], b: number[]) => a.reduce((sum, v, t) => sum + (v - b[t]) ** 2, 0);

  it.each(['header.csv', 'data.tsv', 'f4.npy', 'f8.npy'])('reads %s 7 rows at a time: the in-memory fit\'s partition and centers', (file) => {
    const whole = JSON.parse(run('cluster', file, '-k', '2', '--seed', '0', '--json').stdout);
    const { status, stdout, stderr } = run('cluster', file, '-k', '2', '--seed', '0', '--stream', '--chunk-rows', '7', '--out', `streamed-${file}.csv`, '--json');
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const streamed = JSON.parse(stdout);
    expect(streamed).toMatchObject({ rows: 40, streamed: true, columns: whole.columns, sizes: [20, 20] });
    const labels = readFileSync(at(`streamed-${file}.csv`), 'utf8').trim().split('\n').slice(1).map(Number);
    // The same partition; the clusters' numbers may differ (k-means‖ seeds the stream, k-means++ the whole file).
    const same = labels[0] === whole.labels[0];
    expect(labels).toEqual(whole.labels.map((l: number) => (same ? l : 1 - l)));
    const centers = same ? streamed.centers : [...streamed.centers].reverse();
    centers.forEach((row: number[], j: number) => row.forEach((v, t) => expect(v).toBeCloseTo(whole.centers[j][t], 10)));
    expect(streamed.inertia).toBeCloseTo(whole.inertia, 8);
  });

  it('--mini-batch --passes 2: sizes and the inertia of the whole file at the centers it found', () => {
    const { status, stdout } = run('cluster', 'header.csv', '-k', '2', '--seed', '0', '--stream', '--mini-batch', '--passes', '2', '--batch-size', '8', '--chunk-rows', '5', '--json');
    expect(status).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.sizes).toEqual([20, 20]);
    const inertia = rows.reduce((sum, row) => sum + Math.min(...result.centers.map((c: number[]) => squaredDistance(row, c))), 0);
    expect(result.inertia).toBeCloseTo(inertia, 4);
  });

  it('a bad cell past the first chunk ends the command with its row, exit status 2, and writes nothing', () => {
    const { status, stdout, stderr } = run('cluster', 'late-nan.csv', '-k', '2', '--stream', '--chunk-rows', '7', '--out', 'out-late.csv', '--centers', 'out-late-centers.csv');
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe('wasmeans: late-nan.csv: row 31, column 2: NaN\n');
    expect(readdirSync(dir).filter((f) => f.startsWith('out-late') || f.endsWith('.tmp'))).toEqual([]);
  });

  it.each([
    [['header.csv', '--plot', 'p.svg'], /^wasmeans: --plot needs every row in memory/],
    [['header.csv', '--n-init', '3'], /^wasmeans: --n-init does not go with --stream/],
    [['rows.jsonl'], /^wasmeans: rows\.jsonl: --stream reads CSV, TSV or \.npy files/],
    [['empty.csv'], /^wasmeans: empty\.csv: empty file$/],
    [['missing.csv'], /^wasmeans: missing\.csv: no such file$/],
  ])('refuses %j with one line', (args, message) => {
    const { status, stderr } = run('cluster', ...args, '-k', '2', '--stream');
    expect(status).toBe(2);
    expect(stderr.trimEnd()).toMatch(message);
  });

  it('--passes without --stream, or without --mini-batch, is refused', () => {
    expect(run('cluster', 'header.csv', '-k', '2', '--passes', '2').stderr).toMatch(/--passes is for --stream --mini-batch/);
    expect(run('cluster', 'header.csv', '-k', '2', '--stream', '--passes', '2').stderr).toMatch(/--passes is for --mini-batch/);
  });
});

describe('wasmeans choose-k', () => {
  it('tabulates inertia and silhouette, suggests k = 2, and plots', () => {
    const { status, stdout } = run('choose-k', 'header.csv', '--range', '2..5', '--seed', '0', '--plot', 'choose.svg');
    expect(status).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe('k\tinertia\tsilhouette');
    expect(lines.slice(1, 5).map((line) => line.split('\t')[0])).toEqual(['2', '3', '4', '5']);
    expect(stdout).toMatch(/suggested k: 2/);
    expect(readFileSync(at('choose.svg'), 'utf8')).toMatch(/^<\?xml[^\n]*\n<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    const json = JSON.parse(run('choose-k', 'f8.npy', '--range', '2..3', '--seed', '0', '--json').stdout);
    expect(json.suggestedK).toBe(2);
    expect(json.results).toHaveLength(2);
  });

  it('refuses a bad range', () => {
    expect(run('choose-k', 'header.csv', '--range', '5..2').status).toBe(2);
  });
});

describe('wasmeans quantize', () => {
  it('reduces a PNG to k colours as PNG and JPEG, and a JPEG back to PNG', () => {
    expect(run('quantize', 'image.png', '-k', '4', '-o', 'four.png', '--seed', '0').status).toBe(0);
    const png = PNG.sync.read(readFileSync(at('four.png')));
    expect([png.width, png.height]).toEqual([24, 16]);
    const colours = new Set<string>();
    for (let i = 0; i < png.data.length; i += 4) colours.add(Array.from(png.data.subarray(i, i + 3)).join());
    expect(colours.size).toBeLessThanOrEqual(4);
    expect(run('quantize', 'image.png', '-k', '4', '-o', 'four.jpg', '--seed', '0').status).toBe(0);
    expect(Array.from(readFileSync(at('four.jpg')).subarray(0, 2))).toEqual([0xff, 0xd8]);
    const back = run('quantize', 'four.jpg', '-k', '3', '-o', 'three.png', '--seed', '0', '--json');
    expect(back.status).toBe(0);
    expect(JSON.parse(back.stdout).palette).toHaveLength(3);
  });

  it('refuses a file that is not an image, and an output format it does not write', () => {
    const notImage = run('quantize', 'plain.csv', '-k', '4', '-o', 'never.png');
    expect(notImage.status).toBe(2);
    expect(notImage.stderr).toBe('wasmeans: plain.csv: neither a PNG nor a JPEG image\n');
    expect(run('quantize', 'image.png', '-k', '4', '-o', 'never.gif').status).toBe(2);
    expect(existsSync(at('never.png')) || existsSync(at('never.gif'))).toBe(false);
  });
});

describe('wasmeans spectral and tsne', () => {
  it('spectral clustering on a nearest-neighbours graph', () => {
    const { status, stdout } = run('spectral', 'header.csv', '-k', '2', '--neighbors', '5', '--seed', '0', '--json', '--out', 'spectral.csv');
    expect(status).toBe(0);
    expect(JSON.parse(stdout).sizes).toEqual([20, 20]);
    expect(readFileSync(at('spectral.csv'), 'utf8').trim().split('\n')).toHaveLength(41);
  });

  it('t-SNE writes the embedding and a plot coloured by labels', () => {
    run('cluster', 'header.csv', '-k', '2', '--seed', '0', '--out', 'tsne-labels.csv');
    const { status, stdout } = run('tsne', 'header.csv', '-o', 'embedding.csv', '--perplexity', '5', '--max-iter', '250', '--seed', '0',
      '--labels', 'tsne-labels.csv', '--plot', 'tsne.svg', '--json');
    expect(status).toBe(0);
    expect(JSON.parse(stdout).rows).toBe(40);
    const lines = readFileSync(at('embedding.csv'), 'utf8').trim().split('\n');
    expect(lines[0]).toBe('tsne1,tsne2');
    expect(lines).toHaveLength(41);
    expect(lines.slice(1).every((line) => line.split(',').every((v) => Number.isFinite(Number(v))))).toBe(true);
    expect(readFileSync(at('tsne.svg'), 'utf8')).toMatch(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  });

  it("t-SNE passes the library's refusal of a perplexity too large through, writing nothing", () => {
    const tooFew = run('tsne', 'header.csv', '-o', 'no-embedding.csv', '--perplexity', '40');
    expect(tooFew.status).toBe(2);
    expect(tooFew.stderr).toBe('wasmeans: perplexity must be less than nSamples=40, got 40\n');
    expect(existsSync(at('no-embedding.csv'))).toBe(false);
  });
});
