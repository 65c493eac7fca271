// The mistakes the diagnosis knows, as recipes: each recomputes the digest a sender making
// that mistake would have sent, and names the causes it stands for. Recipes come out of
// one generator in likelihood order, so the caller can stop at the first that matches.
//
// Cost is bounded by construction: the list is fixed (no search over combinations, apart
// from the header encodings, which cost no hashing; see server/signature/diagnosis/received.ts), each recipe
// is one digest over at most a few times the body, and recipes that need the body as text
// (JSON re-serialization, escaping, transcoding) run only up to TEXT_RECIPE_LIMIT bytes.
// Over that limit only byte-level recipes run: at most BYTE_RECIPE_PASSES passes over
// the body, each an HMAC or digest, with no copy of the body.
import { createHash, createHmac } from 'node:crypto';
import { Buffer } from 'node:buffer';
import { jsonTextVariants } from './json-variants.js';
import type { Diagnosis } from '../../types.js';

export interface Recipe {
  causes: Diagnosis[];
  digest: () => Buffer;
}

export interface RecipeInput {
  body: Buffer;
  secret: string;
  /** The right digest, already computed by the verdict. */
  expected: Buffer;
  /** The `t=` of a Stripe-style hash header, when it has one. */
  timestamp?: string | null;
}

/**
 * Bodies up to this size also get the recipes that parse, re-serialize, escape or
 * transcode them. These build about 20 new texts of the body's size, each several times
 * dearer than an HMAC pass (measured: ~55 ms at 228 KiB, ~300 ms at 918 KiB on a busy
 * 2-core machine), so the limit sits far above a webhook's JSON but well below 1 MiB.
 */
export const TEXT_RECIPE_LIMIT = 256 * 1024;

/**
 * Upper bound on full passes over a body larger than TEXT_RECIPE_LIMIT: 11 secret
 * whitespace + 3 quoting + 1 empty secret + 3 decoded secret + 7 algorithms + 4 plain
 * digests + 3 trailing newline + 1 byte-order mark + 2 naive concatenations + 1 swapped
 * + 1 timestamp-signed (only when the header carries a timestamp).
 */
export const BYTE_RECIPE_PASSES = 37;

type Part = Uint8Array | string;

function hmac(algorithm: string, key: string | Uint8Array, ...parts: Part[]): Buffer {
  const h = createHmac(algorithm, key);
  for (const part of parts) h.update(part);
  return h.digest();
}

function plain(algorithm: string, ...parts: Part[]): Buffer {
  const h = createHash(algorithm);
  for (const part of parts) h.update(part);
  return h.digest();
}

const cause = (code: string, message: string): Diagnosis => ({ code, message });

/** The other algorithms a sender may have picked: Node's name and how people write it. */
const OTHER_ALGORITHMS: ReadonlyArray<[string, string]> = [
  ['sha1', 'SHA-1'],
  ['sha512', 'SHA-512'],
  ['md5', 'MD5'],
  ['sha384', 'SHA-384'],
  ['sha224', 'SHA-224'],
  ['sha512-256', 'SHA-512/256'],
  ['sha3-256', 'SHA3-256'],
];
const PLAIN_ALGORITHMS = new Set(['sha1', 'sha512', 'md5']);

function wrongAlgorithm(label: string): Diagnosis {
  return cause('wrong-algorithm', `The hash uses ${label} instead of SHA-256: switch the sender to HMAC-SHA256.`);
}

const UNKEYED = cause(
  'unkeyed-digest',
  'The hash is a plain digest of the body made without the secret: compute an HMAC-SHA256 of the body keyed with the secret instead.',
);

function secretWhitespace(what: string): Diagnosis {
  return cause('secret-whitespace', `The sender's secret has ${what}: strip it where the secret is read.`);
}

const SECRET_TRIMMED = cause(
  'secret-whitespace',
  'The sender uses this secret without the whitespace it has here at its start or end: remove that whitespace from the secret given to this tool (or add it on the sending side).',
);

const SECRET_QUOTED = cause(
  'secret-quoted',
  "The sender's secret still has quotes around it (as a .env value read without a dotenv parser does): remove the quotes where the secret is read.",
);

const SECRET_UNQUOTED = cause(
  'secret-quoted',
  "The secret given to this tool is wrapped in quotes that the sender's secret does not have: remove the quotes from it.",
);

const SECRET_EMPTY = cause(
  'secret-empty',
  'The hash was made with an empty secret: set the webhook secret where the sender reads it (it is most likely unset there).',
);

function secretDecoded(how: string): Diagnosis {
  return cause(
    'secret-decoded',
    `The sender keyed the HMAC with the ${how} bytes of the secret: key it with the secret text itself, as CoreOne does.`,
  );
}

function trailingNewline(how: string): Diagnosis {
  return cause(
    'body-trailing-newline',
    `The hash was computed over the body ${how}: sign exactly the bytes you send, and look for a proxy, framework or file write that adds or strips it.`,
  );
}

