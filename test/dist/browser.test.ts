// Headless Chromium (Debian's /usr/bin/chromium driven by playwright-core), from the tarball: one app
// (browser/app.js) loaded four ways (plain ESM through an import map, bundled by Vite, esbuild and rollup),
// each served over http://127.0.0.1 and asserted on what it writes into the page, with no console or page
// errors; and a threaded app (browser/app-threads.js) on a crossOriginIsolated page, whose fitAsync runs on a Web
// Worker too. Screenshots go to test/dist/artifacts/<variant>.png; the bytes each page loaded are printed.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import * as esbuild from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { rollup } from 'rollup';
import { build as viteBuild } from 'vite';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';

const consumerDir = inject('consumerDir');
const repoDir = inject('repoDir');
const artifactsDir = join(repoDir, 'test/dist/artifacts');
const chromiumPath = '/usr/bin/chromium';

const mimeTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.css': 'text/css',
  '.png': 'image/png',
};

/** Every file the server sent since the last reset, for the download sizes. */
const served: { path: string; body: Buffer }[] = [];

/** A static file server over the consumer project (so the plain page reaches its node_modules). */
function serve(root: string): Promise<Server> {
  const server = createServer((request, response) => {
    const path = normalize(join(root, decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)));
    if (relative(root, path).startsWith('..') || !existsSync(path) || !mimeTypes[extname(path)]) {
      response.writeHead(404).end();
      return;
    }
    const body = readFileSync(path);
    served.push({ path, body });
    // Pages under browser/threads/ are crossOriginIsolated, as a page needs to be for SharedArrayBuffer.
    const isolation = relative(root, path).startsWith(join('browser', 'threads'))
      ? { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' }
      : {};
    response.writeHead(200, { 'content-type': mimeTypes[extname(path)], 'cache-control': 'no-store', ...isolation }).end(body);
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}

const html = (script: string, head = '') => `<!doctype html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>wasmeans</title>${head}</head>
<body><h1>wasmeans</h1><script type="module" src="${script}"></script></body></html>
`;

/** A fresh directory under the consumer project holding the app, as a user's project would. */
function project(name: string, app = 'app.js'): string {
  const dir = join(consumerDir, 'browser', name);
  mkdirSync(join(dir, 'dist'), { recursive: true });
  copyFileSync(join(import.meta.dirname, 'browser', app), join(dir, 'app.js'));
  copyFileSync(join(import.meta.dirname, 'browser/page.js'), join(dir, 'page.js'));
  return dir;
}

/** For the bundlers that leave the HTML to the user: a page loading dist/app.js. */
function distPage(dir: string): string {
  writeFileSync(join(dir, 'dist/index.html'), html('./app.js'));
  return join(dir, 'dist/index.html');
}

/** Each variant builds its project and returns the page to open. */
const variants: Record<string, (dir: string) => Promise<string>> = {
  async plain(dir) {
    // Only the package's two entries: the build imports nothing else bare (jpeg-js is bundled into the
    // datasets entry), and one creeping back in would fail this page.
    const imports = {
      wasmeans: '/node_modules/wasmeans/build/index.js',
      'wasmeans/datasets': '/node_modules/wasmeans/build/datasets.js',
    };
    writeFileSync(join(dir, 'index.html'), html('./app.js', `<script type="importmap">${JSON.stringify({ imports })}</script>`));
    return join(dir, 'index.html');
  },
  async vite(dir) {
    writeFileSync(join(dir, 'index.html'), html('./app.js'));
    await viteBuild({ root: dir, base: './', configFile: false, logLevel: 'warn', build: { outDir: 'dist', emptyOutDir: true } });
    return join(dir, 'dist/index.html');
  },
  async esbuild(dir) {
    await esbuild.build({ entryPoints: [join(dir, 'app.js')], outfile: join(dir, 'dist/app.js'), bundle: true, minify: true, format: 'esm', platform: 'browser', logLevel: 'warning' });
    return distPage(dir);
  },
  async rollup(dir) {
    const bundle = await rollup({ input: join(dir, 'app.js'), plugins: [nodeResolve({ browser: true })] });
    await bundle.write({ dir: join(dir, 'dist'), entryFileNames: 'app.js', format: 'es', plugins: [terser()] });
    await bundle.close();
    return distPage(dir);
  },
};

let browser: Browser;
let server: Server;
let origin: string;

beforeAll(async () => {
  if (!existsSync(chromiumPath)) {
    throw new Error(`${chromiumPath} is missing: the browser tests need Debian's Chromium (apt-get install -y chromium)`);
  }
  mkdirSync(artifactsDir, { recursive: true });
  server = await serve(consumerDir);
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
});

afterAll(async () => {
  await browser?.close();
  server?.close();
});

/** Opens a page, waits for #result, checks there were no errors; returns what the app wrote. Screenshot kept. */
async function runPage(name: string, page: string): Promise<unknown> {
  const context = await browser.newContext({ viewport: { width: 480, height: 480 } });
  const tab = await context.newPage();
  const errors: string[] = [];
  tab.on('console', (message) => message.type() === 'error' && errors.push(`console: ${message.text()}`));
  tab.on('pageerror', (error) => errors.push(`page: ${error.message}`));
  served.length = 0;
  try {
    // A module that fails to load or link never writes #result: fail on the first page error or failed
    // request, not on the timeout.
    const failed = new Promise<never>((_, reject) => {
      tab.on('pageerror', (error) => reject(new Error(`page error: ${error.message}`)));
      tab.on('response', (response) => response.status() >= 400 && reject(new Error(`${response.status()} for ${response.url()}`)));
    });
    failed.catch(() => {});
    await tab.goto(origin + page);
    const result = await Promise.race([failed, tab.waitForSelector('#result', { timeout: 20_000 })]).catch((error: Error) => {
      throw new Error([error.message, ...errors].join('\n'));
    });
    const downloads = served.filter(({ path }) => /\.(js|wasm)$/.test(path));
    const bytes = downloads.reduce((sum, { body }) => sum + body.length, 0);
    const gzipped = downloads.reduce((sum, { body }) => sum + gzipSync(body).length, 0);
    console.log(`${name}: ${downloads.length} files, ${bytes} bytes, ${gzipped} gzipped`);
    expect(await result.getAttribute('class'), await result.textContent() ?? '').toBeNull();
    expect(errors).toEqual([]);
    return JSON.parse((await result.textContent()) ?? '');
  } finally {
    await tab.screenshot({ path: join(artifactsDir, `${name}.png`) }).catch(() => {});
    await context.close();
  }
}

test.each(Object.keys(variants))('%s: loads wasmeans and wasmeans/datasets, fits the handbook blobs', async (name) => {
  const page = join('/', relative(consumerDir, await variants[name](project(name))));
  expect(await runPage(name, page)).toEqual({ ari: 1, n: 300, centers: 4, sameAsync: true });
});

test('threads: on a crossOriginIsolated page fitAsync shares the fit with a Web Worker, bitwise the synchronous fit', async () => {
  const page = join('/', relative(consumerDir, await variants.esbuild(project('threads', 'app-threads.js'))));
  expect(await runPage('threads', page)).toEqual({ isolated: true, workers: 1, same: true });
});
