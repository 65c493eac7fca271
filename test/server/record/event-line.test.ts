// The event line is built from the body's bytes instead of by JSON.stringify: it must be
// byte for byte what JSON.stringify makes of the whole record, for any body at all.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encodeEventLine } from '../../../server/record/event-line.js';
import { summarizeRequest, withBody, type ReceivedRequest } from '../../../server/record/summarize.js';
import { computeSignature } from '../../../server/signature/verify.js';

const SECRET = 'line-secret';

function request(body: Buffer, extra: Partial<ReceivedRequest> = {}): ReceivedRequest {
  return {
    method: 'POST',
    path: '/hooks?x="1"',
    remoteAddress: '127.0.0.1',
    headers: {
      'x-coreone-webhook-type': 'accession/status_change',
      'x-coreone-webhook-hash': computeSignature(body, SECRET),
      'x-note': 'caf\u00c3\u00a9 "quoted" \\ back', // UTF-8 bytes as Node hands them over (latin1)
    },
    body,
    size: body.length,
    truncated: false,
    responseStatus: 200,
    ...extra,
  };
}

/** What the line must equal: the record made whole, through JSON.stringify. */
function expected(req: ReceivedRequest): { line: string; bytes: Buffer } {
  const ids = { id: '0123456789abcdef', seq: 7, receivedAt: Date.parse('2026-11-28T12:00:00.000Z') };
  const summary = summarizeRequest(req, ids, SECRET);
  const line = `${JSON.stringify({ kind: 'event', event: withBody(summary, req.body) })}\n`;
  return { line, bytes: encodeEventLine(summary, req.body) };
}

function expectSame(req: ReceivedRequest): void {
  const { line, bytes } = expected(req);
  expect(bytes.toString('utf8')).toBe(line);
  expect(bytes.equals(Buffer.from(line, 'utf8'))).toBe(true);
}

describe('encodeEventLine', () => {
  it.each([
    ['a JSON object', '{"id":1,"name":"Bella \\"the\\" dog","path":"C:\\\\x"}'],
    ['pretty JSON with newlines, tabs and carriage returns', '{\r\n\t"a": [1, 2],\n\t"b": "x"\n}\n'],
    ['every C0 control character', Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join('')],
    ['DEL, which JSON does not escape', 'a\u007fb'],
    ['multi-byte UTF-8 and emoji', '{"owner":"Zoë Ødegård","note":"🐶 ✓ 中文"}'],
    ['U+2028 and U+2029, which JSON.stringify leaves as they are', '{"s":"\u2028\u2029"}'],
    ['an empty body', ''],
  ])('equals JSON.stringify for %s', (_, text) => {
    expectSame(request(Buffer.from(text, 'utf8')));
  });

  it('equals JSON.stringify for a body that is not UTF-8 (recorded as base64)', () => {
    expectSame(request(Buffer.from([0xff, 0xfe, 0x22, 0x00, 0xc3])));
  });

  it('equals JSON.stringify for a body over --max-body (not kept), with the rejected field', () => {
    expectSame(request(Buffer.alloc(0), { size: 9_000_000, truncated: true, responseStatus: 413 }));
    expectSame(request(Buffer.from('{"a"'), { rejected: 'The HTTP parser refused the request because "x".', responseStatus: 400 }));
  });

  it('equals JSON.stringify for a body too large for its work buffer (counted exactly)', () => {
    const big = Buffer.from(`{"rows":[${'{"v":"a\\"b\\nc","t":"\t"},'.repeat(60_000)}0]}`, 'utf8');
    expect(big.length * 6).toBeGreaterThan(4 * 1024 * 1024);
    expectSame(request(big));
  });

  it('equals JSON.stringify for any bytes at all', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expectSame(request(Buffer.from(bytes)));
      }),
      { numRuns: 2000 },
    );
  });

  it('equals JSON.stringify for any text at all', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        expectSame(request(Buffer.from(text, 'utf8')));
      }),
      { numRuns: 2000 },
    );
  });

  it('equals JSON.stringify for a body past the first size of the work buffer (which grows to hold it)', () => {
    expectSame(request(Buffer.from(JSON.stringify({ rows: 'r"\\n'.repeat(5_000) }), 'utf8')));
  });

  it('returns a line of its own each time (the work buffer is not shared with the caller)', () => {
    const first = expected(request(Buffer.from('{"n":1}'))).bytes;
    const copy = Buffer.from(first);
    expected(request(Buffer.from('{"n":22222}')));
    expect(first.equals(copy)).toBe(true);
  });
});
