// Bad input at the inspector stream of the RUNNING BUILT CLI: wrong tokens, browsers, bytes
// that are not WebSocket, binary, oversized, malformed and unknown messages, a client that
// never reads. Each: the documented answer, the process alive (a signed POST gets 200 and
// a fresh client gets hello and the history), no event lost, and no stack trace.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { loggedEvents, postSigned, startListening, STACK_TRACE, type Listening } from '../helpers/hardening-listener.js';
import { rawRequest, statusOf } from '../helpers/raw-http.js';
import { waitFor } from '../helpers/wait.js';

const SECRET = 'hardening-ws-secret-Lm3';
let l: Listening;
let posted = 0;

beforeAll(async () => {
  l = await startListening(['--secret', SECRET, '--max-body', '1m']);
  // Something in the history for every new client.
  expect((await postSigned(l.webhookUrl, '{"first":true}', SECRET)).status).toBe(200);
  posted++;
});
afterAll(async () => {
  await l.dispose();
});

afterEach(async () => {
  const { status } = await postSigned(l.webhookUrl, '{"check":"alive"}', SECRET);
  posted++;
  expect(status).toBe(200);
  const fresh = client(l.inspectUrl);
  await waitFor(() => fresh.messages.some((m) => m.kind === 'history-end'), { what: 'a fresh client to get its history' });
  expect(fresh.messages[0]!.kind).toBe('hello');
  expect(fresh.messages.filter((m) => m.kind === 'event')).toHaveLength(posted);
  fresh.ws.close();
  expect(l.cli.stderr()).not.toMatch(STACK_TRACE);
});

interface Client {
  ws: WebSocket;
  messages: Record<string, unknown>[];
  closed: Promise<{ code: number; reason: string }>;
}

function client(url: string, headers: Record<string, string> = {}): Client {
  const ws = new WebSocket(url, { headers });
  const messages: Record<string, unknown>[] = [];
  ws.on('message', (data) => messages.push(JSON.parse(String(data)) as Record<string, unknown>));
  ws.on('error', () => undefined);
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  return { ws, messages, closed };
}

async function opened(url = l.inspectUrl): Promise<Client> {
  const c = client(url);
  await waitFor(() => c.messages.some((m) => m.kind === 'history-end'), { what: 'history-end' });
  return c;
}

/** The HTTP status a refused WebSocket handshake got. */
function refusal(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('open', () => reject(new Error(`connected to ${url}`)));
    ws.on('error', () => undefined);
  });
}

const errorsOf = (c: Client): string[] => c.messages.filter((m) => m.kind === 'error').map((m) => m.message as string);

