// The chapter report (report/chapter.mjs, `npm start`): generated into a temporary directory, then opened from
// the file system in headless Chromium, which must find every section's figures drawn, log no error and make no
// request beyond the file itself. Screenshot: test/report/artifacts/report.png.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { writeReport, type SummaryRow } from '../../report/chapter.mjs';

const dir = mkdtempSync(join(tmpdir(), 'wasmeans-report-'));
const output = join(dir, 'chapter.html');
const artifacts = join(import.meta.dirname, 'artifacts');
let browser: Browser;
let summary: SummaryRow[];
let steps = 0;

beforeAll(async () => {
  ({ summary } = await writeReport(output, { onStep: (done) => (steps = done) }));
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('every step ran and matches the recorded scikit-learn results where the algorithms are the same', () => {
  expect(steps).toBe(8);
  const by = (section: string) => summary.find((row) => row.section === section)!;
  // Same data, same seeds, same algorithms: the same numbers, to the inertia's summation order (the photo
  // decodes a level or two differently).
  for (const section of ['1 blobs', '3 find_clusters rseed 0', '3 restarts (nInit 10)']) {
    expect(Math.abs((by(section).wasmeans as number) / (by(section).sklearn as number) - 1)).toBeLessThan(1e-7);
  }
  expect(by('2 E–M steps').wasmeans).toBe('same');
  expect(by('4 choosing k').wasmeans).toBe(4);
  expect(by('5 moons spectral').wasmeans).toBe(1);
  expect(by('6 digits').wasmeans).toBe(by('6 digits').sklearn);
  expect(by('7 t-SNE, then KMeans').wasmeans as number).toBeGreaterThan(0.9);
  expect(Math.abs((by('8 colour compression').wasmeans as number) / (by('8 colour compression').sklearn as number) - 1)).toBeLessThan(0.02);
});

test('the report opens from the file system with every figure drawn, no errors and no requests', async () => {
  const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('request', (request) => requests.push(request.url()));
  const url = pathToFileURL(output).href;
  await page.goto(url, { waitUntil: 'load' });

  const sections = await page.$$eval('section', (nodes) => nodes.map((section) => ({
    id: section.id,
    svgs: Array.from(section.querySelectorAll('svg')).filter((svg) => svg.querySelectorAll('circle, path, rect').length > 0 && svg.getBoundingClientRect().width > 0).length,
    imgs: Array.from(section.querySelectorAll('img')).filter((img) => img.complete && img.naturalWidth === 640 && img.naturalHeight === 427).length,
  })));
  // Per section, ours and scikit-learn's: 1 the data + 2 scatters; 2 and 3 three panes each; 4 a scatter and two
  // curves each; 5 two scatters each; 6 centers and confusion each; 7 one embedding each; 8 two pixel-space
  // plots each, and three photos (the original, both 16-colour versions).
  const expected = [[3, 0], [6, 0], [6, 0], [6, 0], [4, 0], [4, 0], [2, 0], [4, 3]];
  expect(sections.map((s) => [s.svgs, s.imgs])).toEqual(expected);
  expect(await page.$$eval('table.t tr', (rows) => rows.length)).toBe(8 + 13); // a header and a row a timed step
  expect(errors).toEqual([]);
  expect(requests).toEqual([url]);

  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, 'report.png'), fullPage: true });
  await page.close();
  // Self-contained: no script, stylesheet or image is referenced but inline.
  expect(readFileSync(output, 'utf8')).not.toMatch(/(src|href)="(?!data:)/);
}, 60_000);
