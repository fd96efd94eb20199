// SVG plots with Observable Plot in Node: linkedom supplies the document Plot draws into.
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';

const SVG_NS = 'http://www.w3.org/2000/svg';

function newDocument(): Document {
  return parseHTML('<!doctype html><html><body></body></html>').document as unknown as Document;
}

/** Plot's figure as a standalone SVG file (a browser opening it needs the namespace Plot leaves to the page). */
function standalone(svg: Element): string {
  svg.setAttribute('xmlns', SVG_NS);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${svg.outerHTML}\n`;
}

/**
 * Two coordinates per row: the first two columns, or with more than two the projection on the two leading
 * principal axes (power iteration on the covariance, deflated; enough for a picture).
 */
export interface Projection {
  xy: Float64Array;
  /** Axis names for a PCA; undefined when the first two columns were taken as they are. */
  axes: [string, string] | undefined;
  /** Other rows (the centers) through the same projection. */
  project(data: ArrayLike<number>, rows: number): Float64Array;
}

export function project2d(data: ArrayLike<number>, rows: number, cols: number): Projection {
  const mean = new Float64Array(cols);
  const axes: Float64Array[] = [];
  if (cols <= 2) {
    axes.push(Float64Array.of(1, 0), Float64Array.of(0, 1));
  } else {
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) mean[j] += data[i * cols + j] / rows;
    const cov = new Float64Array(cols * cols);
    for (let i = 0; i < rows; i++) {
      for (let a = 0; a < cols; a++) {
        const da = data[i * cols + a] - mean[a];
        for (let b = a; b < cols; b++) cov[a * cols + b] += da * (data[i * cols + b] - mean[b]);
      }
    }
    for (let a = 0; a < cols; a++) for (let b = 0; b < a; b++) cov[a * cols + b] = cov[b * cols + a];
    for (let c = 0; c < 2; c++) {
      let v = Float64Array.from({ length: cols }, (_, j) => 1 + j / cols);
      let lambda = 0;
      for (let iter = 0; iter < 1000; iter++) {
        const w = new Float64Array(cols);
        for (let a = 0; a < cols; a++) for (let b = 0; b < cols; b++) w[a] += cov[a * cols + b] * v[b];
        const norm = Math.hypot(...w);
        if (norm === 0) break;
        for (let a = 0; a < cols; a++) w[a] /= norm;
        const delta = w.reduce((sum, x, a) => sum + Math.abs(x - v[a]), 0);
        v = w;
        lambda = norm;
        if (delta < 1e-12) break;
      }
      axes.push(v);
      for (let a = 0; a < cols; a++) for (let b = 0; b < cols; b++) cov[a * cols + b] -= lambda * v[a] * v[b];
    }
  }
  const project = (points: ArrayLike<number>, n: number) => {
    const xy = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < 2; c++) {
        let sum = 0;
        for (let j = 0; j < cols && j < axes[c].length; j++) sum += (points[i * cols + j] - mean[j]) * axes[c][j];
        xy[2 * i + c] = sum;
      }
    }
    return xy;
  };
  return { xy: project(data, rows), axes: cols > 2 ? ['PC1', 'PC2'] : undefined, project };
}

export interface ScatterOptions {
  xy: Float64Array;
  labels?: ArrayLike<number>;
  centers?: Float64Array;
  xLabel: string;
  yLabel: string;
}

export function scatterSvg({ xy, labels, centers, xLabel, yLabel }: ScatterOptions): string {
  const points = Array.from({ length: xy.length / 2 }, (_, i) => ({ x: xy[2 * i], y: xy[2 * i + 1], cluster: labels ? String(labels[i]) : '' }));
  const marks: Plot.Markish[] = [Plot.dot(points, { x: 'x', y: 'y', r: 2, ...(labels ? { fill: 'cluster' } : { fill: 'steelblue' }) })];
  if (centers) {
    const centerPoints = Array.from({ length: centers.length / 2 }, (_, i) => ({ x: centers[2 * i], y: centers[2 * i + 1] }));
    marks.push(Plot.dot(centerPoints, { x: 'x', y: 'y', symbol: 'times', r: 6, stroke: 'black', strokeWidth: 2 }));
  }
  const svg = Plot.plot({
    document: newDocument(), width: 640, height: 480, grid: true,
    x: { label: xLabel }, y: { label: yLabel },
    color: { type: 'categorical', legend: false },
    marks,
  });
  return standalone(svg as unknown as Element);
}

/** choose-k's plot: inertia and silhouette against k, one panel above the other, the suggested k marked. */
export function chooseKSvg(rows: { k: number; inertia: number; silhouette: number }[], suggested: number): string {
  const panel = (y: 'inertia' | 'silhouette', label: string) => Plot.plot({
    document: newDocument(), width: 640, height: 260, grid: true,
    x: { label: 'k', ticks: rows.map((r) => r.k), tickFormat: 'd' }, y: { label },
    marks: [
      Plot.ruleX([suggested], { stroke: 'orange', strokeDasharray: '4,3' }),
      Plot.line(rows, { x: 'k', y }),
      Plot.dot(rows, { x: 'k', y, fill: 'steelblue' }),
    ],
  }) as unknown as Element;
  const top = panel('inertia', 'inertia');
  const bottom = panel('silhouette', 'silhouette');
  bottom.setAttribute('y', '260');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="${SVG_NS}" width="640" height="520" viewBox="0 0 640 520">${top.outerHTML}${bottom.outerHTML}</svg>\n`;
}
