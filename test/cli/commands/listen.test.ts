// The built command line, spawned as a user would run it: `--json` records, the plain
// output, restarts that keep history, clear one-sentence failures, and the `types` command.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { runCli, startCli, type RunningCli } from '../../helpers/cli-process.js';
import { postBytes, rawRequest, sign } from '../../helpers/raw-http.js';
import { waitFor } from '../../helpers/wait.js';

const SECRET = 'cli-test-secret-Zq81';
let dir: string;
const running: RunningCli[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'coreone-cli-'));
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((cli) => cli.stop('SIGKILL')));
  await rm(dir, { recursive: true, force: true });
});

function listen(extra: string[] = [], env: NodeJS.ProcessEnv = {}): RunningCli {
  const cli = startCli(['--no-tunnel', '--port', '0', '--log', join(dir, 'events.ndjson'), ...extra], env);
  running.push(cli);
  return cli;
}

async function postSigned(url: string, body: string, secret: string, type = 'accession/status_change'): Promise<number> {
  const response = await fetch(url, {
    method: 'POST',
    body,
    headers: { 'X-Coreone-Webhook-Type': type, 'X-Coreone-Webhook-Hash': sign(body, secret) },
  });
  await response.arrayBuffer();
  return response.status;
}

function readStream(url: string): { messages: Record<string, unknown>[]; ws: WebSocket } {
  const ws = new WebSocket(url);
  const messages: Record<string, unknown>[] = [];
  ws.on('message', (data) => messages.push(JSON.parse(String(data)) as Record<string, unknown>));
  return { ws, messages };
}

type EventMessage = { kind: 'event'; event: { seq: number; signature: { status: string; diagnosis: { code: string }[] } } };

describe('coreone-inspect --json', () => {
  it('prints ready, then one event line per POST with its verdict; a restart serves the history', async () => {
    const first = listen(['--json', '--secret', SECRET]);
    const ready = await first.waitForRecord((r) => r.kind === 'ready', 'the ready record');
    expect(Object.keys(ready)).toEqual(['kind', 'version', 'webhookUrl', 'inspectUrl', 'uiUrl', 'tunnelUrl', 'logPath', 'fixturesDir']);
    expect(ready).toMatchObject({ tunnelUrl: null, logPath: join(dir, 'events.ndjson') });
    expect(ready.webhookUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(ready.inspectUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/stream\?token=/);
    // The web page on the same port, the same token in the fragment (never sent by a browser).
    const stream = new URL(ready.inspectUrl as string);
    expect(ready.uiUrl).toBe(`http://127.0.0.1:${stream.port}/#token=${stream.searchParams.get('token')}`);

    const url = ready.webhookUrl as string;
    expect(await postSigned(url, '{"status":"Pending"}', SECRET)).toBe(200);
    expect(await postSigned(url, '{"status":"Received"}', `${SECRET}\n`)).toBe(200);
    const events = (await waitFor(() => {
      const found = first.records().filter((r) => r.kind === 'event');
      return found.length === 2 && found;
    })) as unknown as EventMessage[];
    expect(events.map((e) => e.event.signature.status)).toEqual(['valid', 'invalid']);
    expect(events[1]!.event.signature.diagnosis[0]!.code).toBe('secret-whitespace');

    first.child.kill('SIGKILL');
    await first.exited;

    const second = listen(['--json', '--secret', SECRET]);
    const again = await second.waitForRecord((r) => r.kind === 'ready', 'the second ready record');
    const client = readStream(again.inspectUrl as string);
    await waitFor(() => client.messages.some((m) => m.kind === 'history-end'), { what: 'history-end' });
    expect(client.messages.map((m) => m.kind)).toEqual(['hello', 'event', 'event', 'history-end']);
    const history = client.messages.filter((m) => m.kind === 'event') as unknown as EventMessage[];
    expect(history.map((m) => m.event.seq)).toEqual([1, 2]);
    expect(history.map((m) => m.event.signature.status)).toEqual(['valid', 'invalid']);

    expect(await postSigned(again.webhookUrl as string, '{"status":"Final"}', SECRET)).toBe(200);
    await waitFor(() => client.messages.length === 5);
    expect((client.messages[4] as unknown as EventMessage).event.seq).toBe(3);
    client.ws.close();

    const allOutput = first.stdout() + first.stderr() + second.stdout() + second.stderr() + (await readFile(join(dir, 'events.ndjson'), 'utf8'));
    expect(allOutput).not.toContain(SECRET);
  });

  it('answers with --respond\'s status and records it on each event', async () => {
    const cli = listen(['--json', '--secret', SECRET, '--respond', '503']);
    const ready = await cli.waitForRecord((r) => r.kind === 'ready');
    expect(await postSigned(ready.webhookUrl as string, '{}', SECRET)).toBe(503);
    const record = (await cli.waitForRecord((r) => r.kind === 'event')) as unknown as { event: { responseStatus: number; signature: { status: string } } };
    expect(record.event).toMatchObject({ responseStatus: 503, signature: { status: 'valid' } });
  });

  it('exits 0 on SIGTERM and SIGINT', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const cli = listen(['--json']);
      await cli.waitForRecord((r) => r.kind === 'ready');
      expect(await cli.stop(signal)).toEqual({ code: 0, signal: null });
    }
  });

  it('warns once about a torn last log line and keeps going', async () => {
    const cli = listen(['--json', '--secret', SECRET]);
    const ready = await cli.waitForRecord((r) => r.kind === 'ready');
    expect(await postSigned(ready.webhookUrl as string, '{}', SECRET)).toBe(200);
    await cli.stop();
    const { appendFile } = await import('node:fs/promises');
    await appendFile(join(dir, 'events.ndjson'), '{"kind":"event","event":{"id":"x');
    const restarted = listen(['--json', '--secret', SECRET]);
    await restarted.waitForRecord((r) => r.kind === 'ready');
    await waitFor(() => restarted.stderr().includes('cut short'));
    expect(restarted.stderr().trim().split('\n')).toEqual([
      'coreone-inspect: warning: Skipped the last line of the event log: it was cut short (the process stopped, or a write failed, mid-line).',
    ]);
  });
});

