// The signature verdict of SPEC.md: is X-Coreone-Webhook-Hash the hex HMAC-SHA256 of the
// raw body keyed with the secret? Depends on node:crypto only. The valid path runs for
// every request the listener accepts, so it does one HMAC and a comparison; the diagnosis
// (which mistake produced a wrong hash) runs only when the verdict is not valid.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Buffer } from 'node:buffer';
import { diagnose } from './diagnosis/diagnose.js';
import { hmacSha256Hex } from './hmac-sha256.js';
import type { Signature } from '../types.js';

const WELL_FORMED = /^[0-9a-fA-F]{64}$/;

/** Lower-case hex HMAC-SHA256 of the body keyed with the secret. */
export function computeSignature(body: Uint8Array, secret: string): string {
  checkBody(body);
  if (typeof secret !== 'string') throw new TypeError('[coreone-inspect] secret must be a string');
  return createHmac('sha256', secret).update(body).digest('hex');
}

/**
 * The verdict for one body and the hash header that came with it. No secret (null or
 * empty) means `unchecked`; `received` null or undefined means the header was absent.
 */
export function verifySignature(
  body: Uint8Array,
  received: string | null | undefined,
  secret: string | null,
): Signature {
  checkBody(body);
  checkReceived(received);
  if (secret != null && typeof secret !== 'string') {
    throw new TypeError('[coreone-inspect] secret must be a string or null');
  }
  if (!secret) return uncheckedSignature(received);

  const expected = hmacSha256Hex(secret, body);
  if (received == null) {
    return { status: 'missing', received: null, expected, diagnosis: diagnose('missing', body, null, secret, Buffer.from(expected, 'hex')) };
  }
  if (!WELL_FORMED.test(received)) return mismatch('malformed', body, received, secret, expected);
  // Hex decoding makes the comparison case-blind. timingSafeEqual throws on buffers of
  // different lengths, so the lengths are compared first; that leaks nothing, because a
  // well-formed digest always has 32 bytes and the format is public.
  const receivedBytes = Buffer.from(received, 'hex');
  const expectedBytes = Buffer.from(expected, 'hex');
  if (receivedBytes.length === expectedBytes.length && timingSafeEqual(receivedBytes, expectedBytes)) {
    return { status: 'valid', received, expected, diagnosis: [] };
  }
  return mismatch('invalid', body, received, secret, expected);
}

/** A malformed or invalid verdict, with the mistakes that reproduce it. */
function mismatch(status: 'malformed' | 'invalid', body: Uint8Array, received: string, secret: string, expected: string): Signature {
  return { status, received, expected, diagnosis: diagnose(status, body, received, secret, Buffer.from(expected, 'hex')) };
}

/** The verdict for a body that was not checked (over --max-body): the header as sent, nothing computed. */
export function uncheckedSignature(received: string | null | undefined): Signature {
  checkReceived(received);
  return { status: 'unchecked', received: received ?? null, expected: null, diagnosis: [] };
}

function checkBody(body: unknown): asserts body is Uint8Array {
  if (!(body instanceof Uint8Array)) {
    throw new TypeError('[coreone-inspect] body must be a Uint8Array (a Buffer is one)');
  }
}

function checkReceived(received: unknown): asserts received is string | null | undefined {
  if (received != null && typeof received !== 'string') {
    throw new TypeError('[coreone-inspect] received must be a string, null or undefined');
  }
}
