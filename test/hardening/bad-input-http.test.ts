// Bad input at the HTTP layer, sent to the RUNNING BUILT CLI (`coreone-inspect --json`),
// the way anyone who learns the tunnel URL could send it. For every kind: the answer the
// README's table documents, the POST in the log file (nothing lost), the process still
// answering a normal signed POST with 200 (afterEach), and no stack trace anywhere.
import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { describeAfterwards, head, headerLines, MAX_BODY, REQUEST_TIMEOUT_MS, replyOf, SECRET, signedHeaders, TYPE, useHardenedListener } from '../helpers/hardening-http.js';
import { postBytes, sign, statusOf } from '../helpers/raw-http.js';

const s = useHardenedListener();

describe('bodies', () => {
  it('empty body: 200, recorded with "The body is empty." and its verdict', async () => {
    const answer = await s.send(postBytes('/empty', signedHeaders(''), ''));
    s.reached++;
    expect(statusOf(answer)).toBe(200);
    const event = await s.eventAt('/empty');
    expect(event).toMatchObject({ size: 0, body: '', json: { ok: false, error: 'The body is empty.' }, signature: { status: 'valid' } });
    expect(replyOf(answer)).toEqual({ ok: true, id: event.id });
  });

  it('a body that is not JSON: 200, recorded byte-exact with the parse error', async () => {
    const body = '{"status": Pending,,}';
    const answer = await s.send(postBytes('/not-json', signedHeaders(body), body));
    s.reached++;
    expect(statusOf(answer)).toBe(200);
    const event = await s.eventAt('/not-json');
    expect(event).toMatchObject({ body, bodyEncoding: 'utf8', json: { ok: false }, signature: { status: 'valid' } });
  });

  it('a body that is not valid UTF-8: 200, kept as base64, hash checked over the raw bytes', async () => {
    const bytes = Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0xff, 0xfe, 0x80, 0x22, 0x7d]);
    const answer = await s.send(postBytes('/not-utf8', signedHeaders(bytes), bytes));
    s.reached++;
    expect(statusOf(answer)).toBe(200);
    const event = await s.eventAt('/not-utf8');
    expect(event.bodyEncoding).toBe('base64');
    expect(Buffer.from(event.body, 'base64').equals(bytes)).toBe(true);
    expect(event.signature.status).toBe('valid');
  });

  it('a body over --max-body, declared by Content-Length: 413 before the body is read, recorded without it', async () => {
    const body = 'x'.repeat(MAX_BODY + 1);
    const answer = await s.send(postBytes('/over-declared', signedHeaders(body), body));
    s.reached++;
    expect(statusOf(answer)).toBe(413);
    const event = await s.eventAt('/over-declared');
    expect(event).toMatchObject({ size: MAX_BODY + 1, body: '', truncated: true, responseStatus: 413, signature: { status: 'unchecked', expected: null } });
    expect(replyOf(answer)).toMatchObject({ ok: false, id: event.id });
  });

  it('an absurd Content-Length (1e15): 413 at once, recorded with the declared size', async () => {
    const answer = await s.send(head('/absurd-length', ['Content-Length: 1000000000000000', `X-Coreone-Webhook-Type: ${TYPE}`]) + '{}');
    s.reached++;
    expect(statusOf(answer)).toBe(413);
    expect(await s.eventAt('/absurd-length')).toMatchObject({ size: 1e15, truncated: true, body: '' });
  });

  it('a chunked body that grows past --max-body: 413, recorded without the body', async () => {
    const chunk = 'y'.repeat(3000);
    const size = chunk.length.toString(16);
    const answer = await s.send(head('/over-chunked', ['Transfer-Encoding: chunked', `X-Coreone-Webhook-Type: ${TYPE}`]) + `${size}\r\n${chunk}\r\n${size}\r\n${chunk}\r\n0\r\n\r\n`);
    s.reached++;
    expect(statusOf(answer)).toBe(413);
    const event = await s.eventAt('/over-chunked');
    expect(event).toMatchObject({ truncated: true, body: '', signature: { status: 'unchecked' } });
    expect(event.size).toBeGreaterThan(MAX_BODY);
  });

  it('a gzip body (Content-Encoding: gzip): the hash is over the bytes as sent, so gzip bytes verify as sent', async () => {
    const gz = gzipSync(Buffer.from('{"accession":"A26-000777","status":"Received"}'));
    const asSent = await s.send(postBytes('/gzip-as-sent', { ...signedHeaders(gz), 'Content-Encoding': 'gzip' }, gz));
    // A sender that hashed the JSON before compressing it gets no valid verdict.
    const beforeGzip = await s.send(postBytes('/gzip-hash-of-json', { ...signedHeaders('{"accession":"A26-000777","status":"Received"}'), 'Content-Encoding': 'gzip' }, gz));
    s.reached += 2;
    expect([statusOf(asSent), statusOf(beforeGzip)]).toEqual([200, 200]);
    const event = await s.eventAt('/gzip-as-sent');
    expect(event).toMatchObject({ bodyEncoding: 'base64', size: gz.length, signature: { status: 'valid' }, headers: { 'content-encoding': 'gzip' } });
    expect(Buffer.from(event.body, 'base64').equals(gz)).toBe(true);
    expect((await s.eventAt('/gzip-hash-of-json')).signature.status).toBe('invalid');
  });
});

