// The `snippet` job (cli/commands/snippet/command.ts): the list of snippets, or one of them
// printed as it is in snippets/, the files the test suite runs with their real frameworks.
import { readFile } from 'node:fs/promises';
import { UsageError } from '../../errors.js';
import type { Io } from '../../io.js';
import { safeText } from '../../output/terminal-text.js';

interface Snippet {
  name: string;
  file: string;
  what: string;
}

export const SNIPPETS: readonly Snippet[] = [
  { name: 'node', file: 'node.mjs', what: 'node:http, no dependencies' },
  { name: 'express', file: 'express.mjs', what: 'Express, with express.raw()' },
  { name: 'fastify', file: 'fastify.mjs', what: 'Fastify, with a Buffer content-type parser' },
  { name: 'python', file: 'python.py', what: "Python's standard library (http.server)" },
  { name: 'flask', file: 'flask_app.py', what: 'Flask, with request.get_data()' },
  { name: 'php', file: 'php.php', what: "plain PHP for php -S, with php://input" },
];

// snippets/ sits at the package root: three folders up from this source file
// (cli/commands/snippet/), four from its build (dist/cli/commands/snippet/).
const ROOT = new URL(import.meta.url.endsWith('.ts') ? '../../../' : '../../../../', import.meta.url);

export async function snippet(name: string | undefined, options: { list?: boolean }, io: Io): Promise<void> {
  if (name === undefined || options.list) {
    const width = Math.max(...SNIPPETS.map((s) => s.name.length));
    io.stdout.write(`${SNIPPETS.map((s) => `${s.name.padEnd(width)}  ${s.what} (snippets/${s.file})`).join('\n')}\n`);
    return;
  }
  const chosen = SNIPPETS.find((s) => s.name === name.toLowerCase());
  if (chosen === undefined) {
    throw new UsageError(`There is no snippet "${safeText(name)}"; the snippets are ${SNIPPETS.map((s) => s.name).join(', ')}.`);
  }
  io.stdout.write(await readFile(new URL(`snippets/${chosen.file}`, ROOT), 'utf8'));
}
