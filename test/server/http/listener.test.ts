// The listener through the whole inspector, with real HTTP on port 0: every answer
// documented in SPEC.md, every POST recorded, and the process still serving afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Inspector } from '../../../server/inspector.js';
import { startInspector } from '../../helpers/inspector.js';
import type { WebhookEvent } from '../../../server/types.js';
import { postBytes, rawRequest, sign, statusOf } from '../../helpers/raw-http.js';
import { waitFor } from '../../helpers/wait.js';

const SECRET = 'listener-test-secret';
const TYPE = 'accession/status_change';
let dir: string;
let inspector: Inspector;
let base: string;
const events: WebhookEvent[] = [];
let postsSent = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'coreone-listener-'));
  inspector = await startInspector(dir, { secret: SECRET, maxBody: 1024, requestTimeoutMs: 1500, headersTimeoutMs: 1000 }, (event) => {
    if (event.kind === 'event') events.push(event.record.event);
  });
  base = inspector.ready.webhookUrl;
});

afterAll(async () => {
  await inspector.close();
  await rm(dir, { recursive: true, force: true });
});

async function post(body: string | Uint8Array, headers: Record<string, string>, path = '/'): Promise<{ status: number; reply: Record<string, unknown>; event: WebhookEvent }> {
  postsSent++;
  const response = await fetch(new URL(path, base), { method: 'POST', body, headers });
  const reply = (await response.json()) as Record<string, unknown>;
  const event = await waitFor(() => events.find((e) => e.id === reply.id), { what: `event ${String(reply.id)}` });
  return { status: response.status, reply, event };
}

const signed = (body: string | Buffer): Record<string, string> => ({
  'X-Coreone-Webhook-Type': TYPE,
  'X-Coreone-Webhook-Hash': sign(body, SECRET),
  'Content-Type': 'application/json',
});

