// Bad input at the HTTP layer, sent to the RUNNING BUILT CLI (`coreone-inspect --json`), (senders, headers and requests that are not webhooks)
// the way anyone who learns the tunnel URL could send it. For every kind: the answer the
// README's table documents, the POST in the log file (nothing lost), the process still
// answering a normal signed POST with 200 (afterEach), and no stack trace anywhere.
import { describe, expect, it } from 'vitest';
import { connect, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { loggedEvents, postSigned } from '../helpers/hardening-listener.js';
import { describeAfterwards, head, REQUEST_TIMEOUT_MS, replyOf, SECRET, signedHeaders, TYPE, useHardenedListener } from '../helpers/hardening-http.js';
import { postBytes, statusOf } from '../helpers/raw-http.js';
import { waitFor } from '../helpers/wait.js';

const s = useHardenedListener();

describe('size and number of headers', () => {
  it('a header value over 16 KiB: 400 with the id, recorded with what the parser refused', async () => {
    const body = '{}';
    const answer = await s.send(postBytes('/long-header', { ...signedHeaders(body), 'X-Big': 'a'.repeat(20_000) }, body));
    s.reached++;
    expect(statusOf(answer)).toBe(400);
    const event = await s.eventAt('/long-header');
    expect(event).toMatchObject({ type: TYPE, responseStatus: 400 });
    expect(event.rejected).toMatch(/16 KiB/);
    // Checked only when the whole body could be read back; never a wrong verdict.
    expect(['valid', 'unchecked']).toContain(event.signature.status);
    expect(replyOf(answer).id).toBe(event.id);
  });

  it('a path over 16 KiB: 400 with the id, recorded', async () => {
    const path = `/long-path/${'p'.repeat(20_000)}`;
    const answer = await s.send(postBytes(path, signedHeaders('{}'), '{}'));
    s.reached++;
    expect(statusOf(answer)).toBe(400);
    const event = await s.eventAt(path);
    expect(event.rejected).toMatch(/16 KiB/);
  });

  it('200 headers: 200, every header recorded, the verdict valid', async () => {
    const body = '{"many":"headers"}';
    const extra = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`X-Extra-${i}`, `value-${i}`]));
    const answer = await s.send(postBytes('/many-headers', { ...extra, ...signedHeaders(body) }, body));
    s.reached++;
    expect(statusOf(answer)).toBe(200);
    const event = await s.eventAt('/many-headers');
    expect(event.signature.status).toBe('valid');
    for (let i = 0; i < 200; i++) expect(event.headers[`x-extra-${i}`]).toBe(`value-${i}`);
  });
});

describe('senders that stall, drip or vanish', () => {
  it('headers sent, then a stalled body: 408 after --request-timeout, recorded unchecked', async () => {
    const answer = await s.send(head('/stalled-body', ['Content-Length: 100', `X-Coreone-Webhook-Type: ${TYPE}`]) + '{"partial":');
    s.reached++;
    expect(statusOf(answer)).toBe(408);
    expect(await s.eventAt('/stalled-body')).toMatchObject({ size: 11, body: '{"partial":', responseStatus: 408, signature: { status: 'unchecked' } });
  });

  it('a body dripped a byte at a time: cut off by the whole-request deadline, 408, recorded', async () => {
    const socket = connect(s.l.port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.on('error', () => undefined);
    socket.write(head('/drip', ['Content-Length: 1000', `X-Coreone-Webhook-Type: ${TYPE}`]));
    const timer = setInterval(() => socket.writable && socket.write('x'), 50);
    const started = Date.now();
    await closed;
    clearInterval(timer);
    s.reached++;
    expect(statusOf(answer)).toBe(408);
    expect(Date.now() - started).toBeLessThan(REQUEST_TIMEOUT_MS * 4);
    const event = await s.eventAt('/drip');
    expect(event.size).toBeGreaterThan(0);
    expect(event.size).toBeLessThan(1000);
    expect(event.signature.diagnosis[0]?.code).toBe('body-incomplete');
  });

  it('a sender that hangs up mid-body: recorded with what arrived', async () => {
    const socket = connect(s.l.port, '127.0.0.1');
    socket.on('error', () => undefined);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(head('/hung-up', ['Content-Length: 100', `X-Coreone-Webhook-Type: ${TYPE}`]) + '{"cut":', () => socket.destroy());
    s.reached++;
    const event = await s.eventAt('/hung-up');
    expect(event).toMatchObject({ body: '{"cut":', signature: { status: 'unchecked', diagnosis: [{ code: 'body-incomplete' }] } });
  });

  it('a flood of 500 idle connections: a normal POST still gets 200, and the idle ones are closed by the headers deadline', async () => {
    const sockets: Socket[] = [];
    let closedCount = 0;
    for (let i = 0; i < 500; i++) {
      const socket = connect(s.l.port, '127.0.0.1');
      socket.on('error', () => undefined);
      socket.on('close', () => closedCount++);
      socket.resume(); // read the server's 408 and its close
      sockets.push(socket);
    }
    await waitFor(() => sockets.every((s) => !s.connecting), { what: 'the 500 connections' });
    const started = Date.now();
    const { status } = await postSigned(s.l.webhookUrl, '{"through":"the flood"}', SECRET, { path: '/through-flood' });
    s.reached++;
    expect(status).toBe(200);
    expect(Date.now() - started).toBeLessThan(2000);
    await waitFor(() => closedCount === 500, { timeoutMs: REQUEST_TIMEOUT_MS * 5, what: 'the server to close every idle connection' });
    // Closed by the deadline, not refused at once.
    expect(Date.now() - started).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS / 2);
    expect((await loggedEvents(s.l.logPath)).filter((e) => e.path === '/through-flood')).toHaveLength(1);
  });
});

describe('not webhooks', () => {
  it.each(['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'])('%s: 405 with a sentence, not recorded', async (method) => {
    const before = (await loggedEvents(s.l.logPath)).length;
    const response = await fetch(new URL('/not-a-post', s.l.webhookUrl), { method, ...(method === 'GET' || method === 'OPTIONS' ? {} : { body: '{}' }) });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect(await response.text()).toMatch(/^This is a coreone-inspect webhook listener: .+\.\n$/);
    expect((await loggedEvents(s.l.logPath)).length).toBe(before);
  });

  it('HEAD: 405 without a body, not recorded', async () => {
    const before = (await loggedEvents(s.l.logPath)).length;
    const response = await fetch(s.l.webhookUrl, { method: 'HEAD' });
    expect(response.status).toBe(405);
    expect((await loggedEvents(s.l.logPath)).length).toBe(before);
  });

  it('random bytes, and a TLS handshake on the plain port: 400 or a closed connection, nothing recorded', async () => {
    const before = (await loggedEvents(s.l.logPath)).length;
    const clientHello = Buffer.from('16030100a5010000a10303' + '00'.repeat(32) + '000020c02bc02f', 'hex');
    const inputs = [clientHello, ...Array.from({ length: 30 }, (_, i) => randomBytes(1 + ((i * 997) % 3000)))];
    for (const bytes of inputs) {
      if (bytes.subarray(0, 5).toString('latin1') === 'POST ') continue;
      const socket = connect(s.l.port, '127.0.0.1');
      let answer = '';
      socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
      socket.on('error', () => undefined);
      const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
      socket.end(bytes);
      await closed;
      if (answer !== '') expect([400, 408]).toContain(statusOf(answer));
      expect(answer).not.toMatch(/\bat .+\(/);
    }
    expect((await loggedEvents(s.l.logPath)).length).toBe(before);
  });
});

describeAfterwards(s);
