// The snippets of snippets/ run as they are with their real frameworks (node:http, Express,
// Fastify, Python's standard library, Flask, PHP's built-in server), each on a free port:
// `check` against each exits 0. The classic broken variants (test/fixtures/broken-handlers/)
// are caught with reserializes-body.
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { flaskPython, startHandlerProcess, type HandlerProcess } from '../helpers/handler-process.js';
import { runCli } from '../helpers/run-cli.js';

const SECRET = 'whsec-snippets-e41c';
const file = (relative: string) => fileURLToPath(new URL(`../../${relative}`, import.meta.url));
const python = flaskPython();
if (python === null) throw new Error('No python here can import flask: install python3-flask (.ci/run does).');

/** How each runtime starts a handler file. */
const RUNTIMES: Record<string, (path: string) => [string, string[]]> = {
  node: (path) => [process.execPath, [path]],
  python: (path) => ['python3', [path]],
  flask: (path) => [python, [path]],
  php: (path) => ['php', ['-S', '127.0.0.1:{port}', path]],
};

let handler: HandlerProcess | undefined;
afterEach(async () => {
  await handler?.stop();
  handler = undefined;
});

async function checkAgainst(runtime: string, path: string): Promise<{ code: number; report: { findings: { code: string }[] } }> {
  const [command, args] = RUNTIMES[runtime]!(file(path));
  handler = await startHandlerProcess(command, args, SECRET);
  const result = await runCli(['check', '--to', handler.url, '--json'], { env: { COREONE_WEBHOOK_SECRET: SECRET } });
  if (result.stdout === '') throw new Error(`check wrote nothing: ${result.stderr}\n${handler.output()}`);
  return { code: result.code, report: JSON.parse(result.stdout) };
}

describe('snippets pass check with their real frameworks', () => {
  it.each([
    ['node', 'snippets/node.mjs'],
    ['node', 'snippets/express.mjs'],
    ['node', 'snippets/fastify.mjs'],
    ['python', 'snippets/python.py'],
    ['flask', 'snippets/flask_app.py'],
    ['php', 'snippets/php.php'],
  ])('%s %s: check exits 0 with no finding', async (runtime, path) => {
    const { code, report } = await checkAgainst(runtime, path);
    expect({ code, report }).toMatchObject({ code: 0, report: { failed: 0, warned: 0, findings: [] } });
  });
});

describe('the classic broken handlers are caught', () => {
  it.each([
    ['node', 'test/fixtures/broken-handlers/express-json.mjs'],
    ['flask', 'test/fixtures/broken-handlers/flask_json.py'],
    ['php', 'test/fixtures/broken-handlers/php-json.php'],
  ])('%s %s: check exits 1 with reserializes-body', async (runtime, path) => {
    const { code, report } = await checkAgainst(runtime, path);
    expect(code).toBe(1);
    expect(report.findings.map((finding) => finding.code)).toContain('reserializes-body');
  });
});
