// What may be shown of the secret: its length and a short fingerprint, so two places can
// be checked for the same secret without either printing it.
//
// The fingerprint is the first 8 hex digits of scrypt(secret, salt
// "coreone-inspect/secret-fingerprint@1", N=4096, r=8, p=1). 32 bits cannot identify a
// strong secret, and scrypt (about 7 ms, 4 MiB per try) makes confirming guesses of a
// weak one against a fingerprint slow, where a plain SHA-256 would allow billions of
// guesses per second. The salt keeps the value unrelated to any other hash of the secret.
import { scryptSync } from 'node:crypto';
import type { SecretInfo } from '../types.js';

const SALT = 'coreone-inspect/secret-fingerprint@1';

const cache = new Map<string, SecretInfo>();

/** Length (in characters) and fingerprint of the secret; null when there is none. */
export function secretInfo(secret: string | null | undefined): SecretInfo | null {
  if (!secret) return null;
  let info = cache.get(secret);
  if (!info) {
    const fingerprint = scryptSync(secret, SALT, 4, { N: 4096, r: 8, p: 1 }).toString('hex');
    info = { length: [...secret].length, fingerprint };
    // A process uses one secret; the map only saves the scrypt when callers ask again.
    cache.set(secret, info);
  }
  return info;
}
