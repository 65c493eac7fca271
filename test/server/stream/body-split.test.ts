// The body is cut out of a log line by byte surgery, without parsing it: for every line the
// listener writes, what is left must be the record without its body, byte for byte, and
// what is cut out the body's JSON string contents, whatever the body and headers hold.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bodyMessage, findBody, splitBody } from '../../../server/stream/body-split.js';
import { encodeEventLine } from '../../../server/record/event-line.js';
import { summarizeRequest, type ReceivedRequest } from '../../../server/record/summarize.js';
import type { EventRecord } from '../../../server/types.js';

/** Text that looks, to a careless search, like the place where the body starts or ends. */
const DECOYS = ['","bodyEncoding":"', ',"body":"', '"body":"', '\\', '"', '\\"', '"}', ','];

interface RequestSpec {
  body: Buffer;
  headers?: Record<string, string>;
  truncated?: boolean;
  rejected?: string;
}

/** A log line exactly as the listener writes it (without its newline), from the real record code. */
function logLine({ body, headers = {}, truncated = false, rejected }: RequestSpec): Buffer {
  const request: ReceivedRequest = {
    method: 'POST',
    path: '/hooks',
    remoteAddress: '127.0.0.1',
    headers: { 'content-type': 'application/json', ...headers },
    body: truncated ? Buffer.alloc(0) : body,
    size: body.length,
    truncated,
    responseStatus: truncated ? 413 : 200,
    ...(rejected === undefined ? {} : { rejected }),
  };
  const summary = summarizeRequest(request, { id: '0123456789abcdef', seq: 42, receivedAt: Date.parse('2026-12-01T10:00:00.000Z') }, 'split-secret');
  const line = encodeEventLine(summary, request.body);
  return line.subarray(0, line.length - 1);
}

/** The split of `line` is the record without its body, and its body. */
function expectSplit(line: Buffer): void {
  const record = JSON.parse(line.toString('utf8')) as EventRecord;
  const split = splitBody(line);
  expect(split).not.toBeNull();
  const { body, ...rest } = record.event;
  // The rest of the record byte for byte: the line was JSON.stringify's, whose text a parse
  // and a stringify give back unchanged.
  expect(split!.row.toString('utf8')).toBe(JSON.stringify({ kind: 'event', event: rest }));
  expect(JSON.parse(`"${split!.body.toString('utf8')}"`)).toBe(body);
  expect(split!.encoding).toBe(record.event.bodyEncoding);
  expect(findBody(line)).toEqual({ body: split!.body, encoding: split!.encoding });
  expect(JSON.parse(bodyMessage(record.event.id, split!.body).toString('utf8'))).toEqual({ kind: 'body', id: record.event.id, body });
}

describe('splitBody', () => {
  it.each<[string, RequestSpec]>([
    ['a JSON body', { body: Buffer.from('{"id":1,"status":"Pending"}') }],
    ['an empty body', { body: Buffer.alloc(0) }],
    ['a body with escaped quotes', { body: Buffer.from('{"note":"Bella \\"the\\" dog"}') }],
    ['a body ending in a backslash', { body: Buffer.from('C:\\path\\') }],
    ['a body ending in an escaped quote', { body: Buffer.from('say "') }],
    ['a body holding the end and start markers as text', { body: Buffer.from(`x${DECOYS.join('y')}z","bodyEncoding":"utf8`) }],
    ['a body of control characters and multi-byte text', { body: Buffer.from('\u0000\n\t\u001f é 🐶 \u2028') }],
    ['a body that is not UTF-8 (base64)', { body: Buffer.from([0xff, 0xfe, 0x22, 0x2c, 0x22, 0x00]) }],
    ['a body over --max-body (not kept)', { body: Buffer.from('{"big":true}'), truncated: true }],
    ['header values holding the markers', { body: Buffer.from('{}'), headers: { 'x-a': '","bodyEncoding":"', 'x-b': ',"body":"', 'x-c': 'a\\' } }],
    ['a header named body', { body: Buffer.from('{"a":1}'), headers: { body: 'not the body', zzz: 'after it' } }],
    ['headers named body and bodyEncoding holding the markers', { body: Buffer.from('[1]'), headers: { bodyEncoding: '","bodyEncoding":"', body: ',"body":"x' } }],
    // The tail's JSON error quotes the body: the markers in a string after the body.
    ['invalid JSON whose error message quotes the markers', { body: Buffer.from('{"a":1}x","bodyEncoding":"utf8",,"body":"') }],
    ['a rejected request whose reason holds the markers', { body: Buffer.from('{"a"'), rejected: 'Refused ,"body":"x","bodyEncoding":"y' }],
  ])('cuts out %s', (_, spec) => {
    expectSplit(logLine(spec));
  });

  it('cuts out the body of any request the listener can record, whatever its bytes and headers', () => {
    const tricky = fc.array(fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), fc.constantFrom(...DECOYS)), { maxLength: 8 }).map((parts) => parts.join(''));
    const headerName = fc.oneof(fc.constantFrom('body', 'bodyEncoding', 'x-coreone-webhook-type', 'x-coreone-webhook-hash'), fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/));
    const spec: fc.Arbitrary<RequestSpec> = fc.record({
      body: fc.oneof(
        tricky.map((text) => Buffer.from(text, 'utf8')),
        fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
      ),
      headers: fc.dictionary(headerName, tricky, { maxKeys: 5 }),
      truncated: fc.boolean(),
      rejected: fc.option(tricky, { nil: undefined }),
    });
    fc.assert(
      fc.property(spec, (s) => expectSplit(logLine(s))),
      { numRuns: 1500 },
    );
  });

  it.each([
    ['a record of another kind', '{"kind":"tunnel","status":"up","body":"x","bodyEncoding":"utf8"}'],
    ['an event without a body', '{"kind":"event","event":{"id":"e1","seq":1,"pad":""}}'],
    ['an event whose body comes after bodyEncoding', '{"kind":"event","event":{"id":"e1","bodyEncoding":"utf8","body":"x"}}'],
    ['an event with no body key before bodyEncoding', '{"kind":"event","event":{"bodyEncoding":"utf8"}}'],
    ['nothing', ''],
  ])('leaves %s whole (null)', (_, text) => {
    expect(splitBody(Buffer.from(text))).toBeNull();
    expect(findBody(Buffer.from(text))).toBeNull();
  });
});