describe('signature and type headers', () => {
  it('no type header: 200, type null, not a known type', async () => {
    const body = '{}';
    const answer = await s.send(postBytes('/no-type', { 'X-Coreone-Webhook-Hash': sign(body, SECRET) }, body));
    s.reached++;
    expect(statusOf(answer)).toBe(200);
    expect(await s.eventAt('/no-type')).toMatchObject({ type: null, knownType: false, signature: { status: 'valid' } });
  });

  it('no hash header: 200, missing, with missing-header', async () => {
    const answer = await s.send(postBytes('/no-hash', { 'X-Coreone-Webhook-Type': TYPE }, '{}'));
    s.reached++;
    expect(statusOf(answer)).toBe(200);
    const event = await s.eventAt('/no-hash');
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
    const answer = await s.send(postBytes(path, { 'X-Coreone-Webhook-Type': TYPE, 'X-Coreone-Webhook-Hash': hash }, '{}'));
    s.reached++;
    expect(statusOf(answer)).toBe(200);
    const event = await s.eventAt(path);
    expect(event.signature).toMatchObject({ status: 'malformed', received: hash });
    expect(event.signature.diagnosis.length).toBeGreaterThan(0);
  });

  it('a well-formed hash made with another secret: 200, invalid, no-match', async () => {
    const body = '{"a":1}';
    const answer = await s.send(postBytes('/wrong-secret', { 'X-Coreone-Webhook-Type': TYPE, 'X-Coreone-Webhook-Hash': sign(body, 'not-the-secret') }, body));
    s.reached++;
    expect(statusOf(answer)).toBe(200);
    expect((await s.eventAt('/wrong-secret')).signature).toMatchObject({ status: 'invalid', diagnosis: [{ code: 'no-match' }] });
  });

  it('duplicate hash headers: joined with ", ", so malformed even when both are right', async () => {
    const body = '{"dup":true}';
    const hash = sign(body, SECRET);
    const answer = await s.send(head('/dup-hash', [`Content-Length: ${body.length}`, `X-Coreone-Webhook-Type: ${TYPE}`, `X-Coreone-Webhook-Hash: ${hash}`, `X-Coreone-Webhook-Hash: ${hash}`, 'Connection: close']) + body);
    s.reached++;
    expect(statusOf(answer)).toBe(200);
    expect((await s.eventAt('/dup-hash')).signature).toMatchObject({ status: 'malformed', received: `${hash}, ${hash}` });
  });

  it('duplicate type headers: joined with ", ", an unknown type', async () => {
    const body = '{}';
    const answer = await s.send(head('/dup-type', [`Content-Length: 2`, `X-Coreone-Webhook-Type: ${TYPE}`, 'X-Coreone-Webhook-Type: client/update', `X-Coreone-Webhook-Hash: ${sign(body, SECRET)}`, 'Connection: close']) + body);
    s.reached++;
    expect(statusOf(answer)).toBe(200);
    expect(await s.eventAt('/dup-type')).toMatchObject({ type: `${TYPE}, client/update`, knownType: false, signature: { status: 'valid' } });
  });

  it('control characters and a terminal escape in header values: 400 with the id, recorded as sent', async () => {
    const body = '{"a":1}';
    const type = 'accession/\u0001status\u001b[2J';
    const answer = await s.send(postBytes('/control-chars', { 'X-Coreone-Webhook-Type': type, 'X-Coreone-Webhook-Hash': sign(body, SECRET) }, body));
    s.reached++;
    expect(statusOf(answer)).toBe(400);
    const event = await s.eventAt('/control-chars');
    expect(event).toMatchObject({ type, body, responseStatus: 400, signature: { status: 'valid' } });
    expect(event.rejected).toMatch(/^The HTTP parser refused the request because .+\.$/);
    expect(replyOf(answer)).toMatchObject({ ok: false, id: event.id });
    // The --json line escapes it like any JSON string: no raw escape reaches the terminal.
    expect(s.l.cli.stdout()).not.toContain('\u001b');
  });
});

