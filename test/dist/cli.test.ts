// The `wasmeans` bin from the tarball: npm links node_modules/.bin/wasmeans to build/cli.js, which must run as
// installed (its shebang, its dependencies resolved from the consumer's node_modules, ./index.js beside it).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, inject, test } from 'vitest';

const consumerDir = inject('consumerDir');
const bin = join(consumerDir, 'node_modules', '.bin', 'wasmeans');

const run = (args: string[], cwd: string) => spawnSync(bin, args, { cwd, encoding: 'utf8', timeout: 60_000 });

test('wasmeans --version prints the package version', () => {
  const result = run(['--version'], consumerDir);
  expect(result.status).toBe(0);
  const { version } = JSON.parse(readFileSync(join(consumerDir, 'node_modules', 'wasmeans', 'package.json'), 'utf8'));
  expect(result.stdout.trim()).toBe(version);
});

test('wasmeans cluster on a CSV writes labels and a plot', () => {
  const dir = join(consumerDir, 'cli');
  mkdirSync(dir, { recursive: true });
  const rows = Array.from({ length: 30 }, (_, i) => [(i < 15 ? 0 : 8) + Math.sin(i), (i < 15 ? 0 : 8) + Math.cos(i)]);
  writeFileSync(join(dir, 'points.csv'), `x,y\n${rows.map((r) => r.join(',')).join('\n')}\n`);
  const result = run(['cluster', 'points.csv', '-k', '2', '--seed', '0', '--out', 'labels.csv', '--plot', 'plot.svg', '--json'], dir);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  expect(JSON.parse(result.stdout).sizes).toEqual([15, 15]);
  expect(readFileSync(join(dir, 'labels.csv'), 'utf8').trim().split('\n')).toHaveLength(31);
  expect(readFileSync(join(dir, 'plot.svg'), 'utf8')).toMatch(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
});
