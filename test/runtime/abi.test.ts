// The TypeScript view of the kernels (src/generated/kernels.ts, written from assembly/ by scripts/generate-abi.mjs)
// held against the compiled modules: the same functions, each taking as many numbers as the view says, the same
// imports; and every kernel tested directly, in a kernels.test.ts of its folder.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { GRAPH_KERNELS, KERNEL_PARAMETERS } from '../../src/generated/kernels';
import { repoPath } from '../reference';

const expected = Object.entries(KERNEL_PARAMETERS).map(([name, params]) => [name, params.length]).sort();
const inGraph = ([name]: (string | number)[]) => (GRAPH_KERNELS as readonly (string | number)[]).includes(name);
const core = expected.filter((kernel) => !inGraph(kernel));
const graph = expected.filter(inGraph);

/** A module's exported functions with their arity, its other exports and its imports, as the engine sees them. */
const describeModule = `
const [bytes, memory] = [require('fs').readFileSync(process.argv[1]), process.argv[2]];
const module = new WebAssembly.Module(bytes);
const env = memory ? { memory: new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: memory === 'shared' }) } : undefined;
const exports = new WebAssembly.Instance(module, env ? { env } : {}).exports;
console.log(JSON.stringify({
  functions: Object.entries(exports).filter(([, v]) => typeof v === 'function').map(([name, f]) => [name, f.length]).sort(),
  others: WebAssembly.Module.exports(module).filter((e) => e.kind !== 'function').map((e) => e.kind + ' ' + e.name),
  imports: WebAssembly.Module.imports(module).map((i) => i.kind + ' ' + i.module + '.' + i.name),
}));`;

/** `memory`: give the module a memory to import, plain or shared. */
function inspect(file: string, flags: string[] = [], memory: '' | 'plain' | 'shared' = '') {
  const out = execFileSync(process.execPath, [...flags, '-e', describeModule, repoPath(`build/${file}`), memory], { encoding: 'utf8' });
  return JSON.parse(out) as { functions: [string, number][]; others: string[]; imports: string[] };
}

describe('each build exports the kernels of the TypeScript view, arity for arity', () => {
  test("wasmeans.wasm: the core's kernels, its own memory, no imports", () => {
    const m = inspect('wasmeans.wasm');
    expect(m.functions).toEqual(core);
    expect(m.others).toEqual(['memory memory']);
    expect(m.imports).toEqual([]);
  });

  test("wasmeans-graph.wasm: the graph module's kernels over the memory it is given (the core's), nothing else imported", () => {
    const m = inspect('wasmeans-graph.wasm', [], 'plain');
    expect(graph.length).toBeGreaterThan(20);
    expect(m.functions).toEqual(graph);
    expect(m.others).toEqual(['memory memory']);
    expect(m.imports).toEqual(['memory env.memory']);
  });

  test('wasmeans-threads.wasm: both modules in one, over the shared memory it is given, nothing else imported', () => {
    const m = inspect('wasmeans-threads.wasm', [], 'shared');
    expect(m.functions).toEqual(expected);
    expect(m.others).toEqual(['memory memory']);
    expect(m.imports).toEqual(['memory env.memory']);
  });

  test('wasmeans-relaxed.wasm (compiled where relaxed SIMD is enabled): both modules in one', () => {
    const m = inspect('wasmeans-relaxed.wasm', ['--experimental-wasm-relaxed-simd']);
    expect(m.functions).toEqual(expected);
    expect(m.imports).toEqual([]);
  });

  test('the view is what scripts/generate-abi.mjs writes from assembly/ now', () => {
    const before = readFileSync(repoPath('src/generated/kernels.ts'), 'utf8');
    execFileSync(process.execPath, [repoPath('scripts/generate-abi.mjs')]);
    expect(readFileSync(repoPath('src/generated/kernels.ts'), 'utf8')).toBe(before);
  });
});

test('every kernel is used directly in a kernels.test.ts', () => {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory() && entry.name !== 'dist' && entry.name !== 'fixtures') walk(join(dir, entry.name));
      else if (entry.name === 'kernels.test.ts') files.push(join(dir, entry.name));
    }
  };
  walk(repoPath('test'));
  const text = files.map((f) => readFileSync(f, 'utf8')).join('\n');
  const untested = Object.keys(KERNEL_PARAMETERS).filter((name) => !new RegExp(`kernels\\.${name}\\b`).test(text));
  expect(untested).toEqual([]);
});

test('every kernel says what it reads and writes: IN, OUT or INOUT in its doc comment', () => {
  const view = readFileSync(repoPath('src/generated/kernels.ts'), 'utf8');
  const docs = new Map([...view.matchAll(/\/\*\*([\s\S]*?)\*\/\n\s+(\w+)\(/g)].map((m) => [m[2], m[1]]));
  const untagged = Object.keys(KERNEL_PARAMETERS).filter((name) => !/\b(IN|OUT|INOUT)\b/.test(docs.get(name) ?? ''));
  expect(untagged).toEqual([]);
});
