// Takes an event's body out of its log line by byte surgery, for the stream's `bodies=after`
// and `bodies=log` extensions and its questions (questions.ts): the history goes out first
// without its bodies (the bulk of its bytes), and parsing 39 MB of JSON to do that would
// cost the CPU the browser reading it needs.
//
// Why the cut is right for every line event-line.ts writes ({"kind":"event","event":{head
// fields, "body", tail fields from "bodyEncoding"}}): inside a JSON string every `"` is
// escaped as `\"`, so a raw `,"` never occurs inside a string; every `,"` is a separator
// before an object key. The body is followed by its closing quote and the tail's first key,
// `","bodyEncoding":"`, and no field after the body has a key named bodyEncoding (a header of
// that name would be in the head, before it): the body ends at the LAST such sequence. Before
// the body, a key named body can only be a header's, and a header's key follows the closing
// quote of the header before it, whereas the body's key follows the head's last field, `size`,
// a number: the body starts after the first `,"body":"` that follows a digit. Neither search
// reads the body's text, most of the line.

/** How an event record our log writes begins. */
const EVENT_PREFIX = Buffer.from('{"kind":"event","event":{');
const BODY_KEY = Buffer.from(',"body":"');
/** The body's closing quote and the key after it. */
const BODY_END = Buffer.from('","bodyEncoding":"');
const QUOTE = 0x22;

/** An event's body as its line holds it. */
export interface LineBody {
  /** The body string's raw contents between its quotes, escapes untouched. */
  body: Buffer;
  /**
   * The bodyEncoding's value, read from the bytes after the body's closing quote (the key
   * found is the real one): "utf8" or "base64", a string JSON writes without escapes.
   */
  encoding: string;
}

export interface SplitLine extends LineBody {
  /** The record without its `body` key and value, every other byte as it was. */
  row: Buffer;
}

/** The line (without its newline) cut in two, or null when it is not laid out as our log writes events. */
export function splitBody(line: Buffer): SplitLine | null {
  const at = locateBody(line);
  if (!at) return null;
  const { key, end } = at;
  const row = Buffer.allocUnsafe(line.length - (end + 1 - key));
  line.copy(row, 0, 0, key);
  line.copy(row, key, end + 1);
  return { row, ...bodyAt(line, at) };
}

/** The body alone, copying nothing (a view of the line): for those who need no row. */
export function findBody(line: Buffer): LineBody | null {
  const at = locateBody(line);
  return at && bodyAt(line, at);
}

/** Where the body's key starts and its closing quote is, or null. */
function locateBody(line: Buffer): { key: number; end: number } | null {
  if (!line.subarray(0, EVENT_PREFIX.length).equals(EVENT_PREFIX)) return null;
  const end = line.lastIndexOf(BODY_END);
  let key = line.indexOf(BODY_KEY, EVENT_PREFIX.length);
  while (key !== -1 && !isDigit(line[key - 1]!)) key = line.indexOf(BODY_KEY, key + 1);
  return key === -1 || key + BODY_KEY.length > end ? null : { key, end };
}

function bodyAt(line: Buffer, { key, end }: { key: number; end: number }): LineBody {
  const value = end + BODY_END.length;
  return { body: line.subarray(key + BODY_KEY.length, end), encoding: line.toString('latin1', value, line.indexOf(QUOTE, value)) };
}

function isDigit(byte: number): boolean {
  return byte >= 0x30 && byte <= 0x39;
}

const BODY_MESSAGE_START = Buffer.from('{"kind":"body","id":');
const BODY_MESSAGE_BODY = Buffer.from(',"body":"');
const BODY_MESSAGE_END = Buffer.from('"}');

/** The `body` message of event `id`, from the body's raw JSON string contents. */
export function bodyMessage(id: string, body: Buffer): Buffer {
  return Buffer.concat([BODY_MESSAGE_START, Buffer.from(JSON.stringify(id)), BODY_MESSAGE_BODY, body, BODY_MESSAGE_END]);
}
