// The README's table "What wasmeans does with bad input" names, row by row, the tests that hold it: each named
// file exists, and each named test (after ›) is in it.
import { existsSync, readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { repoPath } from '../reference';

const readme = readFileSync(repoPath('README.md'), 'utf8');
const section = readme.split('## What wasmeans does with bad input')[1]?.split('\n## ')[0] ?? '';
const rows = section.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| input') && !line.startsWith('|---'));

test('the table has a row per kind of input', () => {
  expect(rows.length).toBeGreaterThanOrEqual(12);
});

test.each(rows.map((row) => [row.split(' | ')[0].slice(2), row]))('%s: its tests exist', (_, row) => {
  const heldBy = row.split(' | ').at(-1)?.replace(/ \|$/, '') ?? '';
  const references = heldBy.split(/[;,] (?=`)/);
  expect(references.length).toBeGreaterThan(0);
  for (const reference of references) {
    const [file, name] = reference.split(' › ');
    const path = /`([^`]+)`/.exec(file)?.[1] ?? '';
    expect(existsSync(repoPath(path)), path).toBe(true);
    if (name) expect(readFileSync(repoPath(path), 'utf8'), `${path} › ${name}`).toContain(name.trim());
  }
});
