// The diagnosis from the receiving side (`verify --computed`): the hash is one the user's
// own handler computed, so each cause the recipes find is a mistake in that handler. The
// recipes and their codes are the listener's (diagnose.ts); only the words change, and
// they address the handler, never the sender. The sender's messages say what CoreOne's
// side should change, with details of the bytes; these say what the handler's code does
// wrong and how the usual stacks get it right.
import { verifySignature } from '../verify.js';
import type { Diagnosis, Signature } from '../../types.js';

const RAW_BYTES =
  "hash the raw request bytes before any parser touches them (Express: express.raw({ type: 'application/json' }); Flask: request.get_data(); PHP: file_get_contents('php://input'))";

/** What each code means when the handler made the mistake. */
const RECEIVER_MESSAGES: Readonly<Record<string, string>> = {
  'secret-whitespace':
    'Your handler keys the HMAC with the secret with whitespace added or removed at an end (a trailing newline from a file or an environment variable is the usual one): use the secret exactly as CoreOne has it.',
  'secret-quoted':
    'Your handler keys the HMAC with the secret and quotes around it, or without quotes it has (a .env value read without a dotenv parser): read the secret without the quotes of the file it comes from.',
  'secret-empty':
    'Your handler keys the HMAC with an empty secret: the variable it reads (COREONE_WEBHOOK_SECRET in the snippets) is unset where it runs.',
  'secret-decoded':
    'Your handler keys the HMAC with the secret decoded from hex or base64: key it with the secret text itself, as CoreOne does.',
  'body-reserialized': `Your handler hashed the JSON re-serialized, not the raw request bytes: ${RAW_BYTES}.`,
  'body-unicode-escaped': `Your handler hashed the body with its text re-escaped (\\uXXXX for non-ASCII, as json.dumps and json_encode write it): ${RAW_BYTES}.`,
  'body-trailing-newline':
    'Your handler hashed the body with a newline added or removed at its end (read as lines, or trimmed): hash the request bytes exactly as they arrived.',
  'body-encoding':
    'Your handler hashed the body decoded and encoded again (Latin-1, UTF-16, a byte-order mark added or dropped): hash the request bytes, not a string made from them.',
  'body-line-endings': 'Your handler hashed the body with its line endings converted: read the request body as bytes, not in text mode.',
  'body-unicode-normalized': 'Your handler hashed the body with its text Unicode-normalized: hash the request bytes, not a normalized string.',
  'empty-body-signed': `Your handler hashed an empty body: a body parser had already read the request stream; ${RAW_BYTES}.`,
  'wrong-algorithm': 'Your handler uses another algorithm than SHA-256 (SHA-1, SHA-512, MD5...): compute an HMAC-SHA256.',
  'unkeyed-digest':
    "Your handler computes a plain digest of the body, without the secret: compute an HMAC-SHA256 keyed with the secret (Node: createHmac('sha256', secret); Python: hmac.new; PHP: hash_hmac).",
  'naive-keyed-digest':
    "Your handler hashes the secret and the body joined together, which is not an HMAC: use createHmac('sha256', secret) in Node, hmac.new(secret, body, hashlib.sha256) in Python, hash_hmac('sha256', $body, $secret) in PHP.",
  'key-message-swapped':
    "Your handler swapped the HMAC's key and message: the secret is the key and the raw body the message (PHP's hash_hmac takes the data first, then the key).",
  'hash-encoding':
    "Your handler writes its digest in another form than bare hex (base64, or with a prefix such as sha256=): encode it as hex (digest('hex'), hexdigest()) and compare it with the header as it arrives.",
  'duplicate-header': 'Your handler compares against several digests joined with a comma: compare one hex digest with the header.',
  'timestamp-signed': "Your handler hashes a timestamp, a dot and the body (Stripe's scheme): CoreOne signs the raw body alone.",
  'malformed-hash':
    'The hash your handler computed is not a 64-digit hex digest and matches no known mistake: it should be the hex HMAC-SHA256 of the raw request bytes.',
  'no-match':
    'The hash your handler computed matches none of the known mistakes: its secret most likely differs from this one (compare their length and fingerprint), or it hashes other bytes than the raw request body.',
};

/** For a code added to the recipes before its receiving-side wording: still the handler's mistake, never advice to the sender. */
const fallback = (code: string): string =>
  `Your handler's hash matches the known mistake ${code}: compute the hex HMAC-SHA256 of the raw request bytes keyed with the secret exactly.`;

/** The same causes, in the same order, worded for the handler. */
export function receiverDiagnosis(diagnosis: readonly Diagnosis[]): Diagnosis[] {
  return diagnosis.map(({ code }) => ({ code, message: RECEIVER_MESSAGES[code] ?? fallback(code) }));
}

export type ReceiverSignature = Signature & { side: 'receiver' };

/**
 * The verdict on a hash the user's handler computed for `body`: `valid` when it is the
 * right one, otherwise the listener's diagnosis in the handler's words. `received` is the
 * computed hash.
 */
export function verifyComputed(body: Uint8Array, computed: string, secret: string): ReceiverSignature {
  const verdict = verifySignature(body, computed, secret);
  return { ...verdict, diagnosis: receiverDiagnosis(verdict.diagnosis), side: 'receiver' };
}
