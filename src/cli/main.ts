// `wasmeans <command>`: cluster, choose-k, quantize, spectral and tsne on files, through the package's public API.
// Argument parsing is commander's, CSV csv-parse's, progress bars cli-progress's, images pngjs's and jpeg-js's.
import { createRequire } from 'node:module';
import { extname } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { Presets, SingleBar } from 'cli-progress';
import { PNG } from 'pngjs';
import decodeJpeg from 'jpeg-js/lib/decoder.js';
import encodeJpeg from 'jpeg-js/lib/encoder.js';
import {
  calinskiHarabaszScore, daviesBouldinScore, init, KMeans, MiniBatchKMeans, quantize, silhouetteScore, SpectralClustering, toArrays, TSNE,
  WasmeansError, type Matrix,
} from '../index';
import { CliError } from './errors';
import { readBytes, readTable, streamTable, type Table } from './input';
import { checkWritable, labelsCsv, matrixCsv, type Output, writeAll } from './output';
import { chooseKSvg, project2d, scatterSvg } from './plot';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

const integer = (name: string, min: number) => (text: string) => {
  const value = Number(text);
  if (!/^\s*-?\d+\s*$/.test(text) || value < min) throw new InvalidArgumentError(`${name} must be an integer ≥ ${min}`);
  return value;
};
const number = (name: string) => (text: string) => {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new InvalidArgumentError(`${name} must be a number`);
  return value;
};

/** A bar on stderr started at 0 of `total`, or none when stderr is not a terminal (pipes, logs and tests). */
function terminalBar(format: string, total: number, payload?: Record<string, unknown>): SingleBar | undefined {
  if (!process.stderr.isTTY) return undefined;
  const bar = new SingleBar({ format, stream: process.stderr, hideCursor: true, clearOnComplete: true }, Presets.shades_classic);
  bar.start(total, 0, payload);
  return bar;
}

/** A progress bar over `total` steps. */
function progress(label: string, total: number): { update(value: number): void; stop(): void } {
  const bar = terminalBar(`${label} [{bar}] {percentage}% | {value}/{total}`, total);
  return { update: (value) => bar?.update(value), stop: () => bar?.stop() };
}

/**
 * A bar over a command's stages (the library reports nothing from inside a fit, so the stages are what moves):
 * `next()` ends the stage under way and names the next, with the time so far.
 */
function stages(label: string, names: string[]): { next(): void; stop(): void } {
  const bar = terminalBar(`${label} [{bar}] {value}/{total} {stage} | {duration_formatted}`, names.length, { stage: names[0] });
  let done = 0;
  return {
    next() {
      done += 1;
      bar?.update(done, { stage: names[done] ?? '' });
    },
    stop: () => bar?.stop(),
  };
}

const matrixOf = (table: Table): Matrix => ({ data: table.data, rows: table.rows, cols: table.cols });

interface DataOptions {
  header?: boolean;
  columns?: string;
}

function load(file: string, options: DataOptions): Table {
  return readTable(file, { header: options.header, columns: options.columns });
}

function withDataOptions(command: Command): Command {
  return command
    .option('--header', 'the first row is a header (default: detected)')
    .option('--no-header', 'the first row is data')
    .option('--columns <list>', 'columns to use: names or 1-based numbers, comma-separated, ranges like 2-5');
}

function plotOf(table: Table, labels: ArrayLike<number> | undefined, centers: Matrix | undefined): string {
  const { xy, axes, project } = project2d(table.data, table.rows, table.cols);
  return scatterSvg({
    xy, labels, centers: centers && project(centers.data, centers.rows),
    xLabel: axes?.[0] ?? table.names[0], yLabel: axes?.[1] ?? table.names[1] ?? '',
  });
}

type Score = 'silhouette' | 'calinski-harabasz' | 'davies-bouldin';
const SCORES: Score[] = ['silhouette', 'calinski-harabasz', 'davies-bouldin'];

function scores(names: Score[], x: Matrix, labels: Int32Array, seed: number | undefined): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  // Every score needs two clusters at least; silhouette is O(n²), so large inputs are scored on a seeded sample.
  const distinct = new Set(labels).size;
  for (const name of names) {
    if (distinct < 2 || distinct >= x.rows) out[name] = null;
    else if (name === 'silhouette') out[name] = silhouetteScore(x, labels, x.rows > 10_000 ? { sampleSize: 10_000, randomState: seed ?? 0 } : undefined);
    else if (name === 'calinski-harabasz') out[name] = calinskiHarabaszScore(x, labels);
    else out[name] = daviesBouldinScore(x, labels);
  }
  return out;
}

