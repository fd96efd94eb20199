// Builds src/ into build/: the default entry as ESM (index.js) and CommonJS (index.cjs) with the wasm inlined,
// the workerd entry as ESM importing ./wasmeans.wasm, and bundled .d.ts files.
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

export default [
  {
    input: { index: 'src/index.ts' },
    output: [
      { dir: 'build', format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
      { dir: 'build', format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: 'chunks/[name]-[hash].cjs' },
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
];