describe('framing: lengths, chunks, protocol', () => {
  it('bad chunk sizes: 400 with the id, recorded as unchecked (body-incomplete)', async () => {
    for (const [path, size] of [['/chunk-not-hex', 'zz'], ['/chunk-overflow', 'f'.repeat(20)], ['/chunk-negative', '-1']] as const) {
      const answer = await s.send(head(path, ['Transfer-Encoding: chunked', `X-Coreone-Webhook-Type: ${TYPE}`]) + `${size}\r\n{}\r\n0\r\n\r\n`);
      s.reached++;
      expect(statusOf(answer), path).toBe(400);
      const event = await s.eventAt(path);
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
      const answer = await s.send(head(path, [...headers, `X-Coreone-Webhook-Type: ${TYPE}`]) + body);
      s.reached++;
      expect(statusOf(answer), path).toBe(400);
      expect((await s.eventAt(path)).rejected).toMatch(/^The HTTP parser refused the request because .+\.$/);
    }
  });

  it('Content-Length larger than the body sent: the request stalls, then 408 and recorded with what arrived', async () => {
    const started = Date.now();
    const answer = await s.send(head('/cl-short', ['Content-Length: 10', `X-Coreone-Webhook-Type: ${TYPE}`, `X-Coreone-Webhook-Hash: ${sign('{}', SECRET)}`]) + '{}');
    s.reached++;
    expect(statusOf(answer)).toBe(408);
    expect(Date.now() - started).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 50);
    const event = await s.eventAt('/cl-short');
    expect(event).toMatchObject({ size: 2, body: '{}', responseStatus: 408, signature: { status: 'unchecked', diagnosis: [{ code: 'body-incomplete' }] } });
    expect(event.signature.diagnosis[0]!.message).toContain('2 of 10 bytes');
  });

  it('more bytes than Content-Length declared: the extra bytes are the next request on the connection', async () => {
    const first = '{"n":1}';
    const second = '{"n":2}';
    // One write: the first body as declared, then bytes past it that form a whole POST.
    const bytes = head('/cl-more-1', [`Content-Length: ${first.length}`, ...headerLines(signedHeaders(first))]) + first + head('/cl-more-2', [`Content-Length: ${second.length}`, ...headerLines(signedHeaders(second)), 'Connection: close']) + second;
    const answer = await s.send(bytes);
    s.reached += 2;
    expect(answer.match(/HTTP\/1\.1 \d{3}/g)).toEqual(['HTTP/1.1 200', 'HTTP/1.1 200']);
    expect(await s.eventAt('/cl-more-1')).toMatchObject({ body: first, signature: { status: 'valid' } });
    expect(await s.eventAt('/cl-more-2')).toMatchObject({ body: second, signature: { status: 'valid' } });
  });

  it('pipelined requests: five POSTs in one write, each recorded and answered in order', async () => {
    let bytes = '';
    for (let i = 0; i < 5; i++) {
      const body = `{"pipelined":${i}}`;
      bytes += head(`/pipelined-${i}`, [`Content-Length: ${body.length}`, ...headerLines(signedHeaders(body)), ...(i === 4 ? ['Connection: close'] : [])]) + body;
    }
    const answer = await s.send(bytes);
    s.reached += 5;
    const ids = [...answer.matchAll(/\{"ok":true,"id":"([0-9a-f]+)"\}/g)].map((m) => m[1]);
    expect(ids).toHaveLength(5);
    const events = await Promise.all([0, 1, 2, 3, 4].map((i) => s.eventAt(`/pipelined-${i}`)));
    expect(events.map((e) => e.id)).toEqual(ids);
    expect(events.map((e) => e.seq)).toEqual([...events.map((e) => e.seq)].sort((a, b) => a - b));
    expect(events.every((e) => e.signature.status === 'valid')).toBe(true);
  });

  it('HTTP/1.0: 200, recorded, and the connection is closed', async () => {
    const body = '{"old":"protocol"}';
    const answer = await s.send(head('/http10', [`Content-Length: ${body.length}`, ...headerLines(signedHeaders(body))], 'HTTP/1.0') + body);
    s.reached++;
    expect(statusOf(answer)).toBe(200);
    expect(await s.eventAt('/http10')).toMatchObject({ body, signature: { status: 'valid' } });
  });

  it('Expect: 100-continue: 100, then 200 once the body is in', async () => {
    const body = '{}';
    const answer = await s.send(head('/expect', ['Expect: 100-continue', 'Content-Length: 2', ...headerLines(signedHeaders(body)), 'Connection: close']) + body);
    s.reached++;
    expect(answer.match(/HTTP\/1\.1 \d{3}/g)).toEqual(['HTTP/1.1 100', 'HTTP/1.1 200']);
    await s.eventAt('/expect');
  });

  it('bare LF line ends, and a NUL in the path: 400 with the id, recorded', async () => {
    const lf = await s.send(`POST /bare-lf HTTP/1.1\nHost: x\nContent-Length: 2\n\n{}`);
    const nul = await s.send(`POST /nul\u0000path HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}`);
    s.reached += 2;
    expect([statusOf(lf), statusOf(nul)]).toEqual([400, 400]);
    expect(replyOf(lf).id).toBe((await s.eventAt('/bare-lf')).id);
    expect(replyOf(nul).id).toBe((await s.eventAt('/nul\u0000path')).id);
  });

  it('an absolute-form request target and a path with traversal: 200, recorded as sent', async () => {
    const a = await s.send(postBytes('http://evil.example/x?y=1', signedHeaders('{}'), '{}'));
    const b = await s.send(postBytes('/../../etc/passwd', signedHeaders('{}'), '{}'));
    s.reached += 2;
    expect([statusOf(a), statusOf(b)]).toEqual([200, 200]);
    await s.eventAt('http://evil.example/x?y=1');
    await s.eventAt('/../../etc/passwd');
  });
});

describeAfterwards(s);
