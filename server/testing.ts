// `coreone-inspect/testing`: fixtures in the user's own test suite (../shared/SPEC.md
// "Package"). Load a fixture the listener saved, sign a body as CoreOne does, deliver a
// fixture to the app under test, with no HMAC code of the user's own. The package's
// "exports" map points here; its declarations come from tsconfig.testing.json.
//
//   import { deliver, loadFixture } from 'coreone-inspect/testing';
//   const fixture = await loadFixture('fixtures/accession/status_change-12-3f9a0c1b.json');
//   const { status } = await deliver(fixture, 'http://localhost:3000/webhooks', { secret });
import { recordedBodyBytes, sendWebhook } from './delivery/post.js';
import { computeSignature } from './signature/verify.js';
import { readFixture } from './store/fixtures.js';
import type { Signature } from './types.js';

export type { Signature } from './types.js';

export interface LoadedFixture {
  /** The X-Coreone-Webhook-Type it came with; null when it had none. */
  type: string | null;
  /** The request headers as received (names lower-case). */
  headers: Record<string, string>;
  /** The body, byte for byte as received. */
  body: Buffer;
  /** The listener's verdict on the hash it came with, and that hash (`received`). */
  signature: Signature;
}

/** How much of the app's reply `deliver` keeps: far more than a webhook handler answers. */
const REPLY_LIMIT = 1024 * 1024;

/** Reads and checks a fixture file; rejects with one sentence naming what is wrong with it. */
export async function loadFixture(path: string): Promise<LoadedFixture> {
  const fixture = await readFixture(path);
  return { type: fixture.type, headers: fixture.headers, body: recordedBodyBytes(fixture), signature: fixture.signature };
}

/** The X-Coreone-Webhook-Hash of a body: lower-case hex HMAC-SHA256 keyed with the secret. */
export function sign(body: Uint8Array | string, secret: string): string {
  return computeSignature(typeof body === 'string' ? Buffer.from(body, 'utf8') : body, secret);
}

/**
 * POSTs a fixture as CoreOne would: its body and type, signed afresh with `secret`.
 * Resolves with the app's status and reply body (its first MiB, as UTF-8), whatever the
 * status; rejects when no reply came (refused, timed out, reset).
 */
export async function deliver(
  fixture: Pick<LoadedFixture, 'type' | 'body'>,
  url: string | URL,
  options: { secret: string; timeoutMs?: number },
): Promise<{ status: number; body: string }> {
  const result = await sendWebhook({
    url: new URL(url),
    type: fixture.type,
    body: fixture.body,
    signing: { secret: options.secret },
    timeoutMs: options.timeoutMs,
    replyLimit: REPLY_LIMIT,
  });
  if (result.status === undefined) throw new Error(result.error ?? `No reply from ${result.url}.`);
  return { status: result.status, body: result.body ?? '' };
}
