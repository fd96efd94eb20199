// The README's option tables are made from the declarations (src/**: `export const nameParams = { … } as const
// satisfies ParamSpecs`): each parameter's name, its
// TypeScript type and range, its default (the declared value, or the @default tag of its doc comment) and its doc
// line. This test holds the README against them; `npm run docs` writes them in (UPDATE_README=1).
import { readFileSync, writeFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';
import type { Param, ParamSpecs } from '../../src/core/params';
import { repoPath } from '../reference';

interface Declared {
  /** The exported name: 'kmeansParams', 'fitParams', … */
  where: string;
  file: string;
  exportName: string;
  object: ts.Expression;
}

const sources = ts.sys.readDirectory(repoPath('src'), ['.ts']);
const program = ts.createProgram(sources, { strict: true, target: ts.ScriptTarget.ES2022, moduleResolution: ts.ModuleResolutionKind.Bundler, module: ts.ModuleKind.ESNext });
const checker = program.getTypeChecker();

/** Every exported function of src/ that returns `{ … } as const satisfies ParamSpecs`. */
function declarations(): Declared[] {
  const found: Declared[] = [];
  for (const source of program.getSourceFiles()) {
    if (!source.fileName.startsWith(repoPath('src'))) continue;
    for (const statement of source.statements) {
      if (!ts.isFunctionDeclaration(statement) || !statement.name || !statement.body) continue;
      if (!statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
      const returned = statement.body.statements.find(ts.isReturnStatement)?.expression;
      if (!returned || !ts.isSatisfiesExpression(returned) || returned.type.getText(source) !== 'ParamSpecs') continue;
      found.push({ where: statement.name.text, file: source.fileName, exportName: statement.name.text, object: returned.expression });
    }
  }
  return found;
}

/** What a parameter takes, as the README says it: from its declaration (and its check's declared return type). */
function kindOf(name: string, spec: Param, declaration: ts.Declaration | undefined): string {
  let kind: string;
  if (spec.values) kind = spec.values.map((v) => `'${v}'`).join(' \\| ');
  else if (spec.check) {
    const object = declaration && ts.isPropertyAssignment(declaration) ? declaration.initializer : undefined;
    const check = object && ts.isObjectLiteralExpression(object)
      ? object.properties.find((p) => p.name?.getText() === 'check')
      : undefined;
    const fn = check && ts.isPropertyAssignment(check) ? check.initializer : undefined;
    if (!fn || !(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) || !fn.type) throw new Error(`${name}: its check must declare its return type`);
    kind = fn.type.getText().replace(/\|/g, '\\|');
  } else {
    kind = { integer: 'integer', seed: 'integer', number: 'number', boolean: 'true \\| false', function: 'function' }[spec.kind ?? 'integer'];
    const [min, max] = spec.kind === 'seed' ? [0, '2³² − 1'] : [spec.min, spec.max].map((b) => (typeof b === 'function' ? 'nClusters' : b));
    if (min !== undefined) kind += ` ${max === undefined ? `${spec.exclusive ? '>' : '≥'} ${min}` : `${min} … ${max}`}`;
  }
  return spec.literal === undefined ? kind : `${spec.literal === null ? 'null' : `'${spec.literal}'`} \\| ${kind}`;
}

const formatValue = (value: unknown): string =>
  typeof value === 'string' ? `'${value}'` : Array.isArray(value) ? `[${value.map(formatValue).join(', ')}]` : String(value);

/** One README table: a row per parameter, in declaration order. */
function table(declared: Declared, specs: ParamSpecs): string {
  const type = checker.getTypeAtLocation(declared.object);
  const rows = Object.entries(specs).map(([name, spec]) => {
    const symbol = checker.getPropertyOfType(type, name);
    if (!symbol) throw new Error(`${declared.where}.${name}: no such property in the declaration's type`);
    const doc = ts.displayPartsToString(symbol.getDocumentationComment(checker)).replace(/\s+/g, ' ').trim();
    if (!doc) throw new Error(`${declared.where}.${name} has no doc comment`);
    const defaultTag = symbol.getJsDocTags(checker).find((tag) => tag.name === 'default');
    const fallback = defaultTag ? ts.displayPartsToString(defaultTag.text) : spec.fallback !== undefined ? `\`${formatValue(spec.fallback)}\`` : '—';
    return `| \`${name}\` | ${kindOf(name, spec, symbol.valueDeclaration ?? symbol.declarations?.[0])} | ${fallback} | ${doc.replace(/\|/g, '\\|')} |`;
  });
  return ['| option | type | default | |', '|---|---|---|---|', ...rows].join('\n');
}

const README = repoPath('README.md');

describe('README option tables', async () => {
  const all = declarations();
  const modules = new Map<string, Record<string, () => ParamSpecs>>();
  for (const d of all) modules.set(d.file, modules.get(d.file) ?? (await import(d.file)));
  const specsOf = (d: Declared) => (modules.get(d.file) as Record<string, () => ParamSpecs>)[d.exportName]();
  const byName = new Map(all.map((d) => [d.where, d]));
  const readme = readFileSync(README, 'utf8');
  const marked = [...readme.matchAll(/<!-- options: (\S+) -->\n([\s\S]*?)<!-- \/options -->/g)];

  test('every declaration is found, once', () => {
    expect(all.length).toBeGreaterThanOrEqual(18);
    expect(new Set(all.map((d) => d.where)).size).toBe(all.length);
  });

  test('each table in the README is its declaration as it stands', () => {
    let updated = readme;
    for (const [block, where, text] of marked) {
      const declared = byName.get(where);
      expect(declared, `README has a table for ${where}, which nothing declares`).toBeDefined();
      const expected = table(declared as Declared, specsOf(declared as Declared));
      if (process.env.UPDATE_README) updated = updated.replace(block, `<!-- options: ${where} -->\n${expected}\n<!-- /options -->`);
      else expect(text.trim(), `the README's table for ${where} (npm run docs writes it)`).toBe(expected);
    }
    if (process.env.UPDATE_README) writeFileSync(README, updated);
  });

  test('every declaration has its table, but the function forms that take KMeans’ options and fit’s', () => {
    const tabled = new Set(marked.map((m) => m[1]));
    const keys = (where: string) => Object.keys(specsOf(byName.get(where) as Declared));
    for (const d of all) {
      if (d.where === 'kmeansFunctionParams' || d.where === 'kmeansAsyncParams') continue;
      expect(tabled.has(d.where), `the README has no table for ${d.where}`).toBe(true);
    }
    expect(keys('kmeansFunctionParams').sort()).toEqual([...keys('kmeansParams').filter((k) => k !== 'nClusters'), ...keys('fitParams')].sort());
    expect(keys('kmeansAsyncParams').sort()).toEqual([...keys('kmeansFunctionParams'), 'threads'].sort());
    expect(readme).toContain('`kmeans(X, nClusters, options)` takes the options of `KMeans` but `nClusters`, and `sampleWeight`');
  });
});
