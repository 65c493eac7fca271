// One event's NDJSON line as bytes: exactly `JSON.stringify({ kind: 'event', event })` and a
// newline, the same bytes for the log, the `--json` printer and the inspector stream.
//
// Why not JSON.stringify: the body is most of the line, and the plain route decodes it to a
// string, escapes it (V8's string serializer goes character by character through a 2 KB
// JSON body full of quotes) and encodes the line back to UTF-8, three passes and two
// throw-away strings per request. Here the body's bytes are escaped once, straight into
// the line. Equal to JSON.stringify because the body is either valid UTF-8, whose JSON
// escaping works byte by byte (quote, backslash and C0 controls; every other byte, multi-
// byte sequences included, is copied, and valid UTF-8 has no lone surrogates to escape),
// or base64 text, which needs no escaping. test/event-line.test.ts holds the two together.
import type { EventSummary } from './event-record.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/** Bytes that JSON escapes: 1 marks the C0 controls, the quote and the backslash. */
const ESCAPED = new Uint8Array(256);
for (let byte = 0; byte < 0x20; byte++) ESCAPED[byte] = 1;
ESCAPED[QUOTE] = 1;
ESCAPED[BACKSLASH] = 1;
/** The letter of the short escapes JSON.stringify uses (\b \t \n \f \r); other controls become \u00XX. */
const SHORT = new Uint8Array(0x20);
SHORT[0x08] = 0x62;
SHORT[0x09] = 0x74;
SHORT[0x0a] = 0x6e;
SHORT[0x0c] = 0x66;
SHORT[0x0d] = 0x72;
const HEX = Buffer.from('0123456789abcdef', 'latin1');

/** At most this much is kept as a reusable work buffer between lines. */
const MAX_SCRATCH = 4 * 1024 * 1024;
let scratch = Buffer.allocUnsafe(64 * 1024);

/** The line (newline included) of the event `summary` describes, with `body` as its body. */
export function encodeEventLine({ head, tail }: EventSummary, body: Buffer): Buffer {
  // The fields before the body (an object's JSON without its closing brace), then those
  // after it (without the opening one): the key order of the whole Event.
  const before = `{"kind":"event","event":${JSON.stringify(head).slice(0, -1)},"body":"`;
  const after = `",${JSON.stringify(tail).slice(1)}}\n`;

  const { truncated } = tail;
  const text = !truncated && tail.bodyEncoding === 'base64' ? body.toString('base64') : null;
  const bodyBound = truncated ? 0 : text !== null ? text.length : escapedBound(body);
  const bound = Buffer.byteLength(before) + bodyBound + Buffer.byteLength(after);
  if (bound > scratch.length && bound <= MAX_SCRATCH) scratch = Buffer.allocUnsafe(bound);
  const work = bound <= scratch.length ? scratch : Buffer.allocUnsafe(bound);

  let end = work.write(before, 0);
  if (text !== null) end += work.write(text, end, 'latin1');
  else if (!truncated) end = escapeInto(body, work, end);
  end += work.write(after, end);
  // The shared work buffer is copied out; a one-off one (a huge body) is the line itself.
  if (work !== scratch) return work.subarray(0, end);
  const line = Buffer.allocUnsafe(end);
  work.copy(line, 0, 0, end);
  return line;
}

/**
 * Room enough for the escaped body: six bytes a byte (\u00XX) would do for any body, but a
 * large one is counted exactly rather than reserving six times its size.
 */
function escapedBound(body: Buffer): number {
  if (body.length * 6 <= MAX_SCRATCH) return body.length * 6;
  let extra = 0;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i]!;
    if (ESCAPED[byte] === 1) extra += byte === QUOTE || byte === BACKSLASH || SHORT[byte] !== 0 ? 1 : 5;
  }
  return body.length + extra;
}

/** Writes the JSON string escaping of valid UTF-8 `body` at `at`; returns where it ended. */
function escapeInto(body: Buffer, out: Buffer, at: number): number {
  let end = at;
  const length = body.length;
  for (let i = 0; i < length; i++) {
    const byte = body[i]!;
    if (ESCAPED[byte] === 0) {
      out[end++] = byte;
      continue;
    }
    out[end++] = BACKSLASH;
    if (byte === QUOTE || byte === BACKSLASH) {
      out[end++] = byte;
      continue;
    }
    const short = SHORT[byte]!;
    if (short !== 0) {
      out[end++] = short;
      continue;
    }
    out[end++] = 0x75; // u
    out[end++] = 0x30;
    out[end++] = 0x30;
    out[end++] = HEX[byte >> 4]!;
    out[end++] = HEX[byte & 15]!;
  }
  return end;
}