describe('who may connect', () => {
  it('no token, a wrong token, a short token, another path: 401 with a sentence', async () => {
    const url = new URL(l.inspectUrl);
    const token = url.searchParams.get('token')!;
    const base = `ws://127.0.0.1:${url.port}`;
    const wrong = token.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
    for (const bad of [`${base}/stream`, `${base}/stream?token=${wrong}`, `${base}/stream?token=${token.slice(0, 5)}`, `${base}/other?token=${token}`, `${base}/stream?token=${token}x`]) {
      expect(await refusal(bad), bad).toBe(401);
    }
    const answer = await rawRequest(Number(url.port), `GET /stream HTTP/1.1\r\nHost: 127.0.0.1:${url.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 401/);
    expect(answer).toMatch(/The inspector stream needs the token printed in inspectUrl\.\n$/);
  });

  it('a browser page (any Origin header), even with the token: 403 with a sentence', async () => {
    for (const origin of ['http://evil.example', 'null', 'http://127.0.0.1']) {
      expect(await refusal(l.inspectUrl, { Origin: origin }), origin).toBe(403);
    }
  });

  it('plain HTTP and random bytes on the stream port: 426 or a closed connection, never a crash', async () => {
    const port = Number(new URL(l.inspectUrl).port);
    const response = await fetch(`http://127.0.0.1:${port}/stream`);
    expect(response.status).toBe(426);
    expect(await response.text()).toMatch(/^This is the coreone-inspect inspector stream: .+\.\n$/);
    for (let i = 0; i < 20; i++) {
      const answer = await rawRequest(port, randomBytes(1 + i * 211), { endAfterWrite: true });
      if (answer !== '') expect(statusOf(answer)).toBe(400);
    }
  });
});

describe('what a connected client sends', () => {
  it('malformed JSON, JSON that is not an object, an unknown kind, a missing id: one sentence each, still connected', async () => {
    const c = await opened();
    const bad = ['{"kind":', 'not json at all', '[]', '42', 'null', '"save"', JSON.stringify({ kind: 'delete', id: 'x' }), JSON.stringify({ kind: 'save' }), JSON.stringify({ kind: 'save', id: 42 }), JSON.stringify({ kind: 'replay', id: '' }), JSON.stringify({ kind: 'send' }), JSON.stringify({ kind: 'send', type: 42 })];
    for (const text of bad) c.ws.send(text);
    await waitFor(() => errorsOf(c).length === bad.length, { what: `${bad.length} error messages` });
    for (const message of errorsOf(c)) {
      expect(message).toMatch(/^[A-Z"].*\.$/);
      expect(message).not.toContain('\n');
    }
    expect(errorsOf(c)).toContain('That message is not valid JSON.');
    expect(errorsOf(c).some((m) => m.startsWith('Unknown message kind "delete": use "save"'))).toBe(true);
    expect(c.ws.readyState).toBe(WebSocket.OPEN);
    c.ws.close();
  });

  it('binary messages: one sentence, still connected', async () => {
    const c = await opened();
    c.ws.send(randomBytes(64), { binary: true });
    c.ws.send(Buffer.from(JSON.stringify({ kind: 'save', id: 'x' })), { binary: true });
    await waitFor(() => errorsOf(c).length === 2);
    expect(errorsOf(c)).toEqual(['Send messages as JSON text, not binary.', 'Send messages as JSON text, not binary.']);
    expect(c.ws.readyState).toBe(WebSocket.OPEN);
    c.ws.close();
  });

  it('save and replay of ids that do not exist, replay without --forward-to, send of a type that does not exist: one sentence each', async () => {
    const c = await opened();
    c.ws.send(JSON.stringify({ kind: 'save', id: 'no-such-event' }));
    c.ws.send(JSON.stringify({ kind: 'save', id: '../../../etc/passwd' }));
    c.ws.send(JSON.stringify({ kind: 'replay', id: 'no-such-event' }));
    c.ws.send(JSON.stringify({ kind: 'send', type: '../../teleport' }));
    await waitFor(() => errorsOf(c).length === 4);
    // Each is answered on its own, so in no fixed order.
    expect(errorsOf(c).sort()).toEqual([
      '"../../teleport" is not one of the 33 CoreOne webhook types, so there is no sample to send.',
      'No event ../../../etc/passwd among the events this inspector knows (its history and those logged since).',
      'No event no-such-event among the events this inspector knows (its history and those logged since).',
      'Replay delivers to --forward-to, and this listener was started without it.',
    ]);
    c.ws.close();
  });

  it('saving an event that was over --max-body: one sentence, no file', async () => {
    const big = 'z'.repeat(1024 * 1024 + 1);
    const { status, id } = await postSigned(l.webhookUrl, big, SECRET);
    posted++;
    expect(status).toBe(413);
    const c = await opened();
    c.ws.send(JSON.stringify({ kind: 'save', id }));
    await waitFor(() => errorsOf(c).length === 1);
    expect(errorsOf(c)[0]).toMatch(/^Event [0-9a-f]+ was over --max-body, so its body was not kept and it cannot be saved as a fixture\.$/);
    c.ws.close();
  });

  it('a message over 64 KiB: that client is closed with 1009, the others keep their stream', async () => {
    const bystander = await opened();
    const c = await opened();
    c.ws.send(JSON.stringify({ kind: 'save', id: 'x'.repeat(100 * 1024) }));
    expect((await c.closed).code).toBe(1009);
    const { id } = await postSigned(l.webhookUrl, '{"after":"oversized"}', SECRET);
    posted++;
    await waitFor(() => bystander.messages.some((m) => m.kind === 'event' && (m.event as { id: string }).id === id), { what: 'the bystander to get the next event' });
    bystander.ws.close();
  });

  it('a flood of 2,000 bad messages from one client: answered, and nothing else disturbed', async () => {
    const c = await opened();
    for (let i = 0; i < 2000; i++) c.ws.send(i % 2 ? '{' : Buffer.from([i & 0xff]), { binary: i % 2 === 0 });
    await waitFor(() => errorsOf(c).length === 2000, { what: '2000 error messages' });
    c.ws.close();
  });

  it('clients that vanish mid-history, over and over: no leak of clients, no crash', async () => {
    for (let i = 0; i < 30; i++) {
      const ws = new WebSocket(l.inspectUrl);
      ws.on('error', () => undefined);
      await new Promise<void>((resolve) => ws.once('open', () => resolve()));
      (ws as unknown as { _socket: import('node:net').Socket })._socket.destroy();
    }
  });
});

describe('a client that never reads', () => {
  it('is dropped once it holds too much unsent data; every event is still logged and reaches a reading client', async () => {
    const url = new URL(l.inspectUrl);
    // A WebSocket client by hand: completes the handshake, then stops reading.
    const stuck = connect(Number(url.port), '127.0.0.1');
    let received = 0;
    let handshake = '';
    stuck.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (handshake.includes('\r\n\r\n')) return;
      handshake += chunk.toString('latin1');
      if (handshake.includes('\r\n\r\n')) stuck.pause();
    });
    const closed = new Promise<void>((resolve) => stuck.on('close', () => resolve()));
    stuck.on('error', () => undefined);
    stuck.write(
      `GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: 127.0.0.1:${url.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    await waitFor(() => handshake.includes('101 Switching Protocols'), { what: 'the handshake' });
    const reader = await opened();

    // 120 events of 256 KiB: 30 MiB, far past the 8 MiB a client may leave unread plus what
    // the kernel buffers for it.
    const body = JSON.stringify({ pad: 'p'.repeat(256 * 1024) });
    const ids: string[] = [];
    for (let i = 0; i < 120; i++) {
      const { status, id } = await postSigned(l.webhookUrl, body, SECRET);
      posted++;
      expect(status).toBe(200);
      ids.push(id);
    }
    await waitFor(() => reader.messages.filter((m) => m.kind === 'event').length >= posted, { timeoutMs: 15_000, what: 'the reading client to get every event' });
    // Reading again, the stuck client finds its connection closed, short of the 30 MiB.
    stuck.resume();
    await closed;
    expect(received).toBeLessThan(ids.length * body.length);
    const logged = new Set((await loggedEvents(l.logPath)).map((e) => e.id));
    expect(ids.every((id) => logged.has(id))).toBe(true);
    reader.ws.close();
  });
});

describe('afterwards', () => {
  it('logged every POST, and printed nothing on stderr', async () => {
    expect(await loggedEvents(l.logPath)).toHaveLength(posted);
    expect(l.cli.stderr()).toBe('');
  });
});
