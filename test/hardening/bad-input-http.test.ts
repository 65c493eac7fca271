// Bad input at the HTTP layer, sent to the RUNNING BUILT CLI (`coreone-inspect --json`),
// the way anyone who learns the tunnel URL could send it. For every kind: the answer the
// README's table documents, the POST in the log file (nothing lost), the process still
// answering a normal signed POST with 200 (afterEach), and no stack trace anywhere.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { WebhookEvent } from '../../server/types.js';
import { loggedEvents, postSigned, startListening, STACK_TRACE, type Listening } from '../helpers/hardening-listener.js';
import { postBytes, rawRequest, sign, statusOf } from '../helpers/raw-http.js';
import { waitFor } from '../helpers/wait.js';

const SECRET = 'hardening-http-secret-7Qp';
const TYPE = 'accession/status_change';
const MAX_BODY = 4096;
/** Short, so stalled senders are cut off quickly (the headers deadline follows it). */
const REQUEST_TIMEOUT_MS = 1000;

let l: Listening;
/** POSTs that reached the listener, the normal ones of afterEach included: each must be logged. */
let reached = 0;

beforeAll(async () => {
  l = await startListening(['--secret', SECRET, '--max-body', String(MAX_BODY), '--request-timeout', String(REQUEST_TIMEOUT_MS)]);
});
afterAll(async () => {
  await l.dispose();
});

afterEach(async () => {
  // The process is alive and serving after each kind of bad input.
  const body = '{"check":"alive"}';
  const { status, id } = await postSigned(l.webhookUrl, body, SECRET, { path: '/alive' });
  reached++;
  expect(status).toBe(200);
  expect((await loggedEvents(l.logPath)).some((e) => e.id === id)).toBe(true);
  expect(l.cli.stderr()).not.toMatch(STACK_TRACE);
});

/** The one logged event with this path (paths are unique per test). */
async function eventAt(path: string): Promise<WebhookEvent> {
  return waitFor(
    async () => {
      const found = (await loggedEvents(l.logPath)).filter((e) => e.path === path);
      if (found.length > 1) throw new Error(`${found.length} events logged for ${path}, expected one`);
      return found[0];
    },
    { what: `the event for ${path} in the log` },
  );
}

const signedHeaders = (body: string | Buffer, type = TYPE): Record<string, string> => ({
  'X-Coreone-Webhook-Type': type,
  'X-Coreone-Webhook-Hash': sign(body, SECRET),
});

/** Sends raw bytes on a new connection; the answer is everything until the server closes it. */
function send(bytes: string | Buffer): Promise<string> {
  return rawRequest(l.port, bytes);
}

/** The JSON body of the first response in a raw answer. */
function replyOf(answer: string): Record<string, unknown> {
  return JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>;
}

function head(path: string, headers: string[], protocol = 'HTTP/1.1'): string {
  return [`POST ${path} ${protocol}`, 'Host: localhost', ...headers].join('\r\n') + '\r\n\r\n';
}