describe('coreone-inspect plain output', () => {
  it('prints a readable header and one line per event when stdout is not a terminal', async () => {
    const cli = listen(['--secret', SECRET]);
    const url = await waitFor(() => /listening for CoreOne webhooks on (\S+)/.exec(cli.stdout())?.[1]);
    expect(cli.stdout()).toMatch(/secret: +20 characters, fingerprint [0-9a-f]+/);
    await postSigned(url, '{"a":1}', SECRET, 'client/update');
    // A type header that would colour the terminal if printed raw (fetch refuses to send it).
    const port = Number(new URL(url).port);
    await rawRequest(port, postBytes('/', { 'X-Coreone-Webhook-Type': 'evil/\u001b[31mtype', 'X-Coreone-Webhook-Hash': sign('{"a":1}', 'wrong') }, '{"a":1}'));
    await waitFor(() => cli.stdout().split('\n').filter((l) => /#\d+/.test(l)).length === 2);
    const lines = cli.stdout().split('\n').filter((l) => /#\d+/.test(l));
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d  #1  client\/update  ✓ valid  7 B$/);
    expect(lines[1]).toMatch(/#2  evil\/\\x1b\[31mtype \(unknown type\)  ✗ invalid  7 B  \(answered 400: .+\)  - .+/);
    expect(cli.stdout()).not.toContain('\u001b');
  });
});

describe('coreone-inspect failures', () => {
  it('says in one sentence that the port is taken, exit 2', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const result = await runCli(['--no-tunnel', '--json', '--port', String(port), '--log', join(dir, 'e.ndjson')]);
    blocker.close();
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`coreone-inspect: Port ${port} is in use: choose another with --port (0 picks a free one).\n`);
  });

  it('says in one sentence that the log is a directory, exit 2', async () => {
    await mkdir(join(dir, 'logdir'));
    const result = await runCli(['--no-tunnel', '--json', '--port', '0', '--log', join(dir, 'logdir')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`coreone-inspect: Cannot open the event log ${join(dir, 'logdir')}: it is a directory.\n`);
  });

  it.each([
    [['--bogus'], /unknown option '--bogus'/],
    [['--port', 'abc'], /A port must be a whole number from 0 to 65535\./],
    [['--port', '70000'], /A port must be from 0 to 65535\./],
    [['--respond', '99'], /An HTTP status must be from 200 to 599\./],
    [['--max-body', 'lots'], /A size must be a number of bytes/],
  ])('refuses %j with exit 2 and no stack trace', async (args, message) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('coreone-inspect help, version and types', () => {
  it('answers --help and --version, and --help for every command, with exit 0', async () => {
    for (const args of [['--help'], ['--version'], ...['listen', 'attach', 'send', 'replay', 'verify', 'types'].map((c) => [c, '--help'])]) {
      const result = await runCli(args);
      expect(result.code, args.join(' ')).toBe(0);
      expect(result.stdout.length).toBeGreaterThan(0);
    }
  });

  it('lists the 33 types, as text and as JSON', async () => {
    const text = await runCli(['types']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^accession\/status_change +an accession's status changed$/m);
    expect(text.stdout.trim().split('\n')).toHaveLength(34);
    const json = await runCli(['types', '--json']);
    const types = JSON.parse(json.stdout) as { type: string; resource: string; firesWhen: string }[];
    expect(types).toHaveLength(33);
    expect(new Set(types.map((t) => t.type)).size).toBe(33);
    expect(types.find((t) => t.type === 'payment/create')).toEqual({ type: 'payment/create', resource: 'Payment', firesWhen: 'a payment was made' });
  });
});
