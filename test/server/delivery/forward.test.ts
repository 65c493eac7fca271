// --forward-to: delivering a received event to the developer's app, against real HTTP
// servers on loopback. Every outcome (up, failing, down, slow, reset, no DNS) is a record,
// never an exception; the body arrives byte-exact and the headers as received minus the
// hop-by-hop ones.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { createForwarder } from '../../../server/delivery/forward.js';
import { REPLY_START_BYTES } from '../../../server/delivery/post.js';
import { closedPort, eventOf, startReceiver, type Answer, type Receiver } from '../../helpers/delivery.js';

const execFileAsync = promisify(execFile);
const BODY = Buffer.from('{"accession":{"accession_number":"A26-004512","status":"Finalized"}}');

const receivers: Receiver[] = [];
async function app(answer?: Answer): Promise<Receiver> {
  const receiver = await startReceiver(answer);
  receivers.push(receiver);
  return receiver;
}
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

describe('createForwarder({ url, timeoutMs }).deliver(event)', () => {
  it('app up: the status, the time and the start of the reply', async () => {
    const target = await app((_req, res) => {
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end('{"handled":"accession/status_change"}');
    });
    const event = eventOf(BODY);
    const record = await createForwarder({ url: target.url }).deliver(event);
    expect(record).toEqual({
      kind: 'forward',
      id: event.id,
      url: target.url,
      status: 201,
      ms: expect.any(Number),
      body: '{"handled":"accession/status_change"}',
    });
    expect(record.ms).toBeGreaterThanOrEqual(0);
    expect(target.requests).toHaveLength(1);
    expect(target.requests[0]!.method).toBe('POST');
    expect(target.requests[0]!.url).toBe('/hooks');
  });

  it('app failing: a 500 is a status like any other, not an error', async () => {
    const target = await app((_req, res) => {
      res.writeHead(500);
      res.end('Internal Server Error: undefined method `[]` for nil');
    });
    const record = await createForwarder({ url: target.url }).deliver(eventOf(BODY));
    expect(record.status).toBe(500);
    expect(record.body).toBe('Internal Server Error: undefined method `[]` for nil');
    expect(record.error).toBeUndefined();
  });

  it('keeps only the start of a long reply', async () => {
    const target = await app((_req, res) => res.end('é'.repeat(20_000)));
    const record = await createForwarder({ url: target.url }).deliver(eventOf(BODY));
    expect(record.status).toBe(200);
    // Two bytes per "é": the cut never splits a character.
    expect(record.body).toBe('é'.repeat(REPLY_START_BYTES / 2));
  });

  it('sends the body byte-exact, text and a body that is not UTF-8 (recorded as base64)', async () => {
    const target = await app();
    const binary = Buffer.from([0x7b, 0xff, 0xfe, 0x00, 0x80, 0xc3, 0x28, 0x0d, 0x0a, 0x7d]);
    const forwarder = createForwarder({ url: target.url });
    const text = Buffer.from('{ "pretty": true,\r\n  "unicode": "Müller 🐄" }\n');
    for (const body of [text, binary, Buffer.alloc(0)]) {
      const event = eventOf(body);
      expect(event.bodyEncoding).toBe(body === binary ? 'base64' : 'utf8');
      expect((await forwarder.deliver(event)).status).toBe(200);
    }
    expect(target.requests.map((r) => r.body.toString('hex'))).toEqual([text, binary, Buffer.alloc(0)].map((b) => b.toString('hex')));
    expect(target.requests.map((r) => r.headers['content-length'])).toEqual([String(text.length), String(binary.length), '0']);
  });

  it('sends the headers as received, minus hop-by-hop ones, host and content-length', async () => {
    const target = await app();
    const event = eventOf(BODY, {
      hash: 'ab'.repeat(32),
      headers: {
        host: 'tidy-lab.loca.lt',
        'content-length': '99999',
        connection: 'keep-alive, X-Hop-Named',
        'keep-alive': 'timeout=5',
        'transfer-encoding': 'chunked',
        te: 'trailers',
        trailer: 'x-checksum',
        upgrade: 'h2c',
        'proxy-authorization': 'Basic c2VjcmV0',
        'proxy-connection': 'keep-alive',
        expect: '100-continue',
        'x-hop-named': 'listed in Connection, so hop-by-hop',
        'user-agent': 'CoreOne-Webhooks/5.3',
        'x-forwarded-for': '203.0.113.9',
        'content-encoding': 'identity',
      },
    });
    expect((await createForwarder({ url: target.url }).deliver(event)).status).toBe(200);
    const received = target.requests[0]!.headers;
    for (const dropped of ['keep-alive', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'proxy-authorization', 'proxy-connection', 'expect', 'x-hop-named']) {
      expect(received, dropped).not.toHaveProperty(dropped);
    }
    expect(received.host).toBe(new URL(target.url).host);
    expect(received['content-length']).toBe(String(BODY.length));
    expect(received.connection).toBe('close'); // node's own, for its one-shot connection
    expect(received).toMatchObject({
      'x-coreone-webhook-type': 'accession/status_change',
      'x-coreone-webhook-hash': 'ab'.repeat(32),
      'content-type': 'application/json',
      'user-agent': 'CoreOne-Webhooks/5.3',
      'x-forwarded-for': '203.0.113.9',
      'content-encoding': 'identity',
    });
  });

  it('app down: "refused" in one sentence, no status', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/hooks`;
    const record = await createForwarder({ url }).deliver(eventOf(BODY));
    expect(record.status).toBeUndefined();
    expect(record.error).toMatch(/^Connection refused by 127\.0\.0\.1:\d+: nothing is listening there \(is the app running\?\)\.$/);
  });

  it('app slow: "timeout" in one sentence, after the timeout and not much later', async () => {
    const target = await app(() => {
      /* never answers */
    });
    const record = await createForwarder({ url: target.url, timeoutMs: 300 }).deliver(eventOf(BODY));
    expect(record.status).toBeUndefined();
    expect(record.error).toMatch(/^No reply from 127\.0\.0\.1:\d+ within 300 ms \(timeout\)\.$/);
    expect(record.ms).toBeGreaterThanOrEqual(295);
    expect(record.ms).toBeLessThan(2000);
    expect(target.requests).toHaveLength(1); // it did arrive; the app just never answered
  });

  it('app answers its headers and stalls: the status and the timeout both show', async () => {
    const target = await app((_req, res) => {
      res.writeHead(202);
      res.write('working on it');
    });
    const record = await createForwarder({ url: target.url, timeoutMs: 300 }).deliver(eventOf(BODY));
    expect(record).toMatchObject({ status: 202, body: 'working on it' });
    expect(record.error).toMatch(/did not finish within 300 ms \(timeout\)\.$/);
  });

  it('app drops the connection: "reset" in one sentence', async () => {
    const target = await app((req, res) => res.socket?.destroy());
    const record = await createForwarder({ url: target.url }).deliver(eventOf(BODY));
    expect(record.status).toBeUndefined();
    expect(record.error).toMatch(/^The connection to 127\.0\.0\.1:\d+ was reset before a complete reply\.$/);
  });

  it('a host that does not resolve: "DNS" in one sentence', async () => {
    // .invalid is reserved (RFC 2606): no resolver may answer it.
    const record = await createForwarder({ url: 'http://no-such-app.invalid/hooks', timeoutMs: 5000 }).deliver(eventOf(BODY));
    expect(record.status).toBeUndefined();
    expect(record.error).toMatch(/^DNS lookup (failed for|for) no-such-app\.invalid/);
  });

  it('an https app with a certificate nobody signed: "TLS" in one sentence', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'coreone-tls-'));
    try {
      const key = path.join(dir, 'key.pem');
      const cert = path.join(dir, 'cert.pem');
      await execFileAsync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1']);
      const server = https.createServer({ key: await readFile(key), cert: await readFile(cert) }, (_req, res) => res.end('ok'));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      const record = await createForwarder({ url: `https://127.0.0.1:${port}/hooks` }).deliver(eventOf(BODY));
      server.close();
      expect(record.status).toBeUndefined();
      // The cause as Node words it: Node 24 adds advice after it (--use-system-ca); one line, one sentence either way.
      expect(record.error).toMatch(/^The TLS handshake with 127\.0\.0\.1:\d+ failed: self[- ]signed certificate[;.]/);
      expect(record.error).toMatch(/^[^\n]*\.$/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('does not forward an event whose body was over --max-body, and says why', async () => {
    const target = await app();
    const event = { ...eventOf(Buffer.alloc(0)), truncated: true, size: 6_000_000 };
    const record = await createForwarder({ url: target.url }).deliver(event);
    expect(record).toEqual({ kind: 'forward', id: event.id, url: target.url, error: expect.stringMatching(/over --max-body.*not forwarded\.$/) });
    expect(target.requests).toHaveLength(0);
  });

  it('turns a malformed event record into an error record instead of throwing', async () => {
    const target = await app();
    const event = { ...eventOf(BODY), headers: { 'x-bad': 'line\nbreak' } };
    const record = await createForwarder({ url: target.url }).deliver(event);
    expect(record.error).toMatch(/could not be built/);
  });

  it('lets a slow app hold only maxConcurrent deliveries, queues the rest in order, and refuses past maxQueued', async () => {
    const held: Array<() => void> = [];
    const target = await app((_req, res) => held.push(() => res.end('ok')));
    const forwarder = createForwarder({ url: target.url, maxConcurrent: 2, maxQueued: 2 });
    const events = [1, 2, 3, 4, 5].map((seq) => eventOf(Buffer.from(`{"seq":${seq}}`), { seq, id: `event${seq}` }));
    const records = events.map((event) => forwarder.deliver(event));

    // The fifth finds two in flight and two waiting: refused at once, nothing sent.
    expect(await records[4]).toEqual({
      kind: 'forward',
      id: 'event5',
      url: target.url,
      error: `2 events are already waiting for ${new URL(target.url).host}, so this one was not forwarded.`,
    });
    await target.waitFor(2);
    expect(target.requests).toHaveLength(2); // the app holds two; the next two wait their turn
    held.shift()!(); // the app answers the first...
    await target.waitFor(3); // ...and only then does the third go out
    expect(target.requests).toHaveLength(3);
    held.shift()!();
    await target.waitFor(4);
    for (const release of held.splice(0)) release();
    expect((await Promise.all(records.slice(0, 4))).map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(target.requests.map((r) => r.body.toString())).toEqual(['{"seq":1}', '{"seq":2}', '{"seq":3}', '{"seq":4}']);
  });

  it('refuses an unusable URL at set-up, in one sentence', () => {
    expect(() => createForwarder({ url: 'localhost:3000' })).toThrow(/^"localhost:3000" is not an http:\/\/ or https:\/\/ URL\.$/);
    expect(() => createForwarder({ url: 'not a url' })).toThrow(/^"not a url" is not a URL/);
  });
});