describe('bodies', () => {
  it('empty body: 200, recorded with "The body is empty." and its verdict', async () => {
    const answer = await send(postBytes('/empty', signedHeaders(''), ''));
    reached++;
    expect(statusOf(answer)).toBe(200);
    const event = await eventAt('/empty');
    expect(event).toMatchObject({ size: 0, body: '', json: { ok: false, error: 'The body is empty.' }, signature: { status: 'valid' } });
    expect(replyOf(answer)).toEqual({ ok: true, id: event.id });
  });

  it('a body that is not JSON: 200, recorded byte-exact with the parse error', async () => {
    const body = '{"status": Pending,,}';
    const answer = await send(postBytes('/not-json', signedHeaders(body), body));
    reached++;
    expect(statusOf(answer)).toBe(200);
    const event = await eventAt('/not-json');
    expect(event).toMatchObject({ body, bodyEncoding: 'utf8', json: { ok: false }, signature: { status: 'valid' } });
  });

  it('a body that is not valid UTF-8: 200, kept as base64, hash checked over the raw bytes', async () => {
    const bytes = Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0xff, 0xfe, 0x80, 0x22, 0x7d]);
    const answer = await send(postBytes('/not-utf8', signedHeaders(bytes), bytes));
    reached++;
    expect(statusOf(answer)).toBe(200);
    const event = await eventAt('/not-utf8');
    expect(event.bodyEncoding).toBe('base64');
    expect(Buffer.from(event.body, 'base64').equals(bytes)).toBe(true);
    expect(event.signature.status).toBe('valid');
  });

  it('a body over --max-body, declared by Content-Length: 413 before the body is read, recorded without it', async () => {
    const body = 'x'.repeat(MAX_BODY + 1);
    const answer = await send(postBytes('/over-declared', signedHeaders(body), body));
    reached++;
    expect(statusOf(answer)).toBe(413);
    const event = await eventAt('/over-declared');
    expect(event).toMatchObject({ size: MAX_BODY + 1, body: '', truncated: true, responseStatus: 413, signature: { status: 'unchecked', expected: null } });
    expect(replyOf(answer)).toMatchObject({ ok: false, id: event.id });
  });

  it('an absurd Content-Length (1e15): 413 at once, recorded with the declared size', async () => {
    const answer = await send(head('/absurd-length', ['Content-Length: 1000000000000000', `X-Coreone-Webhook-Type: ${TYPE}`]) + '{}');
    reached++;
    expect(statusOf(answer)).toBe(413);
    expect(await eventAt('/absurd-length')).toMatchObject({ size: 1e15, truncated: true, body: '' });
  });

  it('a chunked body that grows past --max-body: 413, recorded without the body', async () => {
    const chunk = 'y'.repeat(3000);
    const size = chunk.length.toString(16);
    const answer = await send(head('/over-chunked', ['Transfer-Encoding: chunked', `X-Coreone-Webhook-Type: ${TYPE}`]) + `${size}\r\n${chunk}\r\n${size}\r\n${chunk}\r\n0\r\n\r\n`);
    reached++;
    expect(statusOf(answer)).toBe(413);
    const event = await eventAt('/over-chunked');
    expect(event).toMatchObject({ truncated: true, body: '', signature: { status: 'unchecked' } });
    expect(event.size).toBeGreaterThan(MAX_BODY);
  });

  it('a gzip body (Content-Encoding: gzip): the hash is over the bytes as sent, so gzip bytes verify as sent', async () => {
    const gz = gzipSync(Buffer.from('{"accession":"A26-000777","status":"Received"}'));
    const asSent = await send(postBytes('/gzip-as-sent', { ...signedHeaders(gz), 'Content-Encoding': 'gzip' }, gz));
    // A sender that hashed the JSON before compressing it gets no valid verdict.
    const beforeGzip = await send(postBytes('/gzip-hash-of-json', { ...signedHeaders('{"accession":"A26-000777","status":"Received"}'), 'Content-Encoding': 'gzip' }, gz));
    reached += 2;
    expect([statusOf(asSent), statusOf(beforeGzip)]).toEqual([200, 200]);
    const event = await eventAt('/gzip-as-sent');
    expect(event).toMatchObject({ bodyEncoding: 'base64', size: gz.length, signature: { status: 'valid' }, headers: { 'content-encoding': 'gzip' } });
    expect(Buffer.from(event.body, 'base64').equals(gz)).toBe(true);
    expect((await eventAt('/gzip-hash-of-json')).signature.status).toBe('invalid');
  });
});

