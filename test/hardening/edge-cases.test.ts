// Bad input the first hardening pass found mishandled, kept as regressions: stalled heads,
// bytes past a body, bad chunks, late and non-ASCII headers, start-up failures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli-process.js';
import { loggedEvents, startListening, type Listening } from '../helpers/hardening-listener.js';
import { rawRequest, sign, statusOf } from '../helpers/raw-http.js';
import { waitFor } from '../helpers/wait.js';

const SECRET = 'edge-case-secret';

describe('HTTP edge cases against the running CLI', () => {
  let l: Listening;
  beforeAll(async () => {
    l = await startListening(['--secret', SECRET, '--max-body', '4096', '--request-timeout', '1000']);
  });
  afterAll(async () => {
    await l.dispose();
  });
  const eventAt = (path: string) =>
    waitFor(async () => (await loggedEvents(l.logPath)).find((e) => e.path === path), { timeoutMs: 5000, what: path });

  it('records a POST whose headers stall, answered 408, with what arrived', async () => {
    const answer = await rawRequest(l.port, 'POST /stall-headers HTTP/1.1\r\nHost: x\r\nX-Coreone-Webhook-Type: accession/receive\r\n');
    expect(statusOf(answer)).toBe(408);
    const event = await eventAt('/stall-headers');
    expect(event).toMatchObject({ type: 'accession/receive', responseStatus: 408, signature: { status: 'unchecked' } });
    expect(answer).toContain(`"id":"${event.id}"`);
  });

  it('records a head that stalls after arriving in pieces, on a connection that already had a POST answered', async () => {
    const body = '{"n":1}';
    const first = `POST /before-stall HTTP/1.1\r\nHost: x\r\nContent-Length: 7\r\nX-Coreone-Webhook-Hash: ${sign(body, SECRET)}\r\n\r\n${body}`;
    const pieces = ['POST /stall-in-pieces HTTP/1.1\r\n', 'Host: x\r\nX-Coreone-Webhook-Type: accession/receive\r\n', 'X-Coreone-Webhook-Hash: abc\r\n'];
    const socket = connect(l.port, '127.0.0.1');
    socket.setNoDelay(true);
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.write(first);
    // The second request starts only once the first is answered: its head is the next one.
    await waitFor(() => answer.includes('"ok":true'), { timeoutMs: 5000, what: 'the first answer' });
    for (const piece of pieces) await new Promise<void>((resolve) => socket.write(piece, () => setImmediate(resolve)));
    await closed;
    const event = await eventAt('/stall-in-pieces');
    expect(event).toMatchObject({ type: 'accession/receive', responseStatus: 408, signature: { status: 'unchecked', received: 'abc' } });
    expect(answer).toContain(`"id":"${event.id}"`);
    expect((await eventAt('/before-stall')).signature.status).toBe('valid');
  });

  it('gives a complete POST its 200 even when bytes that are not a request follow it', async () => {
    const body = '{"n":1}';
    const answer = await rawRequest(
      l.port,
      `POST /garbage-after HTTP/1.1\r\nHost: x\r\nContent-Length: 7\r\nX-Coreone-Webhook-Hash: ${sign(body, SECRET)}\r\n\r\n${body}{"n":2}\r\n\r\n`,
    );
    const event = await eventAt('/garbage-after');
    expect(event).toMatchObject({ responseStatus: 200, signature: { status: 'valid' } });
    expect(statusOf(answer)).toBe(200);
    expect(answer).toContain(`"id":"${event.id}"`);
    expect(answer).toMatch(/HTTP\/1\.1 400 Bad Request[\s\S]*bytes after the request were refused/);
  });

  it('answers an HTTP/1.0 POST without Content-Length (an empty body) with the status it records', async () => {
    const answer = await rawRequest(l.port, 'POST /h10-nolen HTTP/1.0\r\nHost: x\r\n\r\n{}');
    const event = await eventAt('/h10-nolen');
    expect(event.size).toBe(0);
    expect(statusOf(answer)).toBe(event.responseStatus);
  });

  it('reads the type and hash headers even after 1,000 other headers', async () => {
    const body = '{}';
    const extra = Array.from({ length: 1000 }, (_, i) => `x${i}:1\r\n`).join('');
    const answer = await rawRequest(
      l.port,
      `POST /many-1000 HTTP/1.1\r\nHost: x\r\n${extra}X-Coreone-Webhook-Type: accession/receive\r\nX-Coreone-Webhook-Hash: ${sign(body, SECRET)}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`,
    );
    expect(statusOf(answer)).toBe(200);
    expect(await eventAt('/many-1000')).toMatchObject({ type: 'accession/receive', signature: { status: 'valid' } });
  });

  it('records a UTF-8 header value as the text sent', async () => {
    const raw = 'POST /utf8-header HTTP/1.1\r\nHost: x\r\nX-Coreone-Webhook-Type: accès/créé\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}';
    const answer = await rawRequest(l.port, Buffer.from(raw, 'utf8'));
    expect(statusOf(answer)).toBe(200);
    expect((await eventAt('/utf8-header')).type).toBe('accès/créé');
  });

  it('answers a bad chunk size 400 with the id, and records why', async () => {
    const answer = await rawRequest(l.port, 'POST /bad-chunk HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n');
    const event = await eventAt('/bad-chunk');
    expect(statusOf(answer)).toBe(400);
    expect(answer).toContain(`"id":"${event.id}"`);
    expect(event.responseStatus).toBe(400);
    expect(event.rejected).toMatch(/chunk size/);
  });
});

describe('start-up failures in one sentence', () => {
  it('a log path under a regular file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'coreone-edge-'));
    await writeFile(join(dir, 'afile'), 'x');
    const log = join(dir, 'afile', 'events.ndjson');
    const result = await runCli(['--no-tunnel', '--port', '0', '--log', log]);
    await rm(dir, { recursive: true, force: true });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`coreone-inspect: Cannot open the event log ${log}: a file stands where a directory should be.\n`);
  });

  it('a --host that does not resolve', async () => {
    const result = await runCli(['--no-tunnel', '--port', '0', '--host', 'no-such-host.invalid', '--log', join(tmpdir(), 'coreone-edge-d.ndjson')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('coreone-inspect: Cannot listen on no-such-host.invalid: no such host name.\n');
  });
});
