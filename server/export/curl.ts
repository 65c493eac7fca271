// A fixture as one POSIX shell command that sends it again: exactly its body bytes and its
// recorded headers, the original hash among them (../shared/SPEC.md "Schemas, drift and
// exports"). The body goes through `printf` with every byte that is not plain ASCII
// written as an octal escape, piped to `curl --data-binary @-`: no quote, `$`, backslash,
// newline, NUL or non-UTF-8 byte in a body can change either the command or the bytes.
// `printf` is a shell builtin, so a large body does not meet the argument length limit.
import type { Fixture } from '../store/fixtures.js';
import { bodyBytes, latin1Bytes } from '../record/body-bytes.js';

/** Headers the connection owns: curl writes its own (length, host), the rest would lie about this one. */
const CONNECTION_HEADERS = new Set(['host', 'content-length', 'connection', 'keep-alive', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'expect', 'proxy-connection']);
/** Headers curl adds unless told not to (`-H 'Name:'`); sent only when the fixture had them. */
const CURL_DEFAULTS = ['accept', 'user-agent', 'content-type', 'expect'];

export function curlOf(fixture: Pick<Fixture, 'headers' | 'body' | 'bodyEncoding'>, url: string): string {
  const words = ['curl', '-sS', '--data-binary', '@-'];
  const names = new Set<string>();
  for (const [name, value] of Object.entries(fixture.headers)) {
    const lower = name.toLowerCase();
    if (CONNECTION_HEADERS.has(lower)) continue;
    names.add(lower);
    words.push('-H', shellWord(latin1Bytes(headerLine(name, value))));
  }
  for (const name of CURL_DEFAULTS) if (!names.has(name)) words.push('-H', shellWord(latin1Bytes(`${name}:`)));
  words.push(shellWord(new TextEncoder().encode(url)));
  return `printf '${printfFormat(bodyBytes(fixture))}' | ${words.join(' ')}`;
}

/**
 * `Name: value` as curl's -H takes it. An empty value is written `Name;` (curl drops a
 * header given as `Name:`). HTTP cannot carry a line break in a value: curl would send one
 * as a new header line, so each run of CR and LF goes as one space, which is how HTTP/1.1
 * reads a folded header (RFC 9112, 5.2). The value's characters are its bytes (latin1),
 * as node:http gave them.
 */
function headerLine(name: string, value: string): string {
  const flat = value.replace(/[\r\n]+/g, ' ');
  return flat === '' ? `${name};` : `${name}: ${flat}`;
}

/** Printable ASCII, single quote aside: what may stand for itself inside '...'. */
const isPlain = (byte: number) => byte >= 0x20 && byte <= 0x7e && byte !== 0x27;

/**
 * One shell word holding exactly these bytes: single-quoted when they are printable ASCII
 * ('\'' for a quote), else the output of a printf of their octal escapes.
 */
function shellWord(bytes: Uint8Array): string {
  if (bytes.every((byte) => isPlain(byte) || byte === 0x27)) return `'${String.fromCharCode(...bytes).replaceAll("'", `'\\''`)}'`;
  return `"$(printf '${printfFormat(bytes)}')"`;
}

/**
 * A printf format (to go between single quotes) that prints exactly these bytes. A
 * leading "-" is escaped too: printf would take the format for an option.
 */
function printfFormat(bytes: Uint8Array): string {
  let format = '';
  for (const byte of bytes) {
    if (byte === 0x25) format += '%%';
    else if (byte === 0x5c) format += '\\\\';
    else if (isPlain(byte) && !(format === '' && byte === 0x2d)) format += String.fromCharCode(byte);
    else format += `\\${byte.toString(8).padStart(3, '0')}`;
  }
  return format;
}
