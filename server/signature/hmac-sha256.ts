// HMAC-SHA256 for the listener's hot path, from node:crypto's one-shot SHA-256.
//
// Why not createHmac: every createHmac call sets up a fresh OpenSSL HMAC context, and
// OpenSSL 3 looks the digest up in its provider tables for each of the context's three
// inner digests. On a 2 KB webhook that set-up cost more than hashing the body, and it was
// the largest single part of the signature verdict in the listener's profile. HMAC is
// defined on top of the hash (RFC 2104): H((K ^ opad) || H((K ^ ipad) || message)), with K
// the key zero-padded to the 64-byte block (hashed first when longer). The two padded keys
// depend on the secret only, so they are made once per secret, and each request costs two
// one-shot digests (`crypto.hash`, which keeps its digest method between calls). The
// digests come back as strings ('binary' is latin1, one character a byte), not Buffers:
// a Buffer's memory lives outside V8's heap and costs an allocation and a sweep each.
// Kept for the gain it was measured at alone, in the listener (BENCHMARKS.md, issue 12).
// test/server/signature/hmac-sha256.test.ts holds this to openssl for keys and bodies of
// every size around the block and copy limits.
import { createHash, createHmac, hash } from 'node:crypto';

const BLOCK = 64;
/** Bodies up to this size are hashed from a reused buffer; larger ones through createHmac, whose set-up no longer matters next to hashing them. */
const MAX_COPIED_BODY = 64 * 1024;

interface Pads {
  secret: string;
  inner: Buffer;
  /** The outer padded key, followed by room for the inner digest. */
  outer: Buffer;
}

let pads: Pads | null = null;
/** The inner padded key, then the body: one contiguous input for the inner digest. */
let input = Buffer.allocUnsafe(BLOCK + 4096);

function padsFor(secret: string): Pads {
  if (pads?.secret === secret) return pads;
  let key = Buffer.from(secret, 'utf8');
  if (key.length > BLOCK) key = createHash('sha256').update(key).digest();
  const inner = Buffer.alloc(BLOCK, 0x36);
  const outer = Buffer.alloc(BLOCK + 32, 0x5c);
  for (let i = 0; i < key.length; i++) {
    inner[i]! ^= key[i]!;
    outer[i]! ^= key[i]!;
  }
  pads = { secret, inner, outer };
  return pads;
}

/** Lower-case hex HMAC-SHA256 of `body` keyed with `secret` (its UTF-8 bytes), as createHmac computes it. */
export function hmacSha256Hex(secret: string, body: Uint8Array): string {
  if (body.length > MAX_COPIED_BODY) return createHmac('sha256', secret).update(body).digest('hex');
  const { inner, outer } = padsFor(secret);
  if (input.length < BLOCK + body.length) input = Buffer.allocUnsafe(BLOCK + MAX_COPIED_BODY);
  inner.copy(input, 0);
  input.set(body, BLOCK);
  outer.write(hash('sha256', input.subarray(0, BLOCK + body.length), 'binary'), BLOCK, 'latin1');
  return hash('sha256', outer, 'hex');
}