function bodyEncoding(how: string): Diagnosis {
  return cause(
    'body-encoding',
    `The hash was computed over the body ${how}: hash the exact UTF-8 bytes you send, without decoding and re-encoding them.`,
  );
}

function naiveKeyed(order: string): Diagnosis {
  return cause(
    'naive-keyed-digest',
    `The hash is a plain SHA-256 over the ${order}, not an HMAC: compute an HMAC-SHA256 of the body keyed with the secret.`,
  );
}

const KEY_MESSAGE_SWAPPED = cause(
  'key-message-swapped',
  'The hash is an HMAC keyed with the body over the secret: swap the two arguments, so the secret is the key and the body the message.',
);

function lineEndings(how: string): Diagnosis {
  return cause(
    'body-line-endings',
    `The hash was computed over the body with its line endings converted ${how} (an editor, git's autocrlf or a Windows tool on a saved body): sign exactly the bytes you send.`,
  );
}

function unicodeNormalized(form: string): Diagnosis {
  return cause(
    'body-unicode-normalized',
    `The hash was computed over the body with its text normalized to Unicode ${form} (as macOS file names, some editors and text libraries do): hash the exact bytes you send, without normalizing them.`,
  );
}

const TIMESTAMP_SIGNED = cause(
  'timestamp-signed',
  "The hash covers the header's timestamp, a dot and the body (Stripe's scheme), not the body alone: sign only the raw body bytes, as CoreOne does.",
);

