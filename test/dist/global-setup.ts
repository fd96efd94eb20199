// Builds and packs wasmeans once and installs the tarball into one consumer project
// in a temporary directory, the way a user would. Test files get its path with `inject('consumerDir')` and
// work in subdirectories of it, which resolve `wasmeans` from its node_modules.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The consumer project with the tarball installed. */
    consumerDir: string;
    /** The packed tarball. */
    tarball: string;
    /** The repository, for devDependencies' binaries (bundlers, miniflare, playwright-core). */
    repoDir: string;
  }
}

const npm = (args: string[], cwd: string) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

export default function setup(project: TestProject): () => void {
  const repoDir = resolve(import.meta.dirname, '../..');
  const root = mkdtempSync(join(tmpdir(), 'wasmeans-dist-'));
  // The build's own output would mix into pack's JSON, so it runs first and pack skips `prepack`.
  npm(['run', 'build'], repoDir);
  const packed = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', root], repoDir)) as { filename: string }[];
  const tarball = join(root, packed[0].filename);
  const consumerDir = join(root, 'consumer');
  mkdirSync(consumerDir);
  writeFileSync(join(consumerDir, 'package.json'), JSON.stringify({ name: 'wasmeans-consumer', private: true, version: '1.0.0' }, null, 2));
  npm(['install', tarball, '--no-audit', '--no-fund', '--no-package-lock'], consumerDir);
  project.provide('consumerDir', consumerDir);
  project.provide('tarball', tarball);
  project.provide('repoDir', repoDir);
  return () => {
    if (!process.env.WASMEANS_KEEP_DIST) rmSync(root, { recursive: true, force: true });
  };
}