function sizes(labels: Int32Array, k: number): number[] {
  const counts = new Array<number>(k).fill(0);
  for (const label of labels) counts[label]++;
  return counts;
}

const shape = (rows: number, cols: number) => `${rows} row${rows === 1 ? '' : 's'} × ${cols} column${cols === 1 ? '' : 's'}`;

const fmt = (value: number | null) => (value === null ? '-' : Number(value.toPrecision(6)).toString());

type ClusterOptions = DataOptions & {
  k: number; algorithm: string; seed?: number; nInit?: number; maxIter?: number; metric: Score[]; miniBatch?: boolean; batchSize: number;
  out?: string; centers?: string; plot?: string; json?: boolean; stream?: boolean; chunkRows: number; passes?: number;
};

async function cluster(file: string, options: ClusterOptions): Promise<void> {
  if (options.stream) return clusterStream(file, options);
  if (options.passes !== undefined) throw new CliError('--passes is for --stream --mini-batch');
  [options.out, options.centers, options.plot].forEach(checkWritable);
  const bar = stages('k-means', ['reading', 'fitting', 'scoring', 'writing']);
  const table = load(file, options);
  const x = matrixOf(table);
  await init();
  const common = { nClusters: options.k, randomState: options.seed, nInit: options.nInit ?? 'auto', onWarning: (w: { message: string } | string) => warn(w) } as const;
  bar.next();
  const model = options.miniBatch
    ? new MiniBatchKMeans({ ...common, batchSize: options.batchSize, ...(options.maxIter ? { maxIter: options.maxIter } : {}) }).fit(x)
    : new KMeans({ ...common, algorithm: options.algorithm as 'auto', ...(options.maxIter ? { maxIter: options.maxIter } : {}) }).fit(x);
  bar.next();
  const { labels, clusterCenters: centers, inertia, nIter } = model;
  const quality = scores(options.metric, x, labels, options.seed);
  bar.next();
  const outputs: Output[] = [];
  if (options.out) outputs.push({ path: options.out, contents: labelsCsv(labels) });
  if (options.centers) outputs.push({ path: options.centers, contents: matrixCsv(centers.data, centers.rows, centers.cols, table.names) });
  if (options.plot) outputs.push({ path: options.plot, contents: plotOf(table, labels, centers) });
  await writeAll(outputs);
  bar.stop();
  if (options.json) {
    process.stdout.write(`${JSON.stringify({
      file, rows: table.rows, columns: table.names, k: options.k, algorithm: options.miniBatch ? 'minibatch' : options.algorithm, inertia, nIter,
      sizes: sizes(labels, options.k), scores: quality, centers: toArrays(centers),
      labels: Array.from(labels), written: outputs.map((o) => o.path),
    })}\n`);
    return;
  }
  const lines = [
    `${file}: ${shape(table.rows, table.cols)}, k = ${options.k}`,
    `inertia ${fmt(inertia)} after ${nIter} iterations`,
    ...Object.entries(quality).map(([name, value]) => `${name} ${fmt(value)}`),
    `cluster sizes ${sizes(labels, options.k).join(' ')}`,
    ...outputs.map((o) => `wrote ${o.path}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/**
 * `cluster --stream`: the file read `chunkRows` rows at a time, never whole. KMeans.fitStream (one pass per Lloyd
 * iteration, seeded by k-means‖) or MiniBatchKMeans.fitStream (`passes` passes); then one more pass to label the
 * rows, count the clusters and write --out. No scores: they need every row in memory.
 */
async function clusterStream(file: string, options: ClusterOptions): Promise<void> {
  if (options.plot) throw new CliError('--plot needs every row in memory: leave out --stream, or plot a sample');
  if (options.passes !== undefined && !options.miniBatch) throw new CliError('--passes is for --mini-batch: KMeans makes one pass per iteration');
  if (options.nInit !== undefined) throw new CliError('--n-init does not go with --stream: each run would read the file again; one run is made, seeded by k-means‖');
  [options.out, options.centers].forEach(checkWritable);
  const bar = stages('k-means', ['reading', 'fitting', 'labelling', 'writing']);
  const source = await streamTable(file, options, options.chunkRows);
  await init();
  const common = { nClusters: options.k, randomState: options.seed, onWarning: (w: { message: string } | string) => warn(w), ...(options.maxIter ? { maxIter: options.maxIter } : {}) } as const;
  bar.next();
  const model = options.miniBatch
    ? await new MiniBatchKMeans({ ...common, batchSize: options.batchSize }).fitStream(source.pass, { passes: options.passes ?? 1 })
    : await new KMeans(common).fitStream(source.pass);
  bar.next();
  const { clusterCenters: centers, nIter } = model;
  const counts = new Array<number>(options.k).fill(0);
  let rows = 0;
  // MiniBatchKMeans' own inertia is its last batch's: the whole file's is summed in the labelling pass.
  let inertia = options.miniBatch ? 0 : model.inertia;
  // The labelling pass: counts, and the --out file's lines as they come.
  const labelLines = async function* () {
    yield 'label\n';
    for await (const chunk of source.pass()) {
      const labels = model.predict(chunk);
      for (const label of labels) counts[label]++;
      if (options.miniBatch) inertia -= model.score(chunk);
      rows += chunk.rows;
      yield `${labels.join('\n')}\n`;
    }
  };
  const outputs: Output[] = [];
  if (options.out) outputs.push({ path: options.out, contents: labelLines() });
  else for await (const _ of labelLines());
  if (options.centers) outputs.push({ path: options.centers, contents: matrixCsv(centers.data, centers.rows, centers.cols, source.names) });
  bar.next();
  await writeAll(outputs);
  bar.stop();
  const algorithm = options.miniBatch ? 'minibatch' : 'lloyd';
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ file, rows, columns: source.names, k: options.k, algorithm, streamed: true, inertia, nIter, sizes: counts, centers: toArrays(centers), written: outputs.map((o) => o.path) })}\n`);
    return;
  }
  const lines = [
    `${file}: ${shape(rows, source.names.length)}, k = ${options.k}, read ${options.chunkRows} rows at a time`,
    options.miniBatch ? `inertia ${fmt(inertia)} after ${options.passes ?? 1} pass${(options.passes ?? 1) === 1 ? '' : 'es'}` : `inertia ${fmt(inertia)} after ${nIter} iterations`,
    `cluster sizes ${counts.join(' ')}`,
    ...outputs.map((o) => `wrote ${o.path}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

function parseRange(text: string): [number, number] {
  const match = /^\s*(\d+)\s*(?:\.\.|-|:)\s*(\d+)\s*$/.exec(text);
  if (!match || Number(match[1]) < 2 || Number(match[2]) < Number(match[1])) throw new InvalidArgumentError('--range must be like 2..12, from 2 up');
  return [Number(match[1]), Number(match[2])];
}

async function chooseK(file: string, options: DataOptions & { range: [number, number]; seed?: number; nInit?: number; miniBatch?: boolean; plot?: string; json?: boolean }): Promise<void> {
  checkWritable(options.plot);
  const table = load(file, options);
  const x = matrixOf(table);
  const [from, to] = options.range;
  if (to >= table.rows) throw new CliError(`${file}: --range up to ${to} needs more than ${to} rows, the file has ${table.rows}`);
  await init();
  const bar = progress('choose-k', to - from + 1);
  const rows: { k: number; inertia: number; silhouette: number }[] = [];
  for (let k = from; k <= to; k++) {
    const common = { nClusters: k, randomState: options.seed, nInit: options.nInit ?? 'auto', onWarning: warn } as const;
    const model = options.miniBatch ? new MiniBatchKMeans(common).fit(x) : new KMeans(common).fit(x);
    const silhouette = scores(['silhouette'], x, model.labels, options.seed).silhouette ?? NaN;
    rows.push({ k, inertia: model.inertia, silhouette });
    bar.update(k - from + 1);
  }
  bar.stop();
  // The suggestion: the highest mean silhouette (the elbow of the inertia is left to the reader of the table).
  const suggested = rows.reduce((best, row) => (row.silhouette > best.silhouette ? row : best)).k;
  const outputs: Output[] = options.plot ? [{ path: options.plot, contents: chooseKSvg(rows, suggested) }] : [];
  await writeAll(outputs);
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ file, rows: table.rows, results: rows, suggestedK: suggested, written: outputs.map((o) => o.path) })}\n`);
    return;
  }
  const lines = ['k\tinertia\tsilhouette', ...rows.map((r) => `${r.k}\t${fmt(r.inertia)}\t${fmt(r.silhouette)}`), `suggested k: ${suggested} (highest silhouette)`, ...outputs.map((o) => `wrote ${o.path}`)];
  process.stdout.write(`${lines.join('\n')}\n`);
}

