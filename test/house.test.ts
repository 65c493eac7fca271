// The house rules of issue 12, held by a test so that they stay kept: no import circles
// (type-only imports included: a circle of types is still two modules that cannot be read
// apart), no source or test file over 400 lines, and server/ keeps only its composition
// root and shared types at the top, every other concern in a folder of its own.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SOURCES = ['cli', 'server', 'web', 'bench', 'test', 'scripts'];

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : /\.(ts|tsx|mjs)$/.test(name) ? [path] : [];
  });
}

const files = SOURCES.flatMap((dir) => filesUnder(join(ROOT, dir)));

/** The modules of the tree that `file` imports (static, dynamic and type-only). */
function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return importedFiles
    .map(({ fileName }) => fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => resolve(dirname(file), name))
    .flatMap((target) => [target, target.replace(/\.js$/, '.ts'), target.replace(/\.js$/, '.tsx')].filter((path) => files.includes(path)).slice(0, 1));
}

/** Every import circle, each as the list of modules around it. */
function circles(): string[][] {
  const graph = new Map(files.map((file) => [file, importsOf(file)]));
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') found.push(path.slice(path.indexOf(next)).map((f) => relative(ROOT, f)));
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(file, 'done');
  };
  for (const file of files) if (!state.has(file)) visit(file);
  return found;
}

describe('the house', () => {
  it('has no import circles', () => {
    expect(circles()).toEqual([]);
  });

  it('has no source or test file over 400 lines', () => {
    const long = files
      .map((file) => ({ file: relative(ROOT, file), lines: readFileSync(file, 'utf8').split('\n').length - 1 }))
      .filter(({ lines }) => lines > 400);
    expect(long).toEqual([]);
  });

  it('keeps at most 8 files directly in server/', () => {
    const top = readdirSync(join(ROOT, 'server')).filter((name) => statSync(join(ROOT, 'server', name)).isFile());
    expect(top.length).toBeLessThanOrEqual(8);
  });
});