describe('signature and type headers', () => {
  it('no type header: 200, type null, not a known type', async () => {
    const body = '{}';
    const answer = await send(postBytes('/no-type', { 'X-Coreone-Webhook-Hash': sign(body, SECRET) }, body));
    reached++;
    expect(statusOf(answer)).toBe(200);
    expect(await eventAt('/no-type')).toMatchObject({ type: null, knownType: false, signature: { status: 'valid' } });
  });

  it('no hash header: 200, missing, with missing-header', async () => {
    const answer = await send(postBytes('/no-hash', { 'X-Coreone-Webhook-Type': TYPE }, '{}'));
    reached++;
    expect(statusOf(answer)).toBe(200);
    const event = await eventAt('/no-hash');
    expect(event.signature).toMatchObject({ status: 'missing', received: null });
    expect(event.signature.diagnosis.map((d) => d.code)).toEqual(['missing-header']);
  });

  it.each([
    ['a non-hex', 'g'.repeat(64)],
    ['an odd-length', 'a'.repeat(63)],
    ['a too long', 'b'.repeat(65)],
    ['an empty', ''],
  ])('%s hash: 200, malformed, the header kept as sent', async (name, hash) => {
    const path = `/hash-${name.replace(/\W/g, '-')}`;
    const answer = await send(postBytes(path, { 'X-Coreone-Webhook-Type': TYPE, 'X-Coreone-Webhook-Hash': hash }, '{}'));
    reached++;
    expect(statusOf(answer)).toBe(200);
    const event = await eventAt(path);
    expect(event.signature).toMatchObject({ status: 'malformed', received: hash });
    expect(event.signature.diagnosis.length).toBeGreaterThan(0);
  });

  it('a well-formed hash made with another secret: 200, invalid, no-match', async () => {
    const body = '{"a":1}';
    const answer = await send(postBytes('/wrong-secret', { 'X-Coreone-Webhook-Type': TYPE, 'X-Coreone-Webhook-Hash': sign(body, 'not-the-secret') }, body));
    reached++;
    expect(statusOf(answer)).toBe(200);
    expect((await eventAt('/wrong-secret')).signature).toMatchObject({ status: 'invalid', diagnosis: [{ code: 'no-match' }] });
  });

  it('duplicate hash headers: joined with ", ", so malformed even when both are right', async () => {
    const body = '{"dup":true}';
    const hash = sign(body, SECRET);
    const answer = await send(head('/dup-hash', [`Content-Length: ${body.length}`, `X-Coreone-Webhook-Type: ${TYPE}`, `X-Coreone-Webhook-Hash: ${hash}`, `X-Coreone-Webhook-Hash: ${hash}`, 'Connection: close']) + body);
    reached++;
    expect(statusOf(answer)).toBe(200);
    expect((await eventAt('/dup-hash')).signature).toMatchObject({ status: 'malformed', received: `${hash}, ${hash}` });
  });

  it('duplicate type headers: joined with ", ", an unknown type', async () => {
    const body = '{}';
    const answer = await send(head('/dup-type', [`Content-Length: 2`, `X-Coreone-Webhook-Type: ${TYPE}`, 'X-Coreone-Webhook-Type: client/update', `X-Coreone-Webhook-Hash: ${sign(body, SECRET)}`, 'Connection: close']) + body);
    reached++;
    expect(statusOf(answer)).toBe(200);
    expect(await eventAt('/dup-type')).toMatchObject({ type: `${TYPE}, client/update`, knownType: false, signature: { status: 'valid' } });
  });

  it('control characters and a terminal escape in header values: 400 with the id, recorded as sent', async () => {
    const body = '{"a":1}';
    const type = 'accession/\u0001status\u001b[2J';
    const answer = await send(postBytes('/control-chars', { 'X-Coreone-Webhook-Type': type, 'X-Coreone-Webhook-Hash': sign(body, SECRET) }, body));
    reached++;
    expect(statusOf(answer)).toBe(400);
    const event = await eventAt('/control-chars');
    expect(event).toMatchObject({ type, body, responseStatus: 400, signature: { status: 'valid' } });
    expect(event.rejected).toMatch(/^The HTTP parser refused the request because .+\.$/);
    expect(replyOf(answer)).toMatchObject({ ok: false, id: event.id });
    // The --json line escapes it like any JSON string: no raw escape reaches the terminal.
    expect(l.cli.stdout()).not.toContain('\u001b');
  });
});