type Image = { width: number; height: number; data: Uint8Array };

function readImage(file: string): Image {
  const bytes = readBytes(file);
  if (bytes.length === 0) throw new CliError(`${file}: empty file`);
  try {
    if (bytes[0] === 0x89 && bytes.subarray(1, 4).toString('latin1') === 'PNG') return PNG.sync.read(bytes);
    if (bytes[0] === 0xff && bytes[1] === 0xd8) return decodeJpeg(bytes, { useTArray: true, formatAsRGBA: true });
  } catch (error) {
    throw new CliError(`${file}: cannot decode the image (${(error as Error).message.replace(/\s+/g, ' ')})`);
  }
  throw new CliError(`${file}: neither a PNG nor a JPEG image`);
}

function imageFormat(path: string): 'png' | 'jpeg' {
  const ext = extname(path).toLowerCase();
  if (ext === '.png') return 'png';
  if (ext === '.jpg' || ext === '.jpeg') return 'jpeg';
  throw new CliError(`${path}: the output must end in .png, .jpg or .jpeg`);
}

async function quantizeCommand(file: string, options: { k: number; output: string; seed?: number; method: string; quality: number; json?: boolean }): Promise<void> {
  const format = imageFormat(options.output);
  checkWritable(options.output);
  const bar = stages('quantize', ['decoding', 'quantizing', 'encoding']);
  const image = readImage(file);
  await init();
  bar.next();
  const result = quantize(image.data, { width: image.width, height: image.height, channels: 4, nColors: options.k, method: options.method as 'minibatch', randomState: options.seed, onWarning: warn });
  bar.next();
  const pixels = Uint8Array.from(result.pixels);
  const contents = format === 'png' ? PNG.sync.write({ width: image.width, height: image.height, data: pixels }) : encodeJpeg({ width: image.width, height: image.height, data: pixels }, options.quality).data;
  await writeAll([{ path: options.output, contents }]);
  bar.stop();
  const palette = Array.from({ length: options.k }, (_, i) => `#${Array.from(result.palette.subarray(3 * i, 3 * i + 3), (v) => v.toString(16).padStart(2, '0')).join('')}`);
  if (options.json) process.stdout.write(`${JSON.stringify({ file, width: image.width, height: image.height, k: options.k, inertia: result.inertia, palette, written: [options.output] })}\n`);
  else process.stdout.write(`${file}: ${image.width}×${image.height}, ${options.k} colours ${palette.join(' ')}\nwrote ${options.output}\n`);
}

