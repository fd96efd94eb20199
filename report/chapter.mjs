// `npm start`: the Python Data Science Handbook's k-means chapter, every example run on the data shipped in the
// package, written as one self-contained HTML file (figures inline as SVG and PNG data: URIs, nothing fetched).
// Each figure is drawn twice by the same code: from our results, and from scikit-learn 1.2.1's, recorded in
// report/sklearn-chapter.json by report/make_report_fixture.py.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import { PNG } from 'pngjs';
import { loadDigits, loadSampleImage, makeBlobs, makeMoons } from '../build/datasets.js';
import {
  accuracyScore, adjustedRandScore, confusionMatrix, init, KMeans, matchLabels, pairwiseDistancesArgmin,
  quantize, RandomState, silhouetteScore, SpectralClustering, TSNE,
} from '../build/index.js';

const here = dirname(fileURLToPath(import.meta.url));
export const defaultOutput = resolve(here, 'out/wasmeans-kmeans-chapter.html');
const { document } = parseHTML('<!doctype html><html><body></body></html>');
const quiet = { onWarning: () => {} };

// ---- drawing ------------------------------------------------------------------------------------------------

/** Plot's SVG (or figure) as markup that stands alone in the page. */
function svg(options) {
  const node = Plot.plot({ document, style: { background: 'white', fontSize: '11px' }, ...options });
  const root = node.tagName.toLowerCase() === 'svg' ? node : node.querySelector('svg');
  root.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  return node.outerHTML;
}

const points = (data, cols = 2) => Array.from({ length: data.length / cols }, (_, i) => [data[i * cols], data[i * cols + 1]]);

/** Points coloured by label, centers as black discs: the chapter's scatter plot. */
function scatter({ xy, labels, centers, title, width = 320, height = 260, arrows }) {
  const rows = xy.map(([x, y], i) => ({ x, y, c: labels ? String(labels[i]) : 'all' }));
  const marks = [Plot.dot(rows, { x: 'x', y: 'y', r: 2.5, fill: labels ? 'c' : '#999', fillOpacity: 0.75 })];
  if (centers) marks.push(Plot.dot(centers.map(([x, y]) => ({ x, y })), { x: 'x', y: 'y', r: 7, fill: 'black', fillOpacity: 0.5 }));
  if (arrows) marks.push(Plot.arrow(arrows, { x1: 'x1', y1: 'y1', x2: 'x2', y2: 'y2', stroke: 'black', strokeWidth: 1.5 }));
  return svg({ width, height, title, color: { type: 'categorical', scheme: 'tableau10' }, x: { label: null }, y: { label: null }, marks });
}

function lines({ rows, y, title }) {
  return svg({ width: 320, height: 220, title, x: { label: 'k', ticks: 9 }, y: { label: y, grid: true }, marks: [Plot.line(rows, { x: 'k', y }), Plot.dot(rows, { x: 'k', y, fill: 'currentColor' })] });
}

/** The ten centers as 8 × 8 grey images, one facet each. */
function digitCenters(centers, title) {
  const rows = [];
  centers.forEach((center, k) => center.forEach((v, p) => rows.push({ k, col: p % 8, row: Math.floor(p / 8), v })));
  return svg({
    title, width: 640, height: 90, axis: null, padding: 0, fx: { padding: 0.1, axis: null },
    color: { scheme: 'greys', domain: [0, 16] }, x: { axis: null }, y: { axis: null },
    marks: [Plot.cell(rows, { fx: 'k', x: 'col', y: 'row', fill: 'v', inset: 0 })],
  });
}

function heatmap(matrix, title) {
  const rows = matrix.flatMap((row, t) => row.map((n, p) => ({ t, p, n })));
  return svg({
    title, width: 320, height: 300, x: { label: 'predicted' }, y: { label: 'true' }, color: { scheme: 'blues' },
    marks: [Plot.cell(rows, { x: 'p', y: 't', fill: 'n' }), Plot.text(rows, { x: 'p', y: 't', text: 'n', fill: (d) => (d.n > 90 ? 'white' : 'black') })],
  });
}