describe('listener', () => {
  it('accepts a signed POST on any path with 200 {"ok":true,"id"} after it is logged', async () => {
    const body = '{"accession":"A26-000001","status":"Received"}';
    const { status, reply, event } = await post(body, signed(body), '/hooks/coreone?x=1');
    expect(status).toBe(200);
    expect(reply).toEqual({ ok: true, id: event.id });
    expect(event).toMatchObject({
      method: 'POST',
      path: '/hooks/coreone?x=1',
      type: TYPE,
      knownType: true,
      size: Buffer.byteLength(body),
      body,
      bodyEncoding: 'utf8',
      truncated: false,
      json: { ok: true },
      responseStatus: 200,
      signature: { status: 'valid', received: sign(body, SECRET), expected: sign(body, SECRET), diagnosis: [] },
    });
    expect(event.remoteAddress).toMatch(/127\.0\.0\.1/);
    const log = await readFile(inspector.ready.logPath, 'utf8');
    expect(log).toContain(`"id":"${event.id}"`);
  });

  it('records an empty body with its verdict and a JSON error', async () => {
    const { status, event } = await post('', signed(''));
    expect(status).toBe(200);
    expect(event).toMatchObject({ size: 0, body: '', json: { ok: false, error: 'The body is empty.' }, signature: { status: 'valid' } });
  });

  it('records a body that is not JSON with the parse error', async () => {
    const body = '{"status": Pending}';
    const { event } = await post(body, signed(body));
    expect(event.json.ok).toBe(false);
    expect(event.body).toBe(body);
    expect(event.signature.status).toBe('valid');
  });

  it('keeps a body that is not valid UTF-8 as base64, and verifies the raw bytes', async () => {
    const bytes = Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
    const { event } = await post(bytes, signed(bytes));
    expect(event.bodyEncoding).toBe('base64');
    expect(Buffer.from(event.body, 'base64').equals(bytes)).toBe(true);
    expect(event.signature.status).toBe('valid');
    expect(event.json).toEqual({ ok: false, error: 'The body is not valid UTF-8 text (kept as base64).' });
  });

  it('answers 413 to a body over --max-body (declared length) and records it without the body', async () => {
    const body = 'x'.repeat(2000);
    const { status, reply, event } = await post(body, signed(body));
    expect(status).toBe(413);
    expect(reply).toMatchObject({ ok: false, id: event.id });
    expect(event).toMatchObject({ size: 2000, body: '', truncated: true, responseStatus: 413, signature: { status: 'unchecked', expected: null } });
    expect(event.json.ok).toBe(false);
  });

  it('answers 413 to a chunked body that grows past --max-body', async () => {
    postsSent++;
    const chunk = 'y'.repeat(600);
    const raw =
      `POST /chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nX-Coreone-Webhook-Type: ${TYPE}\r\nConnection: close\r\n\r\n` +
      `258\r\n${chunk}\r\n258\r\n${chunk}\r\n0\r\n\r\n`;
    const answer = await rawRequest(inspector.port, raw);
    expect(statusOf(answer)).toBe(413);
    const event = await waitFor(() => events.find((e) => e.path === '/chunked'));
    expect(event).toMatchObject({ truncated: true, body: '' });
    expect(event.size).toBeGreaterThan(1024);
  });

  it('answers 405 to GET with a sentence, and does not record it', async () => {
    const before = events.length;
    const response = await fetch(base);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect(await response.text()).toMatch(/webhook listener/);
    expect(events.length).toBe(before);
  });

  it('answers the tunnel probe with its nonce and does not record it', async () => {
    const before = events.length;
    const response = await fetch(base, { headers: { 'X-Coreone-Inspect-Probe': 'nonce-123' } });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('nonce-123');
    expect(events.length).toBe(before);
  });

  it('records a POST without a type header', async () => {
    const body = '{}';
    const { event } = await post(body, { 'X-Coreone-Webhook-Hash': sign(body, SECRET) });
    expect(event).toMatchObject({ type: null, knownType: false, signature: { status: 'valid' } });
  });

  it('marks an unknown type', async () => {
    const body = '{}';
    const { event } = await post(body, { ...signed(body), 'X-Coreone-Webhook-Type': 'accession/teleport' });
    expect(event).toMatchObject({ type: 'accession/teleport', knownType: false });
  });

  it('says missing for a POST without the hash header', async () => {
    const { event } = await post('{}', { 'X-Coreone-Webhook-Type': TYPE });
    expect(event.signature.status).toBe('missing');
    expect(event.signature.diagnosis.map((d) => d.code)).toEqual(['missing-header']);
  });

  it.each([
    ['non-hex', 'zz'.repeat(32)],
    ['odd-length', 'a'.repeat(63)],
  ])('says malformed for a %s hash', async (_name, hash) => {
    const { status, event } = await post('{}', { 'X-Coreone-Webhook-Type': TYPE, 'X-Coreone-Webhook-Hash': hash });
    expect(status).toBe(200);
    expect(event.signature).toMatchObject({ status: 'malformed', received: hash });
    expect(event.signature.diagnosis.length).toBeGreaterThan(0);
  });

  it('says invalid, with a diagnosis, for a wrong well-formed hash', async () => {
    const body = '{"a":1}';
    const { event } = await post(body, { 'X-Coreone-Webhook-Type': TYPE, 'X-Coreone-Webhook-Hash': sign(body, 'other') });
    expect(event.signature.status).toBe('invalid');
    expect(event.signature.diagnosis.map((d) => d.code)).toEqual(['no-match']);
  });

  it('answers 400 to header values with control characters, and still records the POST', async () => {
    postsSent++;
    const body = '{"a":1}';
    const raw = postBytes('/ctl', { 'X-Coreone-Webhook-Type': 'accession/\u0001status', 'X-Coreone-Webhook-Hash': sign(body, SECRET) }, body);
    const answer = await rawRequest(inspector.port, raw);
    expect(statusOf(answer)).toBe(400);
    const event = await waitFor(() => events.find((e) => e.path === '/ctl'));
    expect(event.type).toBe('accession/\u0001status');
    expect(event).toMatchObject({ body, json: { ok: true }, responseStatus: 400, signature: { status: 'valid' } });
    expect(event.rejected).toBe('The HTTP parser refused the request because a header has characters HTTP does not allow.');
    expect(answer).toContain(`"id":"${event.id}"`);
  });

  it('records a refused POST whose body is cut off as unchecked', async () => {
    postsSent++;
    const raw = `POST /badchunk HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nX-Coreone-Webhook-Type: ${TYPE}\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`;
    const answer = await rawRequest(inspector.port, raw);
    expect(statusOf(answer)).toBe(400);
    const event = await waitFor(() => events.find((e) => e.path === '/badchunk'));
    expect(event.signature.status).toBe('unchecked');
    expect(event.signature.diagnosis[0]?.code).toBe('body-incomplete');
  });

  it('drops a client that sends headers and stalls, records what arrived, and keeps serving', async () => {
    postsSent++;
    const head = `POST /stalled HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\nX-Coreone-Webhook-Type: ${TYPE}\r\n\r\n{"partial":`;
    const answer = await rawRequest(inspector.port, head); // resolves when the server closes it
    expect(statusOf(answer)).toBe(408);
    const event = await waitFor(() => events.find((e) => e.path === '/stalled'));
    expect(event).toMatchObject({ size: 11, body: '{"partial":', signature: { status: 'unchecked' } });
    expect(event.signature.diagnosis[0]?.code).toBe('body-incomplete');
    const { status } = await post('{}', signed('{}'));
    expect(status).toBe(200);
  });

  it('answers pipelined POSTs in order, and one whose body then stalls with its own 408 and id', async () => {
    postsSent += 3;
    const whole = (path: string): string => {
      const body = `{"path":"${path}"}`;
      return `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\nX-Coreone-Webhook-Type: ${TYPE}\r\nX-Coreone-Webhook-Hash: ${sign(body, SECRET)}\r\n\r\n${body}`;
    };
    // Three requests in one write: Node hands the later ones to the listener before the
    // first is answered, so answering one must not reset the state of the next.
    const stalled = `POST /piped-stalled HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\nX-Coreone-Webhook-Type: ${TYPE}\r\n\r\n{"partial":`;
    const answer = await rawRequest(inspector.port, whole('/piped-1') + whole('/piped-2') + stalled);
    // The answers follow one another on the connection, each body straight after a head.
    const statuses = [...answer.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((match) => Number(match[1]));
    expect(statuses).toEqual([200, 200, 408]);
    const ids = [...answer.matchAll(/"id":"([0-9a-f]+)"/g)].map((match) => match[1]);
    const recorded = await waitFor(() => {
      const found = ['/piped-1', '/piped-2', '/piped-stalled'].map((path) => events.find((e) => e.path === path));
      return found.every(Boolean) ? (found as WebhookEvent[]) : undefined;
    });
    expect(recorded.map((event) => event.id)).toEqual(ids);
    expect(recorded.map((event) => event.signature.status)).toEqual(['valid', 'valid', 'unchecked']);
    expect(recorded[2]).toMatchObject({ size: 11, responseStatus: 408 });
  });

  it('has recorded every POST it was sent, in the durable log', async () => {
    const lines = (await readFile(inspector.ready.logPath, 'utf8')).trim().split('\n');
    const logged = lines.map((line) => JSON.parse(line) as { kind: string }).filter((r) => r.kind === 'event');
    expect(logged).toHaveLength(postsSent);
    expect(events).toHaveLength(postsSent);
  });
});