async function spectral(file: string, options: DataOptions & { k: number; neighbors: number; affinity: string; gamma: number; assignLabels: string; seed?: number; out?: string; plot?: string; json?: boolean }): Promise<void> {
  [options.out, options.plot].forEach(checkWritable);
  const bar = stages('spectral', ['reading', 'clustering', 'writing']);
  const table = load(file, options);
  const x = matrixOf(table);
  await init();
  bar.next();
  const labels = new SpectralClustering({
    nClusters: options.k, affinity: options.affinity as 'nearest_neighbors', nNeighbors: options.neighbors, gamma: options.gamma,
    assignLabels: options.assignLabels as 'kmeans', randomState: options.seed,
  }).fitPredict(x);
  bar.next();
  const outputs: Output[] = [];
  if (options.out) outputs.push({ path: options.out, contents: labelsCsv(labels) });
  if (options.plot) outputs.push({ path: options.plot, contents: plotOf(table, labels, undefined) });
  await writeAll(outputs);
  bar.stop();
  const counts = sizes(labels, options.k);
  if (options.json) process.stdout.write(`${JSON.stringify({ file, rows: table.rows, k: options.k, sizes: counts, labels: Array.from(labels), written: outputs.map((o) => o.path) })}\n`);
  else process.stdout.write(`${[`${file}: ${table.rows} rows × ${table.cols} columns, k = ${options.k}`, `cluster sizes ${counts.join(' ')}`, ...outputs.map((o) => `wrote ${o.path}`)].join('\n')}\n`);
}