describe('framing: lengths, chunks, protocol', () => {
  it('bad chunk sizes: 400 with the id, recorded as unchecked (body-incomplete)', async () => {
    for (const [path, size] of [['/chunk-not-hex', 'zz'], ['/chunk-overflow', 'f'.repeat(20)], ['/chunk-negative', '-1']] as const) {
      const answer = await send(head(path, ['Transfer-Encoding: chunked', `X-Coreone-Webhook-Type: ${TYPE}`]) + `${size}\r\n{}\r\n0\r\n\r\n`);
      reached++;
      expect(statusOf(answer), path).toBe(400);
      const event = await eventAt(path);
      expect(event.signature.status).toBe('unchecked');
      expect(event.signature.diagnosis[0]?.code).toBe('body-incomplete');
      expect(answer).toMatch(/chunk size of the chunked body is not valid/);
    }
  });

  it('Content-Length and Transfer-Encoding both, or a Content-Length that is not a number: 400, recorded', async () => {
    const cases = [
      ['/cl-and-te', ['Content-Length: 2', 'Transfer-Encoding: chunked'], '2\r\n{}\r\n0\r\n\r\n'],
      ['/cl-letters', ['Content-Length: abc'], '{}'],
      ['/cl-negative', ['Content-Length: -5'], '{}'],
    ] as const;
    for (const [path, headers, body] of cases) {
      const answer = await send(head(path, [...headers, `X-Coreone-Webhook-Type: ${TYPE}`]) + body);
      reached++;
      expect(statusOf(answer), path).toBe(400);
      expect((await eventAt(path)).rejected).toMatch(/^The HTTP parser refused the request because .+\.$/);
    }
  });

  it('Content-Length larger than the body sent: the request stalls, then 408 and recorded with what arrived', async () => {
    const started = Date.now();
    const answer = await send(head('/cl-short', ['Content-Length: 10', `X-Coreone-Webhook-Type: ${TYPE}`, `X-Coreone-Webhook-Hash: ${sign('{}', SECRET)}`]) + '{}');
    reached++;
    expect(statusOf(answer)).toBe(408);
    expect(Date.now() - started).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 50);
    const event = await eventAt('/cl-short');
    expect(event).toMatchObject({ size: 2, body: '{}', responseStatus: 408, signature: { status: 'unchecked', diagnosis: [{ code: 'body-incomplete' }] } });
    expect(event.signature.diagnosis[0]!.message).toContain('2 of 10 bytes');
  });

  it('more bytes than Content-Length declared: the extra bytes are the next request on the connection', async () => {
    const first = '{"n":1}';
    const second = '{"n":2}';
    // One write: the first body as declared, then bytes past it that form a whole POST.
    const bytes = head('/cl-more-1', [`Content-Length: ${first.length}`, ...headerLines(signedHeaders(first))]) + first + head('/cl-more-2', [`Content-Length: ${second.length}`, ...headerLines(signedHeaders(second)), 'Connection: close']) + second;
    const answer = await send(bytes);
    reached += 2;
    expect(answer.match(/HTTP\/1\.1 \d{3}/g)).toEqual(['HTTP/1.1 200', 'HTTP/1.1 200']);
    expect(await eventAt('/cl-more-1')).toMatchObject({ body: first, signature: { status: 'valid' } });
    expect(await eventAt('/cl-more-2')).toMatchObject({ body: second, signature: { status: 'valid' } });
  });

  it('pipelined requests: five POSTs in one write, each recorded and answered in order', async () => {
    let bytes = '';
    for (let i = 0; i < 5; i++) {
      const body = `{"pipelined":${i}}`;
      bytes += head(`/pipelined-${i}`, [`Content-Length: ${body.length}`, ...headerLines(signedHeaders(body)), ...(i === 4 ? ['Connection: close'] : [])]) + body;
    }
    const answer = await send(bytes);
    reached += 5;
    const ids = [...answer.matchAll(/\{"ok":true,"id":"([0-9a-f]+)"\}/g)].map((m) => m[1]);
    expect(ids).toHaveLength(5);
    const events = await Promise.all([0, 1, 2, 3, 4].map((i) => eventAt(`/pipelined-${i}`)));
    expect(events.map((e) => e.id)).toEqual(ids);
    expect(events.map((e) => e.seq)).toEqual([...events.map((e) => e.seq)].sort((a, b) => a - b));
    expect(events.every((e) => e.signature.status === 'valid')).toBe(true);
  });

  it('HTTP/1.0: 200, recorded, and the connection is closed', async () => {
    const body = '{"old":"protocol"}';
    const answer = await send(head('/http10', [`Content-Length: ${body.length}`, ...headerLines(signedHeaders(body))], 'HTTP/1.0') + body);
    reached++;
    expect(statusOf(answer)).toBe(200);
    expect(await eventAt('/http10')).toMatchObject({ body, signature: { status: 'valid' } });
  });

  it('Expect: 100-continue: 100, then 200 once the body is in', async () => {
    const body = '{}';
    const answer = await send(head('/expect', ['Expect: 100-continue', 'Content-Length: 2', ...headerLines(signedHeaders(body)), 'Connection: close']) + body);
    reached++;
    expect(answer.match(/HTTP\/1\.1 \d{3}/g)).toEqual(['HTTP/1.1 100', 'HTTP/1.1 200']);
    await eventAt('/expect');
  });

  it('bare LF line ends, and a NUL in the path: 400 with the id, recorded', async () => {
    const lf = await send(`POST /bare-lf HTTP/1.1\nHost: x\nContent-Length: 2\n\n{}`);
    const nul = await send(`POST /nul\u0000path HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}`);
    reached += 2;
    expect([statusOf(lf), statusOf(nul)]).toEqual([400, 400]);
    expect(replyOf(lf).id).toBe((await eventAt('/bare-lf')).id);
    expect(replyOf(nul).id).toBe((await eventAt('/nul\u0000path')).id);
  });

  it('an absolute-form request target and a path with traversal: 200, recorded as sent', async () => {
    const a = await send(postBytes('http://evil.example/x?y=1', signedHeaders('{}'), '{}'));
    const b = await send(postBytes('/../../etc/passwd', signedHeaders('{}'), '{}'));
    reached += 2;
    expect([statusOf(a), statusOf(b)]).toEqual([200, 200]);
    await eventAt('http://evil.example/x?y=1');
    await eventAt('/../../etc/passwd');
  });
});

