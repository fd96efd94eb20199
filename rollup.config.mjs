// Builds src/ into build/: the default entry as ESM (index.js) and CommonJS (index.cjs) with the wasm inlined,
// the workerd entry as ESM importing ./wasmeans.wasm, the datasets and spectral entries, fitAsync's thread code
// as a chunk loaded on first use (in Workers it finds no worker_threads and runs the fit on its own thread), all
// minified, and bundled .d.ts / .d.cts files. Prints the gzipped sizes and enforces the core's size budget.
import commonjs from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import typescript from '@rollup/plugin-typescript';
import terser from '@rollup/plugin-terser';
import { dts } from 'rollup-plugin-dts';
import { readFileSync, rmSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

// Chunk names carry content hashes; without a clean start, old chunks would linger and be packed.
rmSync('build/chunks', { recursive: true, force: true });

/**
 * Gzipped bytes a user downloads for an app that does `import { init, KMeans } from 'wasmeans'`, bundled (so that
 * what it does not import is dropped) and minified, wasm included: the core's budget.
 */
const CORE_BUDGET = 30 * 1024;

const ts = () => typescript({ tsconfig: './tsconfig.json', compilerOptions: { noEmit: false, declaration: false }, include: ['src/**/*.ts'] });
// Class and function names kept, so that `KMeans.name` is 'KMeans' and an uncaught error prints as WasmeansError
// with its stack's function names; lines cut short, so that the source line Node prints beside it stays readable.
const minify = () => terser({ compress: { passes: 2 }, keep_classnames: true, keep_fnames: true, format: { comments: false, max_line_len: 160 } });
const gzipped = (code) => gzipSync(code, { level: 9 }).length;

/** The first download of a KMeans app bundled by esbuild from the built entry (lazy chunks, such as the threads', apart). */
async function kmeansApp(workerd) {
  const result = await build({
    stdin: { contents: `import { init, KMeans } from './build/${workerd ? 'workerd' : 'index'}.js'; globalThis.app = [init, KMeans];`, resolveDir: '.', loader: 'js' },
    bundle: true, splitting: true, format: 'esm', minify: true, write: false, outdir: 'app', platform: 'browser',
    external: ['*.wasm'], metafile: true, logLevel: 'error',
  });
  // The entry and the chunks it imports statically.
  const outputs = result.metafile.outputs;
  const loaded = new Set(['app/stdin.js']);
  for (const file of loaded) for (const imported of outputs[file].imports) if (imported.kind === 'import-statement' && !imported.external) loaded.add(imported.path);
  const files = result.outputFiles.filter((file) => loaded.has(relative('.', file.path)));
  // The workerd entry loads its module from the .wasm file beside it.
  return files.reduce((sum, file) => sum + gzipped(file.contents), 0) + (workerd ? gzipped(readFileSync('build/wasmeans.wasm')) : 0);
}

/** Prints each emitted file's size, each entry with the chunks it loads at once, and a KMeans app against the budget. */
const sizes = () => ({
  name: 'print-sizes',
  async writeBundle(options, bundle) {
    for (const [name, chunk] of Object.entries(bundle)) {
      const code = chunk.type === 'chunk' ? chunk.code : chunk.source;
      console.log(`  ${name}: ${code.length} bytes, ${gzipped(code)} gzipped`);
    }
    for (const entry of ['index.js', 'index.cjs', 'workerd.js']) {
      const chunk = bundle[entry];
      if (!chunk) continue;
      const parts = [chunk.code, ...chunk.imports.filter((id) => bundle[id]).map((id) => bundle[id].code)];
      if (entry === 'workerd.js') parts.push(readFileSync('build/wasmeans.wasm'));
      console.log(`  ${entry}, unbundled, with the chunks it imports and its wasm: ${parts.reduce((sum, part) => sum + gzipped(part), 0)} bytes gzipped`);
    }
    if (options.format !== 'es') return;
    for (const [name, workerd] of [['browsers and Node', false], ['Cloudflare Workers', true]]) {
      const total = await kmeansApp(workerd);
      console.log(`  an app importing init and KMeans, bundled for ${name}: ${total} bytes gzipped (budget ${CORE_BUDGET})`);
      if (total > CORE_BUDGET) this.error(`a KMeans app bundled for ${name} is ${total} bytes gzipped, over the ${CORE_BUDGET}-byte budget`);
    }
  },
});

/**
 * jpeg-js's decoder (CommonJS) is bundled into the photo loader, so the package has no runtime dependency and
 * the datasets entry loads unbundled in a browser too; its licence ships in THIRD-PARTY-LICENSES.md.
 */
const jpeg = () => [nodeResolve(), commonjs({ include: /node_modules\/jpeg-js/ })];

/**
 * Each embedded photo in a chunk of its own, so that the datasets entry's own size shows in the printout; and
 * runtime/graph.ts alone in one, so that its one side effect (asking init() for the graph module) is in a file
 * that an app's bundler drops (the package is side-effect free) unless the app uses code calling graph kernels.
 * Only the modules named: their dependencies stay in the chunks they share with the rest.
 */
const manualChunks = (id) => (id.endsWith('src/runtime/graph.ts') ? 'graph' : /src\/generated\/image\w+\.ts$/.exec(id)?.[0].slice('src/generated/'.length, -3));

const declarations = (input, name, extraExternal = []) => ({
  input,
  external: (id) => extraExternal.includes(id),
  output: [
    { file: `build/${name}.d.ts`, format: 'es' },
    // The same declarations for CommonJS consumers: in a "type": "module" package a .d.ts is read as ESM.
    { file: `build/${name}.d.cts`, format: 'es' },
  ],
  plugins: [dts()],
});

export default [
  {
    // One build for every entry: the modules they share (errors, RandomState, the wasm instance) go to shared
    // chunks, so that a WasmeansError thrown by wasmeans/datasets is an instance of the core's WasmeansError and
    // wasmeans/spectral runs on the instance that init() from 'wasmeans' (or its workerd entry) set up.
    input: { index: 'src/index.ts', workerd: 'src/workerd.ts', datasets: 'src/datasets.ts', spectral: 'src/spectral.ts', manifold: 'src/manifold.ts' },
    external: ['./wasmeans.wasm', './wasmeans-graph.wasm'],
    output: [
      { dir: 'build', format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js', manualChunks, onlyExplicitManualChunks: true },
      // workerd.cjs comes along and is not shipped: Workers load ES modules.
      { dir: 'build', format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: 'chunks/[name]-[hash].cjs', manualChunks, onlyExplicitManualChunks: true },
    ],
    plugins: [...jpeg(), ts(), minify(), sizes()],
  },
  declarations('src/index.ts', 'index'),
  declarations('src/workerd.ts', 'workerd', ['./wasmeans.wasm', './wasmeans-graph.wasm']),
  declarations('src/datasets.ts', 'datasets'),
  declarations('src/spectral.ts', 'spectral'),
  declarations('src/manifold.ts', 'manifold'),
  cli(),
];

/**
 * The `wasmeans` command (build/cli.js), built apart so that no core entry imports it: it loads the library
 * through the built default entry (./index.js) and its own dependencies from node_modules; only jpeg-js, a
 * devDependency, is bundled, as in the datasets entry.
 */
function cli() {
  const library = resolve('src/index');
  const dependencies = ['commander', 'csv-parse', 'csv-parse/sync', 'cli-progress', 'pngjs', '@observablehq/plot', 'linkedom'];
  return {
    input: 'src/cli.ts',
    external: (id, importer) => dependencies.includes(id) || id.startsWith('node:') || (importer !== undefined && resolve(importer, '..', id) === library) || id === library,
    output: { file: 'build/cli.js', format: 'es', banner: '#!/usr/bin/env node', paths: (id) => (id === library ? './index.js' : id) },
    plugins: [...jpeg(), ts()],
  };
}
