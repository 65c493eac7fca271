// --forward-to, --save-all and the stream's save/replay messages, through the built CLI with
// real apps on port 0: the sender's acknowledgement never waits for the app.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { startCli, type RunningCli } from '../../helpers/cli-process.js';
import { sign } from '../../helpers/raw-http.js';
import { waitFor } from '../../helpers/wait.js';

const SECRET = 'forward-test-secret';
let dir: string;
const cleanup: (() => unknown)[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'coreone-fwd-'));
});
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
  await rm(dir, { recursive: true, force: true });
});

interface Received {
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/** A real app on port 0 that records what it gets and answers after `delayMs`. */
async function app(delayMs = 0, status = 201): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks) });
      const timer = setTimeout(() => res.writeHead(status).end('{"handled":true}'), delayMs);
      res.on('close', () => clearTimeout(timer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(() => new Promise((resolve) => (server.closeAllConnections(), server.close(resolve))));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hooks`, received };
}

async function listen(extra: string[]): Promise<{ cli: RunningCli; webhookUrl: string; inspectUrl: string }> {
  const cli = startCli(['--no-tunnel', '--json', '--port', '0', '--secret', SECRET, '--log', join(dir, 'events.ndjson'), '--fixtures-dir', join(dir, 'fixtures'), ...extra]);
  cleanup.push(() => cli.stop('SIGKILL'));
  const ready = await cli.waitForRecord((r) => r.kind === 'ready', 'ready');
  return { cli, webhookUrl: ready.webhookUrl as string, inspectUrl: ready.inspectUrl as string };
}

async function post(url: string, body: string, type = 'accession/receive'): Promise<{ status: number; id: string; ms: number }> {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    body,
    headers: { 'X-Coreone-Webhook-Type': type, 'X-Coreone-Webhook-Hash': sign(body, SECRET), 'X-Lab-Trace': 'abc' },
  });
  const reply = (await response.json()) as { id: string };
  return { status: response.status, id: reply.id, ms: performance.now() - started };
}

const forwardOf = (cli: RunningCli, id: string) => cli.waitForRecord((r) => r.kind === 'forward' && r.id === id, `forward record for ${id}`);

describe('--forward-to', () => {
  it('delivers the body byte-exact with the headers to an app that is up, and reports its status', async () => {
    const target = await app(0, 201);
    const { cli, webhookUrl } = await listen(['--forward-to', target.url]);
    const body = '{"accession":"A26-004512","status":"Received","note":"é"}';
    const { status, id } = await post(webhookUrl, body);
    expect(status).toBe(200);
    const record = await forwardOf(cli, id);
    expect(record).toMatchObject({ kind: 'forward', id, url: target.url, status: 201, body: '{"handled":true}' });
    expect(typeof record.ms).toBe('number');
    expect(target.received).toHaveLength(1);
    expect(target.received[0]!.body.equals(Buffer.from(body))).toBe(true);
    expect(target.received[0]!.headers).toMatchObject({
      'x-coreone-webhook-type': 'accession/receive',
      'x-coreone-webhook-hash': sign(body, SECRET),
      'x-lab-trace': 'abc',
    });
  });

  it('reports an app that is down as refused, and still acknowledges the sender', async () => {
    const { cli, webhookUrl } = await listen(['--forward-to', 'http://127.0.0.1:9/down']);
    const { status, id } = await post(webhookUrl, '{}');
    expect(status).toBe(200);
    const record = await forwardOf(cli, id);
    expect(record.status).toBeUndefined();
    expect(record.error).toMatch(/refused/i);
  });

  it('reports a slow app as a timeout, and acknowledges the sender without waiting for it', async () => {
    const target = await app(5_000);
    const { cli, webhookUrl } = await listen(['--forward-to', target.url, '--forward-timeout', '300']);
    const { status, id, ms } = await post(webhookUrl, '{"slow":true}');
    expect(status).toBe(200);
    expect(ms).toBeLessThan(300);
    const record = await forwardOf(cli, id);
    expect(record.error).toMatch(/time/i);
  });

  it('replays an event to the app when a stream client asks, and says so when the id is unknown', async () => {
    const target = await app();
    const { cli, webhookUrl, inspectUrl } = await listen(['--forward-to', target.url]);
    const { id } = await post(webhookUrl, '{"n":1}');
    await forwardOf(cli, id);
    const ws = new WebSocket(inspectUrl);
    const messages: Record<string, unknown>[] = [];
    ws.on('message', (data) => messages.push(JSON.parse(String(data)) as Record<string, unknown>));
    await waitFor(() => messages.some((m) => m.kind === 'history-end'));
    ws.send(JSON.stringify({ kind: 'replay', id }));
    await waitFor(() => messages.some((m) => m.kind === 'forward' && m.id === id));
    expect(target.received).toHaveLength(2);
    expect(target.received[1]!.body.toString()).toBe('{"n":1}');
    ws.send(JSON.stringify({ kind: 'replay', id: 'nope' }));
    await waitFor(() => messages.some((m) => m.kind === 'error'));
    expect(messages.find((m) => m.kind === 'error')!.message).toMatch(/^No event nope among the events this inspector knows \(its history and those logged since\)\.$/);
    ws.close();
  });
});

describe('fixtures from the listener', () => {
  it('saves every event with --save-all, owner-only, body byte-exact', async () => {
    const { cli, webhookUrl } = await listen(['--save-all']);
    const { id } = await post(webhookUrl, '{"a":1}', 'accession/status_change');
    const saved = await cli.waitForRecord((r) => r.kind === 'saved' && r.id === id, 'saved record');
    const path = saved.path as string;
    expect(path.startsWith(join(dir, 'fixtures', 'accession'))).toBe(true);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const fixture = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    expect(fixture).toMatchObject({ format: 'coreone-inspect/fixture@1', type: 'accession/status_change', body: '{"a":1}', bodyEncoding: 'utf8' });
  });

  it('saves on a stream client\'s request, twice without overwriting; replay needs --forward-to', async () => {
    const { webhookUrl, inspectUrl } = await listen([]);
    const { id } = await post(webhookUrl, '{"b":2}', '../../x/y');
    const ws = new WebSocket(inspectUrl);
    const messages: Record<string, unknown>[] = [];
    ws.on('message', (data) => messages.push(JSON.parse(String(data)) as Record<string, unknown>));
    await waitFor(() => messages.some((m) => m.kind === 'history-end'));
    ws.send(JSON.stringify({ kind: 'save', id }));
    ws.send(JSON.stringify({ kind: 'save', id }));
    const saves = await waitFor(() => {
      const found = messages.filter((m) => m.kind === 'saved');
      return found.length === 2 && found;
    });
    const paths = saves.map((m) => m.path as string);
    expect(new Set(paths).size).toBe(2);
    for (const path of paths) expect(path.startsWith(join(dir, 'fixtures') + '/')).toBe(true);
    ws.send(JSON.stringify({ kind: 'replay', id }));
    await waitFor(() => messages.some((m) => m.kind === 'error'));
    expect(messages.find((m) => m.kind === 'error')!.message).toBe(
      'Replay delivers to --forward-to, and this listener was started without it.',
    );
    ws.close();
  });
});

describe('send a test from a stream client', () => {
  it('sends the listener a signed sample of the type, which arrives valid; an unknown type is refused', async () => {
    const { cli, inspectUrl } = await listen([]);
    const ws = new WebSocket(inspectUrl);
    const messages: Record<string, unknown>[] = [];
    ws.on('message', (data) => messages.push(JSON.parse(String(data)) as Record<string, unknown>));
    await waitFor(() => messages.some((m) => m.kind === 'history-end'));
    ws.send(JSON.stringify({ kind: 'send', type: 'leaf/match' }));
    const record = (await cli.waitForRecord((r) => r.kind === 'event', 'the test event')) as {
      event?: { type: string; knownType: boolean; json: { ok: boolean }; signature: { status: string } };
    };
    expect(record.event).toMatchObject({ type: 'leaf/match', knownType: true, json: { ok: true }, signature: { status: 'valid' } });
    ws.send(JSON.stringify({ kind: 'send', type: 'leaf/unknown' }));
    await waitFor(() => messages.some((m) => m.kind === 'error'));
    expect(messages.find((m) => m.kind === 'error')!.message).toBe(
      '"leaf/unknown" is not one of the 33 CoreOne webhook types, so there is no sample to send.',
    );
    ws.close();
  });
});
