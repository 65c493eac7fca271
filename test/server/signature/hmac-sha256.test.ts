// The listener's HMAC-SHA256 is assembled from one-shot SHA-256 digests (RFC 2104), so it
// is checked against openssl, an implementation that is not ours, for keys and bodies of
// every length where the construction changes: around the 64-byte block (the key is
// padded, or hashed first when longer), SHA-256's 55/56-byte padding edge, and the size
// above which bodies go through createHmac instead of the reused buffer.
import { afterAll, describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { hmacSha256Hex } from '../../../server/signature/hmac-sha256.js';
import { opensslHmac, removeTempFiles } from '../../helpers/openssl.js';

afterAll(removeTempFiles);

const KEYS = ['k', 'vdl-Kx7-webhook-secret', 'x'.repeat(63), 'y'.repeat(64), 'z'.repeat(65), 's'.repeat(200), 'clé-secrète-ñ-🐶'];
const BODY_LENGTHS = [0, 1, 55, 56, 63, 64, 65, 119, 120, 2048, 65535, 65536, 65537, 200_000];

/** Bytes that are not all alike, so a misplaced block would change the digest. */
function body(length: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 131 + (i >> 8)) & 0xff;
  return bytes;
}

describe('hmacSha256', () => {
  it.each(KEYS.map((key) => [key.length, key] as const))('equals openssl for a %i-character key and bodies of every length', (_, key) => {
    for (const length of BODY_LENGTHS) {
      const bytes = body(length);
      expect(hmacSha256Hex(key, bytes), `${length}-byte body`).toBe(opensslHmac('sha256', key, bytes));
    }
  });

  it('equals createHmac for an empty key', () => {
    for (const length of [0, 64, 2048]) {
      expect(hmacSha256Hex('', body(length))).toBe(createHmac('sha256', '').update(body(length)).digest('hex'));
    }
  });

  it('keeps each secret apart when they alternate, and bodies of any size in between', () => {
    const bytes = body(2048);
    for (let round = 0; round < 3; round++) {
      for (const key of KEYS) {
        const big = body(70_000 + round);
        expect(hmacSha256Hex(key, bytes)).toBe(createHmac('sha256', key).update(bytes).digest('hex'));
        expect(hmacSha256Hex(key, big)).toBe(createHmac('sha256', key).update(big).digest('hex'));
      }
    }
  });

  it('hashes the bytes of a view into a larger buffer, not the buffer around it', () => {
    const whole = body(4096);
    const view = whole.subarray(100, 2148);
    expect(hmacSha256Hex('k', view)).toBe(opensslHmac('sha256', 'k', Buffer.from(view)));
  });
});
