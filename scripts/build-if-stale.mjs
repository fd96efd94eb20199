// Runs `npm run build` unless build/ is newer than everything it is made from: `npm test` and `npm start` work on a
// fresh clone without an install script (the packed package.json carries none), and cost nothing once built.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const sources = ['assembly', 'src', 'data', 'scripts', 'rollup.config.mjs', 'asconfig.json', 'package.json', 'tsconfig.json'];
const outputs = ['build/index.js', 'build/index.cjs', 'build/datasets.js', 'build/workerd.js', 'build/wasmeans.wasm', 'build/wasmeans-graph.wasm', 'build/wasmeans-threads.wasm', 'build/cli.js'];

/** The newest modification time under `path`, leaving out generated sources (the build writes them). */
function newest(path) {
  if (path === join('src', 'generated')) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

const built = outputs.every(existsSync) ? Math.min(...outputs.map((path) => statSync(path).mtimeMs)) : 0;
const changed = Math.max(...sources.filter(existsSync).map(newest));
if (changed > built) execSync('npm run build', { stdio: 'inherit' });