async function tsne(file: string, options: DataOptions & { output: string; components: number; perplexity: number; maxIter: number; method: string; seed?: number; labels?: string; plot?: string; json?: boolean }): Promise<void> {
  [options.output, options.plot].forEach(checkWritable);
  const table = load(file, options);
  // Colours for the plot: a labels file as `cluster --out` writes it (one column, a row per input row).
  const labels = options.labels === undefined ? undefined : readTable(options.labels, {}).data;
  if (labels && labels.length !== table.rows) throw new CliError(`${options.labels}: ${labels.length} labels for ${table.rows} rows of ${file}`);
  await init();
  const bar = progress('t-SNE', options.maxIter);
  const model = new TSNE({
    nComponents: options.components, perplexity: options.perplexity, maxIter: options.maxIter, method: options.method as 'barnes_hut', randomState: options.seed,
    onProgress: ({ iteration }) => bar.update(iteration + 1),
  }).fit(matrixOf(table));
  bar.stop();
  const embedding = model.embedding!;
  const header = Array.from({ length: embedding.cols }, (_, j) => `tsne${j + 1}`);
  const outputs: Output[] = [{ path: options.output, contents: matrixCsv(embedding.data, embedding.rows, embedding.cols, header) }];
  if (options.plot) {
    const xy = project2d(embedding.data, embedding.rows, embedding.cols).xy;
    outputs.push({ path: options.plot, contents: scatterSvg({ xy, labels: labels && Int32Array.from(labels), xLabel: 'tsne1', yLabel: embedding.cols > 1 ? 'tsne2' : '' }) });
  }
  await writeAll(outputs);
  if (options.json) process.stdout.write(`${JSON.stringify({ file, rows: table.rows, klDivergence: model.klDivergence, nIter: model.nIter, written: outputs.map((o) => o.path) })}\n`);
  else process.stdout.write(`${[`${file}: ${table.rows} rows × ${table.cols} columns → ${embedding.cols} dimensions, KL divergence ${fmt(model.klDivergence)} after ${model.nIter + 1} iterations`, ...outputs.map((o) => `wrote ${o.path}`)].join('\n')}\n`);
}

function warn(warning: { message: string } | string): void {
  process.stderr.write(`wasmeans: warning: ${typeof warning === 'string' ? warning : warning.message}\n`);
}

