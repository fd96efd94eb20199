// Builds src/ into build/: the default entry as ESM (index.js) and CommonJS (index.cjs) with the wasm inlined,
// the workerd entry as ESM importing ./wasmeans.wasm, the datasets entry (datasets.js, datasets.cjs), and
// bundled .d.ts files.
import typescript from '@rollup/plugin-typescript';
import { dts } from 'rollup-plugin-dts';
import { gzipSync } from 'node:zlib';

const ts = () => typescript({ tsconfig: './tsconfig.json', compilerOptions: { noEmit: false, declaration: false }, include: ['src/**/*.ts'] });

/** Prints the gzipped size of every emitted chunk, the size budget being about what users download. */
const sizes = () => ({
  name: 'print-sizes',
  generateBundle(_options, bundle) {
    for (const [name, chunk] of Object.entries(bundle)) {
      const code = chunk.type === 'chunk' ? chunk.code : chunk.source;
      console.log(`  ${name}: ${code.length} bytes, ${gzipSync(code).length} gzipped`);
    }
  },
});

/** jpeg-js (the datasets entry's one dependency) stays an import; the core imports nothing. */
const external = (id) => id === 'jpeg-js' || id.startsWith('jpeg-js/');

/** Each embedded photo in a chunk of its own, so that the datasets entry's own size shows in the printout. */
const manualChunks = (id) => /src\/generated\/image\w+\.ts$/.exec(id)?.[0].slice('src/generated/'.length, -3);

export default [
  {
    // One build for both entries: the modules they share (errors, RandomState) go to one chunk, so that a
    // WasmeansError thrown by wasmeans/datasets is an instance of the core's WasmeansError.
    input: { index: 'src/index.ts', datasets: 'src/datasets/index.ts' },
    external,
    output: [
      { dir: 'build', format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js', manualChunks },
      { dir: 'build', format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: 'chunks/[name]-[hash].cjs', manualChunks },
    ],
    plugins: [ts(), sizes()],
  },
  {
    input: { workerd: 'src/workerd.ts' },
    external: ['./wasmeans.wasm'],
    output: { dir: 'build', format: 'es', entryFileNames: '[name].js' },
    plugins: [ts(), sizes()],
  },
  { input: 'src/index.ts', output: { file: 'build/index.d.ts', format: 'es' }, plugins: [dts()] },
  { input: 'src/workerd.ts', external: ['./wasmeans.wasm'], output: { file: 'build/workerd.d.ts', format: 'es' }, plugins: [dts()] },
  { input: 'src/datasets/index.ts', external, output: { file: 'build/datasets.d.ts', format: 'es' }, plugins: [dts()] },
];
