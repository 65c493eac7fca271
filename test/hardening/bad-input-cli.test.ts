// Bad input on the command line and in the files the BUILT CLI reads: unknown flags, bad
// ports and values, unreadable secret files, bad URLs, corrupt fixtures, a log that is a
// directory, read-only, or full of torn and invalid lines. Each: exit 2 (or, for a log
// it can still use, a warning and a running listener), exactly one clear sentence on
// stderr, no stack trace, and nothing written where nothing should be.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { appendFile, chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli-process.js';
import { OTHER_USER, reachableCli, type ReachableCli } from '../helpers/other-user.js';
import { loggedEvents, postSigned, startListening, STACK_TRACE } from '../helpers/hardening-listener.js';
import { sign } from '../helpers/raw-http.js';
import { waitFor } from '../helpers/wait.js';

const SECRET = 'hardening-cli-secret-Vx9';
let work: string;
let receiver: Server;
let receiverUrl: string;
let delivered = 0;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'coreone-hardening-cli-'));
  receiver = createServer((req, res) => {
    delivered++;
    req.resume();
    req.on('end', () => res.end('ok'));
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hooks`;
});
afterAll(async () => {
  await new Promise((resolve) => receiver.close(resolve));
  await rm(work, { recursive: true, force: true });
});

/**
 * Exit 2 and exactly one line on stderr (commander may add its "(Did you mean --port?)"),
 * no stack trace, nothing on stdout.
 */
function expectOneSentence(result: { code: number | null; stdout: string; stderr: string }, message: RegExp | string): void {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr).not.toMatch(STACK_TRACE);
  expect(result.stderr.trimEnd().split('\n').filter((line) => !/^\(Did you mean .+\?\)$/.test(line))).toHaveLength(1);
  if (typeof message === 'string') expect(result.stderr).toContain(message);
  else expect(result.stderr).toMatch(message);
}

/**
 * `listen` as given; a refused start leaves no log file behind. Each in a directory of its
 * own: they run side by side, and one inspector per log directory is the rule.
 */
async function refusedListen(args: string[], message: RegExp | string): Promise<void> {
  const log = join(work, `never-${Math.random().toString(36).slice(2)}`, 'events.ndjson');
  const result = await runCli(['--no-tunnel', '--port', '0', '--log', log, ...args]);
  expectOneSentence(result, message);
  expect(await stat(log).then(() => 'there', () => 'absent')).toBe('absent');
}

// Each case is its own short-lived process, so they run side by side.
describe.concurrent('flags and values', () => {
  it.each([
    [['--bogus'], "unknown option '--bogus'"],
    [['listen', '--portt', '1'], "unknown option '--portt'"],
    [['send', 'accession/receive', '--to', 'http://127.0.0.1:9/', '--bogus'], "unknown option '--bogus'"],
    [['replay', 'x.json', '--to', 'http://127.0.0.1:9/', '--bogus'], "unknown option '--bogus'"],
    [['verify', '--bogus'], "unknown option '--bogus'"],
    [['types', '--bogus'], "unknown option '--bogus'"],
    [['attach', '--bogus'], "unknown option '--bogus'"],
    [['frobnicate', '--no-tunnel'], /too many arguments|unknown command/],
  ])('%j: exit 2, one sentence', async (args, message) => {
    expectOneSentence(await runCli(args), message);
  });

  it.each([
    ['--port', '-1'],
    ['--port', '65536'],
    ['--port', '0x50'],
    ['--inspect-port', 'eighty'],
  ])('%s %j: exit 2, one sentence naming the range', async (flag, value) => {
    await refusedListen([flag, value], /A port must be (a whole number )?from 0 to 65535\./);
  });

  it.each([
    [['--max-body', 'lots'], 'A size must be a number of bytes'],
    [['--max-body', '0'], 'A size must be from 1 byte to 1 GiB.'],
    [['--respond', 'ok'], 'An HTTP status must be a whole number'],
    [['--request-timeout', '5'], 'A time in milliseconds must be from 100 to 3600000.'],
    [['--history', '-3'], 'A history length must be a whole number'],
    [['--subdomain', 'A_B'], 'A subdomain is 4 to 63 characters of a-z, 0-9 and -.'],
    [['--subdomain', '-abc-'], 'A subdomain cannot start or end with -.'],
  ])('%j: exit 2, one sentence', async (args, message) => {
    await refusedListen(args, message);
  });

  it('a port already taken by another program (the listener port and the inspect port): exit 2, one sentence', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      await refusedListen(['--port', String(port)], `Port ${port} is in use: choose another with --port (0 picks a free one).`);
      const inspect = await runCli(['--no-tunnel', '--port', '0', '--inspect-port', String(port), '--log', join(work, 'inspect-taken.ndjson')]);
      expect(inspect.code).toBe(2);
      expect(inspect.stderr).not.toMatch(STACK_TRACE);
      expect(inspect.stderr.trimEnd().split('\n')).toHaveLength(1);
    } finally {
      blocker.close();
    }
  });

  it('--host with an address this machine does not have: exit 2, one sentence', async () => {
    await refusedListen(['--host', '192.0.2.1'], 'Cannot listen on 192.0.2.1: this machine has no such address.');
  });
});

describe.concurrent('URLs', () => {
  const NOT_HTTP = /" is not an http(:\/\/)? or https(:\/\/)? URL\./;
  it.each([
    [['--forward-to', 'notaurl'], '"notaurl" is not a URL'],
    [['--forward-to', 'ftp://x/'], NOT_HTTP],
    [['--forward-to', 'http://[::1'], 'is not a URL'],
    [['--forward-to', 'javascript:alert(1)'], NOT_HTTP],
    [['--tunnel-host', 'nope'], '--tunnel-host "nope" is not a URL'],
    [['--tunnel-host', 'file:///etc'], 'must be an http:// or https:// URL.'],
    [['--tunnel-host', 'https://x.example/path'], 'must be just a server address'],
    [['--tunnel-host', 'https://user:pw@x.example'], 'must be just a server address'],
  ])('listen %j: exit 2, one sentence', async (args, message) => {
    await refusedListen(args, message);
  });

  it.each([
    [['send', 'accession/receive', '--to', 'notaurl', '--secret', SECRET], '"notaurl" is not a URL'],
    [['send', 'accession/receive', '--to', 'ws://127.0.0.1:1/', '--secret', SECRET], NOT_HTTP],
    [['replay', 'x.json', '--to', 'mailto:a@b', '--secret', SECRET], NOT_HTTP],
    [['attach', 'notaurl'], '"notaurl" is not a URL'],
    [['attach', 'http://127.0.0.1:1/'], 'The inspect URL must start with ws:// or wss://'],
  ])('%j: exit 2, one sentence, nothing sent', async (args, message) => {
    const before = delivered;
    expectOneSentence(await runCli(args), message);
    expect(delivered).toBe(before);
  });
});

describe('secret files', () => {
  it('missing, a directory, not UTF-8: exit 2, one sentence naming the file, for listen, send and verify', async () => {
    const before = delivered;
    const notUtf8 = join(work, 'latin1.secret');
    await writeFile(notUtf8, Buffer.from([0x73, 0xe9, 0x63, 0xff]));
    const cases: [string, string][] = [
      [join(work, 'missing.secret'), 'no such file or directory.'],
      [work, 'it is a directory.'],
      [notUtf8, 'is not UTF-8 text.'],
    ];
    for (const [file, reason] of cases) {
      await refusedListen(['--secret-file', file], reason);
      expectOneSentence(await runCli(['send', 'accession/receive', '--to', receiverUrl, '--secret-file', file]), reason);
      const body = join(work, 'body.json');
      await writeFile(body, '{}');
      expectOneSentence(await runCli(['verify', '--body', body, '--hash', sign('{}', 'x'), '--secret-file', file]), reason);
    }
    expect(delivered).toBe(before);
  });
});

describe.concurrent('fixtures', () => {
  const good = (overrides: Record<string, unknown> = {}) =>
    JSON.stringify({
      format: 'coreone-inspect/fixture@1',
      type: 'accession/receive',
      receivedAt: '2026-01-01T00:00:00.000Z',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
      bodyEncoding: 'utf8',
      signature: { status: 'valid', received: sign('{"a":1}', SECRET), expected: sign('{"a":1}', SECRET), diagnosis: [] },
      ...overrides,
    }, null, 2);

  const corrupt: [string, () => string, string][] = [
    ['torn last line (cut short mid-write)', () => good().slice(0, -40), 'it is not valid JSON'],
    ['not JSON at all', () => 'hello', 'it is not valid JSON'],
    ['empty', () => '', 'it is not valid JSON'],
    ['JSON but not an object', () => '[1,2,3]', 'is not a coreone-inspect fixture'],
    ['no format', () => '{"body":"{}"}', 'is not a coreone-inspect fixture'],
    ['another format', () => good({ format: 'coreone-inspect/fixture@9' }), 'has fixture format "coreone-inspect/fixture@9"'],
    ['a body that is not a string', () => good({ body: { a: 1 } }), '"body" must be a string'],
    ['base64 that is not base64', () => good({ bodyEncoding: 'base64', body: 'not*base64!' }), '"body" is not valid base64'],
    ['headers that are not strings', () => good({ headers: { a: 1 } }), '"headers" must be an object of strings'],
    ['no signature', () => good({ signature: null }), '"signature" is missing or not a signature verdict'],
    ['a lone surrogate in the body', () => good({ body: '\ud800' }), 'holds text that is not valid UTF-8'],
  ];

  it.each(corrupt)('a fixture with %s: verify exits 2 with one sentence', async (name, content, message) => {
    const file = join(work, `corrupt-${name.replace(/\W+/g, '-')}.json`);
    await writeFile(file, content());
    expectOneSentence(await runCli(['verify', file, '--secret', SECRET]), message);
  });

  it('a torn fixture, or one of another format, after a good one: replay exits 2 with one sentence and sends nothing', async () => {
    const goodFile = join(work, 'good.json');
    await writeFile(goodFile, good());
    for (const [name, content, message] of [corrupt[0]!, corrupt[5]!]) {
      const file = join(work, `replay-${name.replace(/\W+/g, '-')}.json`);
      await writeFile(file, content());
      // The good one first: replay reads them all before sending any.
      expectOneSentence(await runCli(['replay', goodFile, file, '--to', receiverUrl, '--secret', SECRET]), message);
    }
    expect(delivered).toBe(0);
  });

  it('a fixture path that is a directory or missing: exit 2, one sentence', async () => {
    expectOneSentence(await runCli(['replay', work, '--to', receiverUrl, '--secret', SECRET]), 'it is a directory.');
    expectOneSentence(await runCli(['verify', join(work, 'nope.json'), '--secret', SECRET]), 'no such file or directory.');
    expectOneSentence(await runCli(['send', 'accession/receive', '--data', work, '--to', receiverUrl, '--secret', SECRET]), 'it is a directory');
  });
});

describe('the event log', () => {
  it('a log path that is a directory, or not a regular file: exit 2, one sentence', async () => {
    const dir = join(work, 'log-is-dir');
    await mkdir(dir);
    expectOneSentence(await runCli(['--no-tunnel', '--port', '0', '--log', dir]), `Cannot open the event log ${dir}: it is a directory.`);
    expectOneSentence(await runCli(['--no-tunnel', '--port', '0', '--log', '/dev/null']), 'The event log /dev/null is not a regular file.');
  });

  // Tests run as root here and in CI, and root writes through 0444. So the CLI runs as
  // `nobody` (uid 65534) then: a read-only file really is read-only to it.
  let otherUsersCli: ReachableCli;
  // From a private checkout, reachableCli copies the runtime's dependencies (some 60 MB):
  // 5 s alone, and past the default 30 s once while the rest of the suite ran beside it.
  beforeAll(async () => {
    otherUsersCli = await reachableCli();
  }, 120_000);
  afterAll(() => otherUsersCli?.dispose());

  function runAs(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(otherUsersCli.node, [otherUsersCli.path, ...args], { ...OTHER_USER, env: { ...process.env, FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      // 'close', not 'exit': only then has all of the output been read.
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  it('a read-only log file, a log in a read-only directory, a secret file and a fixture it may not read: exit 2, one sentence, the files unchanged', async () => {
    const shared = join(work, 'shared');
    await mkdir(shared);
    await chmod(work, 0o755);
    await chmod(shared, 0o755);
    expect((await runAs(['--version'])).code, 'the CLI must be runnable by the other user').toBe(0);

    const readOnly = join(shared, 'read-only.ndjson');
    const line = `${JSON.stringify({ kind: 'event', event: { id: 'e1', seq: 1 } })}\n`;
    await writeFile(readOnly, line);
    await chmod(readOnly, 0o444);
    expectOneSentence(await runAs(['--no-tunnel', '--port', '0', '--log', readOnly]), `Cannot open the event log ${readOnly}: permission denied.`);
    expect(await readFile(readOnly, 'utf8')).toBe(line);

    // Files no one but root may read: a secret file and a fixture.
    const secretFile = join(shared, 'owner-only.secret');
    await writeFile(secretFile, `${SECRET}\n`);
    await chmod(secretFile, 0o000);
    expectOneSentence(await runAs(['--no-tunnel', '--port', '0', '--secret-file', secretFile, '--log', join(shared, 'never.ndjson')]), `Cannot read the secret file ${secretFile}: permission denied.`);
    const fixture = join(shared, 'owner-only.json');
    await writeFile(fixture, '{}');
    await chmod(fixture, 0o000);
    expectOneSentence(await runAs(['verify', fixture, '--secret', SECRET]), `Cannot read fixture ${fixture}: permission denied.`);

    const readOnlyDir = join(shared, 'read-only-dir');
    await mkdir(readOnlyDir, { mode: 0o555 });
    await chmod(readOnlyDir, 0o555);
    const inside = join(readOnlyDir, 'events.ndjson');
    expectOneSentence(await runAs(['--no-tunnel', '--port', '0', '--log', inside]), `Cannot open the event log ${inside}: permission denied.`);
  });

  it('invalid JSON lines in the middle and a torn last line: one warning each, history and numbering go on from the good lines', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'coreone-hardening-log-'));
    const first = await startListening(['--secret', SECRET], {}, dir);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await postSigned(first.webhookUrl, `{"n":${i}}`, SECRET)).id);
    await first.dispose('SIGTERM');
    // Damage: garbage between the events, a line of binary, a valid JSON line that is no record, then a torn write.
    const lines = (await readFile(first.logPath, 'utf8')).trimEnd().split('\n');
    await writeFile(first.logPath, [lines[0], '{"kind":"event","event":{"id":', lines[1], '\u0000\u0001\u00ff garbage', '42', lines[2]].join('\n') + '\n');
    await appendFile(first.logPath, Buffer.from([0xff, 0xfe]));
    await appendFile(first.logPath, '{"kind":"event","event":{"id":"torn');

    const second = await startListening(['--secret', SECRET], {}, dir);
    try {
      await waitFor(() => second.cli.stderr().includes('cut short'), { what: 'the torn-line warning' });
      const warnings = second.cli.stderr().trimEnd().split('\n');
      expect(warnings).toHaveLength(4);
      for (const warning of warnings) expect(warning).toMatch(/^coreone-inspect: warning: Skipped (a|the last) line of the event log: .+\.$|^coreone-inspect: warning: Skipped a line of the event log that is not a valid record \(\d+ bytes at offset \d+\)\.$/);
      expect(second.cli.stderr()).not.toMatch(STACK_TRACE);

      // Alive, numbering goes on after the last good event, and the history holds exactly the good ones.
      const { status, id } = await postSigned(second.webhookUrl, '{"after":"damage"}', SECRET);
      expect(status).toBe(200);
      const events = await loggedEvents(second.logPath);
      expect(events.map((e) => e.id)).toEqual([...ids, id]);
      expect(events.at(-1)!.seq).toBe(4);
      const { default: WebSocket } = await import('ws');
      const ws = new WebSocket(second.inspectUrl);
      const messages: { kind: string; event?: { id: string } }[] = [];
      ws.on('message', (data) => messages.push(JSON.parse(String(data)) as { kind: string }));
      await waitFor(() => messages.some((m) => m.kind === 'history-end'));
      await waitFor(() => messages.filter((m) => m.kind === 'event').length === 4);
      expect(messages.filter((m) => m.kind === 'event').map((m) => m.event!.id)).toEqual([...ids, id]);
      ws.close();
    } finally {
      await second.dispose();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a log of nothing but random bytes: warnings, and the listener starts and records', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'coreone-hardening-log-'));
    const { randomBytes } = await import('node:crypto');
    await writeFile(join(dir, 'events.ndjson'), randomBytes(64 * 1024));
    const l = await startListening(['--secret', SECRET], {}, dir);
    try {
      const { status, id } = await postSigned(l.webhookUrl, '{}', SECRET);
      expect(status).toBe(200);
      expect((await loggedEvents(l.logPath)).map((e) => e.id)).toEqual([id]);
      expect(l.cli.stderr()).not.toMatch(STACK_TRACE);
      for (const line of l.cli.stderr().trimEnd().split('\n').filter(Boolean)) expect(line).toMatch(/^coreone-inspect: warning: Skipped .+\.$/);
    } finally {
      await l.dispose();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a fixtures dir that cannot be created (a file stands there) with --save-all: the failure said once (not once per event), every event still logged and answered 200', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'coreone-hardening-fx-'));
    const blocker = join(dir, 'fixtures-is-a-file');
    await writeFile(blocker, 'not a directory');
    const l = await startListening(['--secret', SECRET, '--save-all', '--fixtures-dir', blocker], {}, dir);
    try {
      for (let i = 0; i < 3; i++) expect((await postSigned(l.webhookUrl, `{"n":${i}}`, SECRET)).status).toBe(200);
      await waitFor(async () => (await loggedEvents(l.logPath)).length === 3 && l.cli.stderr().includes('Cannot save'), { what: 'three events and the warning' });
      expect(l.cli.stderr().trimEnd().split('\n')).toHaveLength(1);
      for (const line of l.cli.stderr().trimEnd().split('\n')) expect(line).toMatch(/^coreone-inspect: warning: Cannot save a fixture in .+: a file stands where a directory should be\.$/);
      expect(await readFile(blocker, 'utf8')).toBe('not a directory');
    } finally {
      await l.dispose();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