/** A sample of pixels in a pair of colour channels, each dot its own colour (the book's plot_pixels). */
function pixelSpace(rgb, title) {
  const rows = points(rgb, 3).map((_, i) => ({ r: rgb[3 * i] / 255, g: rgb[3 * i + 1] / 255, b: rgb[3 * i + 2] / 255, fill: `rgb(${rgb[3 * i]},${rgb[3 * i + 1]},${rgb[3 * i + 2]})` }));
  const pane = (y) => svg({ width: 260, height: 230, title: `${title}: red–${y === 'g' ? 'green' : 'blue'}`, x: { label: 'red', domain: [0, 1] }, y: { label: y === 'g' ? 'green' : 'blue', domain: [0, 1] }, marks: [Plot.dot(rows, { x: 'r', y, r: 0.7, fill: 'fill' })] });
  return pane('g') + pane('b');
}

/** RGB bytes as a PNG data: URI in an <img>. */
function photo(rgb, width, height, alt) {
  const png = new PNG({ width, height });
  for (let i = 0, n = width * height; i < n; i++) {
    png.data[4 * i] = rgb[3 * i];
    png.data[4 * i + 1] = rgb[3 * i + 1];
    png.data[4 * i + 2] = rgb[3 * i + 2];
    png.data[4 * i + 3] = 255;
  }
  const uri = `data:image/png;base64,${PNG.sync.write(png).toString('base64')}`;
  return `<img src="${uri}" width="${width / 2}" height="${height / 2}" alt="${alt}">`;
}

// ---- the chapter's own code -----------------------------------------------------------------------------------

const centerRows = (m) => points(m.data, m.cols);

function means(x, labels, k) {
  const sums = new Float64Array(k * 2);
  const counts = new Float64Array(k);
  for (let i = 0; i < labels.length; i++) {
    sums[2 * labels[i]] += x.data[2 * i];
    sums[2 * labels[i] + 1] += x.data[2 * i + 1];
    counts[labels[i]]++;
  }
  return sums.map((s, j) => s / counts[j >> 1]);
}

/** find_clusters: random rows as centers (RandomState(rseed).permutation(n)[:k]), E and M steps until fixed. */
function findClusters(x, k, rseed) {
  const rows = new RandomState(rseed).permutation(x.rows).subarray(0, k);
  let centers = new Float64Array(k * 2);
  rows.forEach((r, j) => centers.set(x.data.subarray(2 * r, 2 * r + 2), 2 * j));
  for (;;) {
    const labels = pairwiseDistancesArgmin(x, { data: centers, rows: k, cols: 2 });
    const next = means(x, labels, k);
    if (next.every((v, i) => v === centers[i])) {
      let inertia = 0;
      for (let i = 0; i < x.rows; i++) inertia += (x.data[2 * i] - centers[2 * labels[i]]) ** 2 + (x.data[2 * i + 1] - centers[2 * labels[i] + 1]) ** 2;
      return { labels, centers: points(centers), inertia };
    }
    centers = next;
  }
}

// ---- the report -------------------------------------------------------------------------------------------

const fmt = (v, d = 3) => (typeof v === 'number' ? v.toFixed(d) : String(v));
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;');

/**
 * Runs the chapter and writes the report to `output`. `onStep(done, total, next)` reports progress: steps done, and the one under way.
 * Returns the output path, the summary rows and the total seconds.
 */
