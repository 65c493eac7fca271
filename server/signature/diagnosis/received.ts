// What digest bytes the hash header may stand for. The header is decoded once, in every
// way a sender plausibly encoded it (hex, base64, base64url; with a label such as
// `sha256=`, quotes or whitespace around it; or sent twice and joined with `, `), and
// each recipe's digest is then compared with these candidates. So any recipe combines
// with any encoding at no extra hashing cost.
import { Buffer } from 'node:buffer';
import type { Diagnosis } from '../../types.js';

export interface ReceivedCandidate {
  bytes: Buffer;
  /** The encoding causes that turn the digest into the header: empty for bare hex. */
  causes: Diagnosis[];
}

/** Longer headers encode no digest; they are not decoded at all. */
const MAX_DECODED_LENGTH = 1024;

/** Byte lengths of the digests the recipes produce (MD5 to SHA-512). */
const DIGEST_LENGTHS = new Set([16, 20, 28, 32, 48, 64]);

const HEX = /^[0-9a-fA-F]+$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;
// A label before the digest: `sha256=`, `sha256:`, `hmac-sha256 `. Something other than
// `=` must follow, so a base64 value's own padding (`…==`) is never taken for a label.
const LABEL = /^([A-Za-z][A-Za-z0-9_.-]{0,23})(?:\s*[=:]\s*|\s+)(?=[^\s=])/;
// Labels that are named in messages; any other label is described, not echoed, so a
// message never repeats arbitrary header text.
const KNOWN_LABEL = /^(?:hmac[-_]?)?(?:sha-?(?:1|224|256|384|512)|md5)$|^(?:v\d|signature|hash|hmac)$/i;

// Stripe's header: `t=<unix time>,v1=<signature>`, more `v1=` (or `v0=`) while secrets roll.
const TIMESTAMPED = /^t=(\d{1,13}),\s*(v\d=[^,]*(?:,\s*v\d=[^,]*)*)$/;

const TIMESTAMP_FORMAT: Diagnosis = {
  code: 'hash-encoding',
  message:
    "The hash arrived in a Stripe-style t=…,v1=… header instead of as bare hex: send only the hex digest of the body, with nothing around it.",
};

/** The timestamp of a Stripe-style header, which such senders sign along with the body. */
export function receivedTimestamp(received: string): string | null {
  return received.length <= MAX_DECODED_LENGTH ? (TIMESTAMPED.exec(received.trim())?.[1] ?? null) : null;
}

export function decodeReceived(received: string): ReceivedCandidate[] {
  if (received.length === 0 || received.length > MAX_DECODED_LENGTH) return [];
  const timestamped = TIMESTAMPED.exec(received.trim());
  if (timestamped) {
    return (timestamped[2] ?? '').split(',').flatMap((part) => decodePart(part.trim().replace(/^v\d=/, ''), [TIMESTAMP_FORMAT]));
  }
  const parts = received.split(',');
  if (parts.length === 1) return decodePart(received, []);
  const duplicate: Diagnosis = {
    code: 'duplicate-header',
    message:
      'The hash header arrived more than once (the values were joined with a comma): make the sender, or a proxy on the way, set it exactly once.',
  };
  // The HTTP layer joins duplicates with `, `, so each part loses that one space.
  return parts.flatMap((part) => decodePart(part.trim(), [duplicate]));
}

function decodePart(part: string, extra: Diagnosis[]): ReceivedCandidate[] {
  const forms: string[] = [];
  let value = part;
  const trimmed = value.trim();
  if (trimmed !== value) {
    forms.push('surrounded by whitespace');
    value = trimmed;
  }
  const quoted = /^(["'])(.*)\1$/s.exec(value);
  if (quoted) {
    forms.push('wrapped in quotes');
    value = (quoted[2] ?? '').trim();
  }
  const label = LABEL.exec(value);
  if (label) {
    const name = label[1] ?? '';
    forms.push(KNOWN_LABEL.test(name) ? `prefixed with "${label[0].trim()}"` : 'prefixed with a label');
    value = value.slice(label[0].length);
  }

  const out: ReceivedCandidate[] = [];
  const add = (bytes: Buffer, encoding: string | null): void => {
    if (!DIGEST_LENGTHS.has(bytes.length)) return;
    const allForms = encoding ? [...forms, encoding] : forms;
    const causes = allForms.length > 0 ? [encodingCause(allForms)] : [];
    out.push({ bytes, causes: [...extra, ...causes] });
  };
  if (HEX.test(value) && value.length % 2 === 0) {
    const bytes = Buffer.from(value, 'hex');
    add(bytes, null);
    // A hex digest is also valid base64; once it reads as a digest in hex, the base64
    // reading of the same text is noise (it could only ever match by chance).
    if (DIGEST_LENGTHS.has(bytes.length)) return out;
  }
  if (BASE64.test(value)) {
    const bytes = canonicalBase64(value, 'base64');
    add(bytes, 'base64-encoded');
    // The hex text itself base64-encoded (a base64 step added to code that already hexed).
    const text = bytes.toString('latin1');
    if (HEX.test(text) && text.length % 2 === 0) add(Buffer.from(text, 'hex'), 'as hex text then base64-encoded');
  }
  if (/[-_]/.test(value) && BASE64URL.test(value)) add(canonicalBase64(value, 'base64url'), 'base64url-encoded');
  return out;
}

/** Decoded bytes, or an empty buffer when the text is not the canonical encoding of any bytes. */
function canonicalBase64(text: string, encoding: 'base64' | 'base64url'): Buffer {
  const bytes = Buffer.from(text, encoding);
  const unpadded = (s: string): string => s.replace(/=+$/, '');
  return unpadded(bytes.toString(encoding)) === unpadded(text) ? bytes : Buffer.alloc(0);
}

function encodingCause(forms: string[]): Diagnosis {
  const list = forms.length === 1 ? forms[0] : `${forms.slice(0, -1).join(', ')} and ${forms.at(-1)}`;
  return {
    code: 'hash-encoding',
    message: `The hash arrived ${list} instead of as bare hex: send only the hex digest, with nothing around it.`,
  };
}