describe('size and number of headers', () => {
  it('a header value over 16 KiB: 400 with the id, recorded with what the parser refused', async () => {
    const body = '{}';
    const answer = await send(postBytes('/long-header', { ...signedHeaders(body), 'X-Big': 'a'.repeat(20_000) }, body));
    reached++;
    expect(statusOf(answer)).toBe(400);
    const event = await eventAt('/long-header');
    expect(event).toMatchObject({ type: TYPE, responseStatus: 400 });
    expect(event.rejected).toMatch(/16 KiB/);
    // Checked only when the whole body could be read back; never a wrong verdict.
    expect(['valid', 'unchecked']).toContain(event.signature.status);
    expect(replyOf(answer).id).toBe(event.id);
  });

  it('a path over 16 KiB: 400 with the id, recorded', async () => {
    const path = `/long-path/${'p'.repeat(20_000)}`;
    const answer = await send(postBytes(path, signedHeaders('{}'), '{}'));
    reached++;
    expect(statusOf(answer)).toBe(400);
    const event = await eventAt(path);
    expect(event.rejected).toMatch(/16 KiB/);
  });

  it('200 headers: 200, every header recorded, the verdict valid', async () => {
    const body = '{"many":"headers"}';
    const extra = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`X-Extra-${i}`, `value-${i}`]));
    const answer = await send(postBytes('/many-headers', { ...extra, ...signedHeaders(body) }, body));
    reached++;
    expect(statusOf(answer)).toBe(200);
    const event = await eventAt('/many-headers');
    expect(event.signature.status).toBe('valid');
    for (let i = 0; i < 200; i++) expect(event.headers[`x-extra-${i}`]).toBe(`value-${i}`);
  });
});

