// `coreone-inspect schema --format typescript`: the declarations are held to tsc itself.
// Every observed body, written as a literal, must type-check against its interface and
// as a member of the CoreoneWebhook union; a body of the wrong kind must not. Type names
// that are not identifiers, or that meet, must come out as distinct, valid names.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interfaceNames, pascalCase } from '../../../server/schema/typescript.js';
import { makeEvent } from '../../helpers/inspector-feed.js';
import { writeLog } from '../../helpers/log-file.js';
import { runCli } from '../../helpers/run-cli.js';

const TSC = path.resolve('node_modules/typescript/bin/tsc');

const bodies: Array<{ type: string; name: string; body: unknown }> = [
  { type: 'accession/status_change', name: 'AccessionStatusChange', body: { accession: { id: 7, tests: [{ code: 'CBC', result: 4.2 }] }, client: { id: 1 } } },
  { type: 'accession/status_change', name: 'AccessionStatusChange', body: { accession: { id: '8', tests: [{ code: 'T4' }, { code: 'UA', result: null }], 'lab-section': 'chem' } } },
  { type: 'accession/status_change', name: 'AccessionStatusChange', body: { accession: { id: 9, tests: [] }, note: 'Müller "quoted" \u2028' } },
  { type: 'accession_status/change', name: 'AccessionStatusChange2', body: { flag: true } },
  { type: '9 lives!', name: 'Webhook9Lives', body: { n: 1 } },
  { type: 'list/of_things', name: 'ListOfThings', body: [1, 'two', { three: 3 }] },
];

let work: string;
let declarations: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'coreone-schema-ts-'));
  const log = path.join(work, 'events.ndjson');
  await writeLog(log, bodies.map(({ type, body }, i) => makeEvent({ seq: i + 1, type, body: JSON.stringify(body) })));
  const { code, stdout } = await runCli(['schema', '--format', 'typescript', '--log', log]);
  expect(code).toBe(0);
  declarations = stdout;
  await writeFile(path.join(work, 'coreone-webhooks.d.ts'), declarations);
});
afterAll(() => rm(work, { recursive: true, force: true }));

/** tsc --strict over the given files (named relative to the work dir): its diagnostics. */
async function tsc(files: string[]): Promise<string> {
  const args = [TSC, '--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext', ...files];
  return promisify(execFile)(process.execPath, args, { cwd: work }).then(
    ({ stdout }) => stdout,
    (error: { stdout: string }) => error.stdout,
  );
}

describe('schema --format typescript', () => {
  it('declares one interface per type and the CoreoneWebhook union', () => {
    for (const name of new Set(bodies.map((b) => b.name))) expect(declarations).toMatch(new RegExp(`export (interface|type) ${name}\\b`));
    expect(declarations).toContain('| { type: "accession/status_change"; body: AccessionStatusChange }');
    expect(declarations).toMatch(/"lab-section"\?: string;/);
  });

  it('type-checks every observed body, and rejects a body of the wrong kind', async () => {
    const names = [...new Set(bodies.map((b) => b.name))];
    const imports = `import type { CoreoneWebhook, ${names.join(', ')} } from './coreone-webhooks.js';\n`;
    const good = bodies.map(
      ({ type, name, body }, i) =>
        `export const body${i}: ${name} = ${JSON.stringify(body)};\n` +
        `export const webhook${i}: CoreoneWebhook = { type: ${JSON.stringify(type)}, body: ${JSON.stringify(body)} };\n`,
    );
    await writeFile(path.join(work, 'good.ts'), imports + good.join(''));
    const wrong = { accession: { id: true, tests: [] } };
    await writeFile(path.join(work, 'bad.ts'), `${imports}export const wrong: AccessionStatusChange = ${JSON.stringify(wrong)};\n`);
    const diagnostics = await tsc(['good.ts', 'bad.ts']);
    // One diagnostic, in bad.ts: nothing in good.ts, nothing global (continuation lines are indented).
    const firstLines = diagnostics.split('\n').filter((line) => line !== '' && !line.startsWith(' '));
    expect(firstLines).toEqual([
      expect.stringMatching(/^bad\.ts\(2,\d+\): error TS2322: Type 'boolean' is not assignable to type 'string \| number'/),
    ]);
  }, 60_000);
});

describe('interface names', () => {
  it('are PascalCase from the type, made safe when the type is no identifier', () => {
    expect(pascalCase('accession/status_change')).toBe('AccessionStatusChange');
    expect(pascalCase('crème/brûlée-2')).toBe('CremeBrulee2');
    expect(pascalCase('9 lives!')).toBe('Webhook9Lives');
    expect(pascalCase('///')).toBe('Webhook');
  });

  it('tell apart types that map to one name, and keep clear of the union', () => {
    expect([...interfaceNames(['a/b', 'a_b', 'A-B', 'coreone/webhook']).values()]).toEqual(['AB', 'AB2', 'AB3', 'CoreoneWebhook2']);
  });
});
