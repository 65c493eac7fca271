// Why a signature is not valid: the plausible mistake that reproduces exactly the hash
// that arrived. The header is decoded once into candidate digests (server/signature/diagnosis/received.ts),
// then the recipes (server/signature/diagnosis/recipes.ts) are recomputed most likely first until one
// equals a candidate. A 256-bit match does not happen by chance, so the first match is
// the answer and the search stops there; only a hash that matches nothing pays for the
// whole (bounded) list. Messages are fixed sentences: none ever contains the secret.
import { timingSafeEqual } from 'node:crypto';
import { Buffer } from 'node:buffer';
import { decodeReceived, receivedTimestamp, type ReceivedCandidate } from './received.js';
import { recipes } from './recipes.js';
import type { Diagnosis, SignatureStatus } from '../../types.js';

/**
 * Every code the diagnosis reports, in the order causes are listed when one mistake
 * combines several: where the key and body come from, then how they were hashed, then
 * how the hash was written into the header. Codes are stable once shipped.
 */
export const DIAGNOSIS_CODES = [
  'secret-whitespace',
  'secret-quoted',
  'secret-empty',
  'secret-decoded',
  'body-reserialized',
  'body-unicode-escaped',
  'body-trailing-newline',
  'body-line-endings',
  'body-unicode-normalized',
  'body-encoding',
  'empty-body-signed',
  'timestamp-signed',
  'wrong-algorithm',
  'unkeyed-digest',
  'naive-keyed-digest',
  'key-message-swapped',
  'hash-encoding',
  'duplicate-header',
  'missing-header',
  'malformed-hash',
  'no-match',
] as const;

const RANK = new Map<string, number>(DIAGNOSIS_CODES.map((code, index) => [code, index]));

const MISSING: Diagnosis = {
  code: 'missing-header',
  message: 'No X-Coreone-Webhook-Hash header arrived: make the sender set it, and check that no proxy on the way drops it.',
};

const NO_MATCH: Diagnosis = {
  code: 'no-match',
  message:
    'The hash matches none of the known mistakes: the sender most likely uses a different secret (compare it with this one), or the body was changed on the way.',
};

/**
 * Over LARGE_BODY, only the LARGE_BODY_RECIPES likeliest recipes are tried (the right hash
 * written otherwise, the secret's whitespace, the usual re-serializations' byte-level
 * cousins), so that the search runs on the event loop in tens of milliseconds even at
 * --max-body's 5 MiB: each recipe is an HMAC pass over the body.
 */
export const LARGE_BODY = 1024 * 1024;
export const LARGE_BODY_RECIPES = 8;

const NO_MATCH_LARGE: Diagnosis = {
  code: 'no-match',
  message: `${NO_MATCH.message} (On a body over 1 MiB only the ${LARGE_BODY_RECIPES} likeliest mistakes are tried.)`,
};

function malformed(received: string): Diagnosis {
  return {
    code: 'malformed-hash',
    message:
      received.length === 0
        ? 'The hash header arrived empty: make the sender put the hex HMAC-SHA256 of the body in it.'
        : `The hash header (${received.length} characters) is not a 64-digit hex digest and matches no known mistake: it should be the hex HMAC-SHA256 of the body, with nothing around it.`,
  };
}

/**
 * The diagnosis for a non-valid verdict. `expected` is the right digest, which the
 * verdict has already computed.
 */
export function diagnose(
  status: Exclude<SignatureStatus, 'valid' | 'unchecked'>,
  body: Uint8Array,
  received: string | null,
  secret: string,
  expected: Buffer,
): Diagnosis[] {
  if (status === 'missing' || received === null) return [MISSING];
  const large = body.length > LARGE_BODY;
  const fallback = status === 'malformed' ? malformed(received) : large ? NO_MATCH_LARGE : NO_MATCH;

  const byLength = new Map<number, ReceivedCandidate[]>();
  for (const candidate of decodeReceived(received)) {
    const same = byLength.get(candidate.bytes.length) ?? [];
    same.push(candidate);
    byLength.set(candidate.bytes.length, same);
  }
  if (byLength.size === 0) return [fallback];

  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  let tried = 0;
  for (const recipe of recipes({ body: bytes, secret, expected, timestamp: receivedTimestamp(received) })) {
    if (large && tried++ === LARGE_BODY_RECIPES) break;
    const digest = recipe.digest();
    const match = byLength.get(digest.length)?.find((candidate) => timingSafeEqual(candidate.bytes, digest));
    if (match) return ordered([...recipe.causes, ...match.causes]);
  }
  return [fallback];
}

/** One entry per code, in DIAGNOSIS_CODES order. */
function ordered(causes: Diagnosis[]): Diagnosis[] {
  const byCode = new Map<string, Diagnosis>();
  for (const cause of causes) if (!byCode.has(cause.code)) byCode.set(cause.code, cause);
  return [...byCode.values()].sort((a, b) => (RANK.get(a.code) ?? 0) - (RANK.get(b.code) ?? 0));
}