export async function writeReport(output = defaultOutput, { onStep = () => {} } = {}) {
  const sk = JSON.parse(readFileSync(resolve(here, 'sklearn-chapter.json'), 'utf8'));
  const started = performance.now();
  await init();
  const sections = [];
  const summary = [];
  const steps = 8;
  let done = 0;
  const time = (fn) => {
    const t = performance.now();
    const result = fn();
    return [result, (performance.now() - t) / 1000];
  };
  // The bar names the step under way, so that it names t-SNE while t-SNE runs.
  const upcoming = ['blobs', 'expectation–maximization', 'find_clusters', 'choosing k', 'moons', 'digits', 't-SNE', 'colour compression', 'writing'];
  onStep(0, steps, upcoming[0]);
  const section = (title, text, figures, timings) => {
    sections.push({ title, text, figures, timings });
    onStep(++done, steps, upcoming[done]);
  };
  const pair = (ours, theirs) => `<div class="pair"><figure><figcaption>wasmeans</figcaption>${ours}</figure><figure><figcaption>scikit-learn ${sk.sklearn} (recorded)</figcaption>${theirs}</figure></div>`;
  const timing = (name, ours, key = name) => `<tr><td>${esc(name)}</td><td>${fmt(ours, 4)} s</td><td>${sk.seconds[key] === undefined ? '' : `${fmt(sk.seconds[key], 4)} s`}</td></tr>`;
  const row = (name, metric, ours, theirs, seconds, key) => summary.push({ section: name, metric, wasmeans: ours, sklearn: theirs, seconds, sklearnSeconds: sk.seconds[key] });

  // 1. The blobs, then KMeans(4).
  const { X } = makeBlobs({ nSamples: 300, centers: 4, clusterStd: 0.6, randomState: 0 });
  const xy = points(X.data);
  const [km, tBlobs] = time(() => new KMeans({ nClusters: 4, nInit: 10, randomState: 0 }).fit(X));
  section('1. Four blobs, then KMeans(4)', 'makeBlobs({nSamples: 300, centers: 4, clusterStd: 0.6, randomState: 0}) unlabelled, then coloured by KMeans(nClusters: 4); the black discs are the cluster centers.',
    scatter({ xy, title: 'the data, unlabelled' }) +
      pair(scatter({ xy, labels: km.labels, centers: centerRows(km.clusterCenters), title: `inertia ${fmt(km.inertia)}` }),
        scatter({ xy, labels: sk.blobs.labels, centers: sk.blobs.centers, title: `inertia ${fmt(sk.blobs.inertia)}` })),
    timing('KMeans(4), nInit 10', tBlobs, 'blobs'));
  row('1 blobs', 'inertia', km.inertia, sk.blobs.inertia, tBlobs, 'blobs');

  // 2. Expectation–maximization, three rounds from the book's figure's start.
  const rng = new RandomState(1);
  const start = Float64Array.from({ length: 8 }, (_, i) => (i % 2 ? 4 : 0) + rng.normal(0, 1));
  const [em, tEm] = time(() => {
    let centers = start;
    const out = [];
    for (let s = 0; s < 3; s++) {
      const labels = pairwiseDistancesArgmin(X, { data: centers, rows: 4, cols: 2 });
      const next = means(X, labels, 4);
      out.push({ centers: points(centers), labels, newCenters: points(next) });
      centers = next;
    }
    return out;
  });
  const emFigures = (steps) => steps.map((s, i) => scatter({
    xy, labels: s.labels, centers: s.centers, width: 220, height: 200, title: `step ${i + 1}: E then M`,
    arrows: s.centers.map(([x1, y1], j) => ({ x1, y1, x2: s.newCenters[j][0], y2: s.newCenters[j][1] })),
  })).join('');
  const emSame = em.every((s, i) => s.labels.every((l, j) => l === sk.em.steps[i].labels[j]));
  section('2. Expectation–maximization, step by step', 'From the centers [0, 4] + RandomState(1).randn(4, 2): each step assigns every point to its nearest center (E, colours) and moves each center to the mean of its points (M, arrows).',
    pair(`<div class="row">${emFigures(em)}</div>`, `<div class="row">${emFigures(sk.em.steps)}</div>`), timing('three E–M steps', tEm, 'em'));
  row('2 E–M steps', 'labels as sklearn', emSame ? 'same' : 'differ', 'same', tEm, 'em');

  // 3. find_clusters, a good and a poor seed, and restarts.
  const [fc2, t2] = time(() => findClusters(X, 4, 2));
  const [fc0, t0] = time(() => findClusters(X, 4, 0));
  const [rs, tRs] = time(() => new KMeans({ nClusters: 4, init: 'random', nInit: 10, randomState: 0 }).fit(X));
  const fc = (r, name) => scatter({ xy, labels: r.labels, centers: r.centers, width: 240, height: 210, title: `${name}: inertia ${fmt(r.inertia)}` });
  section('3. find_clusters: a good seed, a poor optimum, and restarts', "The chapter's own k-means (random rows as centers, then E and M steps until the centers stop moving) with rseed 2 finds the blobs; with rseed 0 it stops in a poor local optimum. Ten random restarts (KMeans(4, init 'random', nInit 10)) keep the best and fix it.",
    pair(`<div class="row">${fc(fc2, 'rseed 2')}${fc(fc0, 'rseed 0')}${fc({ labels: rs.labels, centers: centerRows(rs.clusterCenters), inertia: rs.inertia }, 'nInit 10')}</div>`,
      `<div class="row">${fc(sk.findClusters2, 'rseed 2')}${fc(sk.findClusters0, 'rseed 0')}${fc(sk.restarts, 'nInit 10')}</div>`),
    timing('find_clusters, rseed 2', t2, 'findClusters2') + timing('find_clusters, rseed 0', t0, 'findClusters0') + timing("KMeans(4, 'random', nInit 10)", tRs, 'restarts'));
  row('3 find_clusters rseed 0', 'inertia', fc0.inertia, sk.findClusters0.inertia, t0, 'findClusters0');
  row('3 restarts (nInit 10)', 'inertia', rs.inertia, sk.restarts.inertia, tRs, 'restarts');

  // 4. Too many clusters, and choosing k.
  const [k6, tK6] = time(() => new KMeans({ nClusters: 6, nInit: 10, randomState: 0 }).fit(X));
  const [chooseK, tChoose] = time(() => Array.from({ length: 9 }, (_, i) => {
    const model = new KMeans({ nClusters: i + 2, nInit: 10, randomState: 0 }).fit(X);
    return { k: i + 2, inertia: model.inertia, silhouette: silhouetteScore(X, model.labels) };
  }));
  const best = (rows) => rows.reduce((a, b) => (b.silhouette > a.silhouette ? b : a)).k;
  const kFigures = (labels, centers, inertia, rows) => `<div class="row">${scatter({ xy, labels, centers, width: 260, height: 220, title: `KMeans(6): inertia ${fmt(inertia)}` })}${lines({ rows, y: 'inertia', title: 'inertia (elbow)' })}${lines({ rows, y: 'silhouette', title: `silhouette (best k = ${best(rows)})` })}</div>`;
  section('4. KMeans(6), and choosing k', 'Asked for six clusters, k-means finds six: it cannot tell the number from the data. The inertia for k = 2…10 bends at the elbow k = 4, where the silhouette score is highest.',
    pair(kFigures(k6.labels, centerRows(k6.clusterCenters), k6.inertia, chooseK), kFigures(sk.k6.labels, sk.k6.centers, sk.k6.inertia, sk.chooseK)),
    timing('KMeans(6)', tK6, 'k6') + timing('KMeans(k) and silhouette, k = 2…10', tChoose, 'chooseK'));
  row('4 choosing k', 'best silhouette k', best(chooseK), best(sk.chooseK), tChoose, 'chooseK');

  // 5. Moons.
  const moons = makeMoons({ nSamples: 200, noise: 0.05, randomState: 0 });
  const mxy = points(moons.X.data);
  const [moonsKm, tMk] = time(() => new KMeans({ nClusters: 2, nInit: 10, randomState: 0 }).fit(moons.X).labels);
  const [moonsSc, tMs] = time(() => new SpectralClustering({ nClusters: 2, affinity: 'nearest_neighbors', assignLabels: 'kmeans', randomState: 0, ...quiet }).fitPredict(moons.X));
  const ariK = adjustedRandScore(moons.y, moonsKm);
  const ariS = adjustedRandScore(moons.y, moonsSc);
  const mf = (a, b, ka, kb) => `<div class="row">${scatter({ xy: mxy, labels: a, width: 260, height: 200, title: `KMeans(2): ARI ${fmt(ka)}` })}${scatter({ xy: mxy, labels: b, width: 260, height: 200, title: `SpectralClustering(2): ARI ${fmt(kb)}` })}</div>`;
  section('5. Moons: k-means cuts straight, spectral clustering follows them', "makeMoons({nSamples: 200, noise: 0.05, randomState: 0}). k-means' boundaries are straight lines; SpectralClustering(2, affinity 'nearest_neighbors', assignLabels 'kmeans') clusters a nearest-neighbour graph's embedding instead. ARI: adjusted Rand index against the true moons.",
    pair(mf(moonsKm, moonsSc, ariK, ariS), mf(sk.moons.kmeans, sk.moons.spectral, sk.moons.kmeansARI, sk.moons.spectralARI)),
    timing('KMeans(2)', tMk, 'moonsKMeans') + timing('SpectralClustering(2)', tMs, 'moonsSpectral'));
  row('5 moons KMeans', 'ARI', ariK, sk.moons.kmeansARI, tMk, 'moonsKMeans');
  row('5 moons spectral', 'ARI', ariS, sk.moons.spectralARI, tMs, 'moonsSpectral');

  // 6. Digits.
  const digits = loadDigits();
  const [dkm, tDigits] = time(() => new KMeans({ nClusters: 10, nInit: 10, randomState: 0 }).fit(digits.data));
  const matched = matchLabels(dkm.labels, digits.target);
  const accuracy = accuracyScore(digits.target, matched);
  const cm = confusionMatrix(digits.target, matched);
  const cmRows = Array.from({ length: cm.rows }, (_, i) => Array.from(cm.data.subarray(i * cm.cols, (i + 1) * cm.cols)));
  const dCenters = Array.from({ length: 10 }, (_, k) => Array.from(dkm.clusterCenters.data.subarray(64 * k, 64 * k + 64)));
  section('6. Digits: ten centers, accuracy, confusion', 'KMeans(10) on the 1797 8 × 8 digits (loadDigits) without their labels. Its centers look like digits; each cluster, named after its most common digit (matchLabels), gives the accuracy, and the confusion matrix shows what is mixed up (1 and 8).',
    pair(`${digitCenters(dCenters, `accuracy ${fmt(accuracy, 4)}`)}${heatmap(cmRows, 'confusion matrix')}`, `${digitCenters(sk.digits.centers, `accuracy ${fmt(sk.digits.accuracy, 4)}`)}${heatmap(sk.digits.confusion, 'confusion matrix')}`),
    timing('KMeans(10) on the digits', tDigits, 'digits'));
  row('6 digits', 'accuracy', accuracy, sk.digits.accuracy, tDigits, 'digits');

  // 7. t-SNE, then k-means.
  const [emb, tTsne] = time(() => new TSNE({ nComponents: 2, init: 'random', randomState: 0 }).fitTransform(digits.data));
  const [tLabels, tTkm] = time(() => new KMeans({ nClusters: 10, nInit: 10, randomState: 0 }).fit(emb).labels);
  const tAccuracy = accuracyScore(digits.target, matchLabels(tLabels, digits.target));
  section('7. Digits through t-SNE, then k-means', "TSNE(2, init 'random', randomState 0) projects the digits to the plane, keeping neighbours together; KMeans(10) on the embedding then finds the digits far better.",
    pair(scatter({ xy: points(emb.data), labels: tLabels, width: 380, height: 320, title: `accuracy ${fmt(tAccuracy, 4)}` }), scatter({ xy: sk.tsne.embedding, labels: sk.tsne.labels, width: 380, height: 320, title: `accuracy ${fmt(sk.tsne.accuracy, 4)}` })),
    timing('TSNE(2)', tTsne, 'tsne') + timing('KMeans(10) on the embedding', tTkm, 'tsneKMeans'));
  row('7 t-SNE, then KMeans', 'accuracy', tAccuracy, sk.tsne.accuracy, tTsne, 'tsne');

  // 8. Colour compression.
  const china = loadSampleImage('china.jpg');
  const n = china.width * china.height;
  const sampleRows = new RandomState(0).permutation(n).subarray(0, 10000);
  const sample = new Uint8Array(3 * sampleRows.length);
  sampleRows.forEach((r, i) => sample.set(china.pixels.subarray(3 * r, 3 * r + 3), 3 * i));
  const [q, tChina] = time(() => quantize(china.pixels, { width: china.width, height: china.height, channels: 3, nColors: 16, randomState: 0, ...quiet }));
  const skPng = PNG.sync.read(Buffer.from(sk.china.png, 'base64'));
  const skRgb = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) skRgb.set(skPng.data.subarray(4 * i, 4 * i + 3), 3 * i);
  const skSample = Array.from(Buffer.from(sk.china.sample, 'base64'));
  section('8. Colour compression', 'The china photo (loadSampleImage), its 273 280 pixels as points in RGB space (a sample of 10 000 drawn), clustered by MiniBatchKMeans(16) (quantize): each pixel takes its cluster\'s colour, 16 colours instead of 16 million.',
    `<figure><figcaption>the original</figcaption>${photo(china.pixels, china.width, china.height, 'the china photo')}</figure>` +
      pair(`<div class="row">${pixelSpace(sample, 'input')}</div>${photo(q.pixels, china.width, china.height, '16 colours, wasmeans')}<p>inertia ${fmt(q.inertia)}</p>`,
        `<div class="row">${pixelSpace(skSample, 'input')}</div>${photo(skRgb, china.width, china.height, '16 colours, scikit-learn')}<p>inertia ${fmt(sk.china.inertia)}</p>`),
    timing('quantize: MiniBatchKMeans(16), nInit 3', tChina, 'china'));
  row('8 colour compression', 'inertia', q.inertia, sk.china.inertia, tChina, 'china');

  const seconds = (performance.now() - started) / 1000;
  const body = sections.map((s, i) => `<section id="s${i + 1}"><h2>${esc(s.title)}</h2><p>${esc(s.text)}</p>${s.figures}<table class="t"><tr><th>step</th><th>wasmeans</th><th>scikit-learn (recorded)</th></tr>${s.timings}</table></section>`).join('\n');
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>wasmeans: the k-means chapter</title><link rel="icon" href="data:,">
<style>body{font:14px/1.45 system-ui,sans-serif;max-width:1400px;margin:1em auto;padding:0 1em;color:#222}
section{border-top:1px solid #ccc;margin-top:1.5em}.pair{display:flex;flex-wrap:wrap;gap:1.5em}.row{display:flex;flex-wrap:wrap;gap:.5em}
figure{margin:0}figcaption{font-weight:600;margin:.3em 0}table.t{border-collapse:collapse;margin:.6em 0;font-size:12px}
table.t td,table.t th{border:1px solid #ddd;padding:2px 8px;text-align:left}svg{overflow:visible}figure h2{font-size:13px;font-weight:500;margin:.2em 0}</style></head>
<body><h1>In depth: k-means clustering, on wasmeans</h1>
<p>The examples of the Python Data Science Handbook's k-means chapter run by wasmeans on the data shipped in the package; beside each figure, scikit-learn ${sk.sklearn}'s results (recorded by report/make_report_fixture.py, drawn by the same code). Generated in ${fmt(seconds, 2)} s; timings are ours, scikit-learn's as recorded (one thread, each step run once before it was timed) on the machine that ran the script.</p>
${body}
</body></html>
`;
  mkdirSync(dirname(output), { recursive: true });
  writeFileSync(output, html);
  return { path: resolve(output), summary, seconds };
}

async function main() {
  let bar;
  if (process.stderr.isTTY) {
    const { default: progress } = await import('cli-progress');
    bar = new progress.SingleBar({ stream: process.stderr, format: 'chapter [{bar}] {value}/{total} {step}' }, progress.Presets.shades_classic);
    bar.start(8, 0, { step: '' });
  }
  const { path, summary, seconds } = await writeReport(process.argv[2] ?? defaultOutput, { onStep: (done, _total, step) => bar?.update(done, { step }) });
  bar?.stop();
  const cell = (v) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(4)) : v);
  console.table(summary.map((r) => ({
    section: r.section, metric: r.metric, wasmeans: cell(r.wasmeans), 'scikit-learn': cell(r.sklearn),
    'seconds': r.seconds.toFixed(3), 'sklearn s (recorded)': r.sklearnSeconds?.toFixed(3) ?? '',
  })));
  console.log(`\nReport written in ${seconds.toFixed(1)} s: ${path}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main();