describe('senders that stall, drip or vanish', () => {
  it('headers sent, then a stalled body: 408 after --request-timeout, recorded unchecked', async () => {
    const answer = await send(head('/stalled-body', ['Content-Length: 100', `X-Coreone-Webhook-Type: ${TYPE}`]) + '{"partial":');
    reached++;
    expect(statusOf(answer)).toBe(408);
    expect(await eventAt('/stalled-body')).toMatchObject({ size: 11, body: '{"partial":', responseStatus: 408, signature: { status: 'unchecked' } });
  });

  it('a body dripped a byte at a time: cut off by the whole-request deadline, 408, recorded', async () => {
    const socket = connect(l.port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.on('error', () => undefined);
    socket.write(head('/drip', ['Content-Length: 1000', `X-Coreone-Webhook-Type: ${TYPE}`]));
    const timer = setInterval(() => socket.writable && socket.write('x'), 50);
    const started = Date.now();
    await closed;
    clearInterval(timer);
    reached++;
    expect(statusOf(answer)).toBe(408);
    expect(Date.now() - started).toBeLessThan(REQUEST_TIMEOUT_MS * 4);
    const event = await eventAt('/drip');
    expect(event.size).toBeGreaterThan(0);
    expect(event.size).toBeLessThan(1000);
    expect(event.signature.diagnosis[0]?.code).toBe('body-incomplete');
  });

  it('a sender that hangs up mid-body: recorded with what arrived', async () => {
    const socket = connect(l.port, '127.0.0.1');
    socket.on('error', () => undefined);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(head('/hung-up', ['Content-Length: 100', `X-Coreone-Webhook-Type: ${TYPE}`]) + '{"cut":', () => socket.destroy());
    reached++;
    const event = await eventAt('/hung-up');
    expect(event).toMatchObject({ body: '{"cut":', signature: { status: 'unchecked', diagnosis: [{ code: 'body-incomplete' }] } });
  });

  it('a flood of 500 idle connections: a normal POST still gets 200, and the idle ones are closed by the headers deadline', async () => {
    const sockets: Socket[] = [];
    let closedCount = 0;
    for (let i = 0; i < 500; i++) {
      const socket = connect(l.port, '127.0.0.1');
      socket.on('error', () => undefined);
      socket.on('close', () => closedCount++);
      socket.resume(); // read the server's 408 and its close
      sockets.push(socket);
    }
    await waitFor(() => sockets.every((s) => !s.connecting), { what: 'the 500 connections' });
    const started = Date.now();
    const { status } = await postSigned(l.webhookUrl, '{"through":"the flood"}', SECRET, { path: '/through-flood' });
    reached++;
    expect(status).toBe(200);
    expect(Date.now() - started).toBeLessThan(2000);
    await waitFor(() => closedCount === 500, { timeoutMs: REQUEST_TIMEOUT_MS * 5, what: 'the server to close every idle connection' });
    // Closed by the deadline, not refused at once.
    expect(Date.now() - started).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS / 2);
    expect((await loggedEvents(l.logPath)).filter((e) => e.path === '/through-flood')).toHaveLength(1);
  });
});

describe('not webhooks', () => {
  it.each(['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'])('%s: 405 with a sentence, not recorded', async (method) => {
    const before = (await loggedEvents(l.logPath)).length;
    const response = await fetch(new URL('/not-a-post', l.webhookUrl), { method, ...(method === 'GET' || method === 'OPTIONS' ? {} : { body: '{}' }) });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect(await response.text()).toMatch(/^This is a coreone-inspect webhook listener: .+\.\n$/);
    expect((await loggedEvents(l.logPath)).length).toBe(before);
  });

  it('HEAD: 405 without a body, not recorded', async () => {
    const before = (await loggedEvents(l.logPath)).length;
    const response = await fetch(l.webhookUrl, { method: 'HEAD' });
    expect(response.status).toBe(405);
    expect((await loggedEvents(l.logPath)).length).toBe(before);
  });

  it('random bytes, and a TLS handshake on the plain port: 400 or a closed connection, nothing recorded', async () => {
    const before = (await loggedEvents(l.logPath)).length;
    const clientHello = Buffer.from('16030100a5010000a10303' + '00'.repeat(32) + '000020c02bc02f', 'hex');
    const inputs = [clientHello, ...Array.from({ length: 30 }, (_, i) => randomBytes(1 + ((i * 997) % 3000)))];
    for (const bytes of inputs) {
      if (bytes.subarray(0, 5).toString('latin1') === 'POST ') continue;
      const socket = connect(l.port, '127.0.0.1');
      let answer = '';
      socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
      socket.on('error', () => undefined);
      const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
      socket.end(bytes);
      await closed;
      if (answer !== '') expect([400, 408]).toContain(statusOf(answer));
      expect(answer).not.toMatch(/\bat .+\(/);
    }
    expect((await loggedEvents(l.logPath)).length).toBe(before);
  });
});

describe('afterwards', () => {
  it('has every POST that reached the listener in the log file and on stdout, and wrote nothing to stderr', async () => {
    const logged = await loggedEvents(l.logPath);
    expect(logged).toHaveLength(reached);
    await waitFor(() => l.cli.records().filter((r) => r.kind === 'event').length === reached, { what: `${reached} event records on stdout` });
    expect(new Set(logged.map((e) => e.id)).size).toBe(reached);
    expect(l.cli.stderr()).toBe('');
    expect(l.cli.child.exitCode).toBeNull();
  });
});

function headerLines(headers: Record<string, string>): string[] {
  return Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
}