function program(): Command {
  const root = new Command('wasmeans')
    .description("k-means, spectral clustering and t-SNE on files (scikit-learn 1.2.1's semantics on SIMD WebAssembly)")
    .version(version, '-V, --version')
    .exitOverride();
  const seed = () => new Option('--seed <n>', 'random seed (default: random)').argParser(integer('--seed', 0));
  const json = () => new Option('--json', 'print a JSON object on stdout instead of the summary');
  const labelOutputs = (command: Command) => command
    .option('--out <file>', 'write the labels as CSV (one column, "label")')
    .option('--plot <file>', 'write an SVG scatter plot (the first two columns, or a 2-D PCA)')
    .addOption(json());

  withDataOptions(labelOutputs(root.command('cluster').argument('<file>', 'CSV, TSV, .npy (float32/float64) or JSON lines (.jsonl)')
    .description('k-means on the rows of a file')
    .requiredOption('-k, --k <n>', 'number of clusters', integer('-k', 1))
    .addOption(new Option('--algorithm <name>', 'k-means algorithm').choices(['auto', 'lloyd', 'elkan', 'hamerly', 'yinyang']).default('auto'))
    .addOption(seed())
    .option('--n-init <n>', "runs from different seeds, the best kept (default: scikit-learn's 'auto')", integer('--n-init', 1))
    .option('--max-iter <n>', 'iterations at most per run', integer('--max-iter', 1))
    .addOption(new Option('--metric <names>', `quality scores to report, comma-separated: ${SCORES.join(', ')}`).default(['silhouette'], 'silhouette')
      .argParser((text) => text.split(',').map((s) => {
        if (!SCORES.includes(s.trim() as Score)) throw new InvalidArgumentError(`--metric takes ${SCORES.join(', ')}`);
        return s.trim() as Score;
      })))
    .option('--mini-batch', 'MiniBatchKMeans instead of KMeans (for large files)')
    .option('--batch-size <n>', 'rows per mini-batch', integer('--batch-size', 1), 1024)
    .option('--centers <file>', 'write the centers as CSV (a row per cluster)')
    .option('--stream', 'read the file a chunk of rows at a time, never whole (CSV, TSV, .npy): for files larger than memory')
    .option('--chunk-rows <n>', 'rows read at a time with --stream', integer('--chunk-rows', 1), 65536)
    .option('--passes <n>', 'passes over the file with --stream --mini-batch', integer('--passes', 1))))
    .action(cluster);

  withDataOptions(root.command('choose-k').argument('<file>', 'CSV, TSV, .npy or JSON lines')
    .description('inertia and silhouette for each k of a range, and a suggested k')
    .requiredOption('--range <from..to>', 'values of k, like 2..12', parseRange)
    .addOption(seed())
    .option('--n-init <n>', 'runs per k', integer('--n-init', 1))
    .option('--mini-batch', 'MiniBatchKMeans instead of KMeans')
    .option('--plot <file>', 'write an SVG of inertia and silhouette against k')
    .addOption(json()))
    .action(chooseK);

  root.command('quantize').argument('<image>', 'PNG or JPEG image')
    .description('reduce an image to k colours (PNG or JPEG out, by the extension)')
    .requiredOption('-k, --k <n>', 'number of colours', integer('-k', 1))
    .requiredOption('-o, --output <file>', 'output image (.png, .jpg or .jpeg)')
    .addOption(seed())
    .addOption(new Option('--method <name>', 'clustering').choices(['minibatch', 'kmeans']).default('minibatch'))
    .option('--quality <q>', 'JPEG quality, 1 to 100', integer('--quality', 1), 90)
    .addOption(json())
    .action(quantizeCommand);

  withDataOptions(labelOutputs(root.command('spectral').argument('<file>', 'CSV, TSV, .npy or JSON lines')
    .description('spectral clustering on the rows of a file')
    .requiredOption('-k, --k <n>', 'number of clusters', integer('-k', 1))
    .option('--neighbors <n>', 'neighbours in the affinity graph', integer('--neighbors', 1), 10)
    .addOption(new Option('--affinity <name>', 'affinity').choices(['nearest_neighbors', 'rbf']).default('nearest_neighbors'))
    .option('--gamma <g>', "the rbf kernel's coefficient", number('--gamma'), 1)
    .addOption(new Option('--assign-labels <name>', 'how labels are read off the embedding').choices(['kmeans', 'discretize', 'cluster_qr']).default('kmeans'))
    .addOption(seed())))
    .action(spectral);

  withDataOptions(root.command('tsne').argument('<file>', 'CSV, TSV, .npy or JSON lines')
    .description('t-SNE embedding of the rows of a file')
    .requiredOption('-o, --output <file>', 'write the embedding as CSV')
    .option('--components <n>', 'dimensions of the embedding', integer('--components', 1), 2)
    .option('--perplexity <p>', 'perplexity', number('--perplexity'), 30)
    .option('--max-iter <n>', 'iterations (at least 250)', integer('--max-iter', 250), 1000)
    .addOption(new Option('--method <name>', 'gradient method').choices(['barnes_hut', 'exact', 'fft']).default('barnes_hut'))
    .addOption(seed())
    .option('--labels <file>', 'colour the plot by these labels (a CSV as cluster --out writes)')
    .option('--plot <file>', 'write an SVG scatter plot of the embedding')
    .addOption(json()))
    .action(tsne);

  return root;
}

/** Runs the CLI; the exit status: 0, 2 for bad input or usage, 1 for anything unexpected. */
export async function main(argv: string[]): Promise<number> {
  try {
    await program().parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; commander has already printed its one-line usage error.
      return error.exitCode === 0 ? 0 : 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    const line = message.replace(/\s*\n\s*/g, ' ');
    if (error instanceof CliError) process.stderr.write(`wasmeans: ${line}\n`);
    else if (error instanceof WasmeansError) process.stderr.write(`wasmeans: ${line}\n`);
    else {
      process.stderr.write(`wasmeans: internal error: ${line}\n`);
      return 1;
    }
    return error instanceof WasmeansError && !['INVALID_INPUT', 'INVALID_PARAMETER'].includes(error.code) ? 1 : 2;
  }
}