const EMPTY_BODY_SIGNED = cause(
  'empty-body-signed',
  'The hash is of an empty body: sign the body once it is built, with the same bytes that are sent.',
);

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const HEX_SECRET = /^(?:[0-9a-fA-F]{2}){8,}$/;
const BASE64_SECRET = /^(?:[A-Za-z0-9+/]{4}){4,}(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const BASE64URL_SECRET = /^[A-Za-z0-9_-]{16,}$/;

/** Every recipe, most likely first. */
export function* recipes({ body, secret, expected, timestamp }: RecipeInput): Generator<Recipe> {
  const keyed = (key: string | Uint8Array, ...causes: Diagnosis[]): Recipe => ({
    causes,
    digest: () => hmac('sha256', key, body),
  });
  const over = (parts: Part[], ...causes: Diagnosis[]): Recipe => ({
    causes,
    digest: () => hmac('sha256', secret, ...parts),
  });

  // The right digest: matches when only the header's encoding is wrong.
  yield { causes: [], digest: () => expected };
  // A header in another scheme's timestamped format most likely signs that scheme's way.
  if (timestamp) yield over([timestamp, '.', body], TIMESTAMP_SIGNED);

  yield* secretWhitespaceRecipes(secret, keyed);

  // Small edits to the bytes come before whole re-serializations, and a re-serialization
  // that writes the same bytes as one of them is left out: when both explain the hash,
  // the smallest change is the one named (SPEC: it decides before likelihood).
  const text = body.length <= TEXT_RECIPE_LIMIT ? utf8Text(body) : null;
  const smaller = new Set<string>();
  for (const edit of bodyEditRecipes(body, text, over)) {
    if (edit.text !== undefined) smaller.add(edit.text);
    yield edit.recipe;
  }
  if (text !== null) {
    for (const variant of jsonTextVariants(text, smaller)) yield over([variant.text], ...variant.causes);
  }

  for (const [algorithm, label] of OTHER_ALGORITHMS) {
    yield { causes: [wrongAlgorithm(label)], digest: () => hmac(algorithm, secret, body) };
  }
  yield { causes: [UNKEYED], digest: () => plain('sha256', body) };
  for (const [algorithm, label] of OTHER_ALGORITHMS) {
    if (PLAIN_ALGORITHMS.has(algorithm)) {
      yield { causes: [UNKEYED, wrongAlgorithm(label)], digest: () => plain(algorithm, body) };
    }
  }

  yield keyed(`"${secret}"`, SECRET_QUOTED);
  yield keyed(`'${secret}'`, SECRET_QUOTED);
  const unquoted = /^(["'])(.+)\1$/s.exec(secret)?.[2];
  if (unquoted !== undefined) yield keyed(unquoted, SECRET_UNQUOTED);

  yield keyed('', SECRET_EMPTY);

  yield* bodyEncodingRecipes(body, text, over);

  if (HEX_SECRET.test(secret)) yield keyed(Buffer.from(secret, 'hex'), secretDecoded('hex-decoded'));
  if (BASE64_SECRET.test(secret)) yield keyed(Buffer.from(secret, 'base64'), secretDecoded('base64-decoded'));
  if (/[-_]/.test(secret) && BASE64URL_SECRET.test(secret)) {
    yield keyed(Buffer.from(secret, 'base64url'), secretDecoded('base64url-decoded'));
  }

  yield { causes: [naiveKeyed('secret followed by the body')], digest: () => plain('sha256', secret, body) };
  yield { causes: [naiveKeyed('body followed by the secret')], digest: () => plain('sha256', body, secret) };
  if (body.length > 0) yield over([], EMPTY_BODY_SIGNED);
  yield { causes: [KEY_MESSAGE_SWAPPED], digest: () => hmac('sha256', body, secret) };
}

/**
 * Edits of a few bytes (a newline at the end, a byte-order mark, line endings), with the
 * text each writes when the body is text: the re-serializations skip those texts.
 */
function* bodyEditRecipes(
  body: Buffer,
  text: string | null,
  over: (parts: Part[], ...causes: Diagnosis[]) => Recipe,
): Generator<{ recipe: Recipe; text?: string }> {
  const edit = (parts: Part[], editedText: string | undefined, ...causes: Diagnosis[]) => ({
    recipe: over(parts, ...causes),
    text: text === null ? undefined : editedText,
  });
  const t = text ?? '';
  yield edit([body, '\n'], `${t}\n`, trailingNewline('with a newline added at the end'));
  yield edit([body, '\r\n'], `${t}\r\n`, trailingNewline('with \\r\\n added at the end'));
  const newline = body.at(-1) === 0x0a ? (body.at(-2) === 0x0d ? 2 : 1) : 0;
  if (newline > 0) {
    yield edit([body.subarray(0, body.length - newline)], t.slice(0, -newline), trailingNewline('without the newline it ends with'));
  }
  if (body.subarray(0, 3).equals(BOM)) {
    yield edit([body.subarray(3)], t.slice(1), bodyEncoding('without the UTF-8 byte-order mark it starts with'));
  } else {
    yield edit([BOM, body], `\ufeff${t}`, bodyEncoding('with a UTF-8 byte-order mark added in front'));
  }
  if (text === null) return;
  // Line endings and normalization need a copy of the text, so they stay under TEXT_RECIPE_LIMIT.
  if (/(?<!\r)\n/.test(text)) {
    const crlf = text.replace(/\r?\n/g, '\r\n');
    yield edit([crlf], crlf, lineEndings('to \\r\\n'));
  }
  if (text.includes('\r\n')) {
    const lf = text.replaceAll('\r\n', '\n');
    yield edit([lf], lf, lineEndings('from \\r\\n to \\n'));
  }
  if (/[^\u0000-\u007f]/.test(text)) {
    for (const form of ['NFC', 'NFD'] as const) {
      const normalized: string = text.normalize(form);
      if (normalized !== text) yield edit([normalized], normalized, unicodeNormalized(form));
    }
  }
}

function* secretWhitespaceRecipes(
  secret: string,
  keyed: (key: string, ...causes: Diagnosis[]) => Recipe,
): Generator<Recipe> {
  yield keyed(`${secret}\n`, secretWhitespace('a trailing newline'));
  yield keyed(`${secret}\r\n`, secretWhitespace('a trailing \\r\\n (a file saved on Windows)'));
  yield keyed(`${secret} `, secretWhitespace('a trailing space'));
  const tried = new Set([secret]);
  for (const trimmed of [secret.trim(), secret.trimEnd(), secret.trimStart()]) {
    if (trimmed === '' || tried.has(trimmed)) continue;
    tried.add(trimmed);
    yield keyed(trimmed, SECRET_TRIMMED);
  }
  yield keyed(`${secret}\t`, secretWhitespace('a trailing tab'));
  // Whitespace at the start, or at both ends: a value pasted from a web page or a table.
  yield keyed(` ${secret}`, secretWhitespace('a leading space'));
  yield keyed(` ${secret} `, secretWhitespace('a space at both ends'));
  yield keyed(`\t${secret}`, secretWhitespace('a leading tab'));
  yield keyed(`\n${secret}\n`, secretWhitespace('a newline at both ends'));
}

function* bodyEncodingRecipes(
  body: Buffer,
  text: string | null,
  over: (parts: Part[], ...causes: Diagnosis[]) => Recipe,
): Generator<Recipe> {
  if (body.length > TEXT_RECIPE_LIMIT) return;
  // Invalid UTF-8 always has bytes over 0x7f; valid UTF-8 has them when it is not ASCII.
  if (text === null || /[^\u0000-\u007f]/.test(text)) {
    yield over(
      [Buffer.from(body.toString('latin1'), 'utf8')],
      bodyEncoding('double-encoded (its UTF-8 bytes read as Latin-1 and encoded to UTF-8 again)'),
    );
    if (text !== null && !/[^\u0000-\u00ff]/.test(text)) {
      yield over([Buffer.from(text, 'latin1')], bodyEncoding('encoded as Latin-1'));
    }
  }
  if (text !== null) yield over([Buffer.from(text, 'utf16le')], bodyEncoding('encoded as UTF-16LE'));
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function utf8Text(body: Buffer): string | null {
  try {
    return strictUtf8.decode(body);
  } catch {
    return null;
  }
}
