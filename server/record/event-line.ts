// One event's NDJSON line as bytes: exactly `JSON.stringify({ kind: 'event', event })` and a
// newline, the same bytes for the log, the `--json` printer and the inspector stream.
//
// Why not JSON.stringify: the body is most of the line, and the plain route decodes it to a
// string, escapes it (V8's string serializer goes character by character through a 2 KB
// JSON body full of quotes) and encodes the line back to UTF-8, three passes and two
// throw-away strings per request. Here the body's bytes are escaped once (server/speed/json-escape.ts)
// into the line. Equal to JSON.stringify because the body is either valid UTF-8, whose JSON
// escaping works byte by byte (quote, backslash and C0 controls; every other byte, multi-
// byte sequences included, is copied, and valid UTF-8 has no lone surrogates to escape),
// or base64 text, which needs no escaping. test/server/record/event-line.test.ts holds the
// two together.
import { constants } from 'node:buffer';
import type { EventSummary } from './summarize.js';
import { escapeJsonInto } from '../speed/json-escape.js';

const QUOTE = 0x22;
/** How many bytes each byte's JSON escape adds: 1 for \" \\ \b \t \n \f \r, 5 for the other C0 controls (\u00XX). */
const EXTRA = new Uint8Array(256);
for (let byte = 0; byte < 0x20; byte++) EXTRA[byte] = 5;
for (const byte of [QUOTE, 0x5c, 0x08, 0x09, 0x0a, 0x0c, 0x0d]) EXTRA[byte] = 1;

/** What comes before the head's fields, and the key that follows them. */
const PREFIX = Buffer.from('{"kind":"event","event":');
const BODY_KEY = Buffer.from(',"body":"');
const CLOSE_BRACE = 0x7d;
const COMMA = 0x2c;
const NEWLINE = 0x0a;

/** The longest line: a Buffer's largest size (4 GiB on 64-bit Node 20). */
const MAX_LINE = constants.MAX_LENGTH;
/**
 * Lines are written into a reusable work buffer (room is reserved for the worst escaping,
 * six bytes a byte) and copied out at their size, so a line kept in the history holds no
 * more memory than it needs. At most this much is kept between lines; a larger line is
 * written into a buffer of its own.
 */
const MAX_SCRATCH = 4 * 1024 * 1024;
let scratch = Buffer.allocUnsafe(64 * 1024);

/** The line (newline included) of the event `summary` describes, with `body` as its body. */
export function encodeEventLine({ head, tail }: EventSummary, body: Buffer): Buffer {
  const headJson = JSON.stringify(head);
  const tailJson = JSON.stringify(tail);
  const text = !tail.truncated && tail.bodyEncoding === 'base64' ? body.toString('base64') : null;
  const bodyBound = tail.truncated ? 0 : text !== null ? text.length : escapedBound(body);
  // Three UTF-8 bytes per UTF-16 unit bound a string's size without measuring it.
  const bound = PREFIX.length + headJson.length * 3 + BODY_KEY.length + bodyBound + 1 + tailJson.length * 3 + 2;
  // Only a body of a gigabyte or so, nearly all control characters, comes near.
  if (bound > MAX_LINE) throw new Error(`This event's line would be over ${MAX_LINE} bytes (${bodyBound} bytes of escaped body), the most a line can hold: it cannot be recorded.`);
  const parts: LineParts = { headJson, tailJson, body: tail.truncated ? null : body, text };

  if (bound > scratch.length && bound <= MAX_SCRATCH) scratch = Buffer.allocUnsafe(bound);
  if (bound > scratch.length) {
    const line = Buffer.allocUnsafe(bound);
    return line.subarray(0, writeLine(parts, line, 0));
  }
  const end = writeLine(parts, scratch, 0);
  const line = Buffer.allocUnsafe(end);
  scratch.copy(line, 0, 0, end);
  return line;
}

interface LineParts {
  headJson: string;
  tailJson: string;
  /** null when the body was not kept (over --max-body). */
  body: Buffer | null;
  /** The body as base64 text, when it is not valid UTF-8. */
  text: string | null;
}

/**
 * Writes the line at `at` and returns where it ends. The Event is the head's fields, the
 * body, then the tail's fields: each part's JSON is written whole, and its braces are
 * turned into the joins (the head's closing one into the body's key, the tail's opening
 * one into the comma after the body).
 */
function writeLine({ headJson, tailJson, body, text }: LineParts, out: Buffer, at: number): number {
  let end = at + PREFIX.copy(out, at);
  end += out.write(headJson, end);
  end = end - 1 + BODY_KEY.copy(out, end - 1);
  if (text !== null) end += out.write(text, end, 'latin1');
  else if (body !== null) end = escapeJsonInto(body, out, end);
  out[end++] = QUOTE;
  const tailStart = end;
  end += out.write(tailJson, end);
  out[tailStart] = COMMA;
  out[end++] = CLOSE_BRACE;
  out[end++] = NEWLINE;
  return end;
}

/**
 * Room enough for the escaped body: six bytes a byte (\u00XX) would do for any body, but a
 * large one is counted exactly rather than reserving six times its size.
 */
function escapedBound(body: Buffer): number {
  if (body.length * 6 <= MAX_SCRATCH) return body.length * 6;
  let extra = 0;
  for (let i = 0; i < body.length; i++) extra += EXTRA[body[i]!]!;
  return body.length + extra;
}
