// What `send` and `replay` share once they run: how a delivery is signed, how its reply
// is printed, and how warnings are said. Loaded only by their jobs (send/job.ts,
// replay/job.ts), never by `--help`.
import { STATUS_CODES } from 'node:http';
import { REPLY_START_BYTES, type DeliveryResult, type Signing } from '../../server/delivery/post.js';
import type { DeliveryOptions } from './send/options.js';
import { UsageError, warn } from '../errors.js';
import type { Io } from '../io.js';
import { safeText } from '../output/terminal-text.js';
import { resolveSecret, SECRET_ENV } from '../options/secret.js';

/** Sign with the secret, or send unsigned when asked; no secret and no --unsigned is bad usage. */
export function signingFor(options: DeliveryOptions, io: Pick<Io, 'stderr' | 'env'>, alternative = ''): Signing {
  if (options.unsigned) return { hash: null };
  const secret = resolveSecret(options, (message) => warn(io.stderr, message), io.env);
  if (secret === null) {
    throw new UsageError(
      `No secret to sign with: give --secret-file, --secret or ${SECRET_ENV}, or --unsigned to send without a hash${alternative}.`,
    );
  }
  return { secret };
}

export function signingLabel(signing: Signing): string {
  if ('secret' in signing) return 'signed with the secret';
  return signing.hash === null ? 'unsigned' : 'with the recorded hash';
}

export function delivered(result: DeliveryResult): boolean {
  return result.error === undefined && result.status !== undefined && result.status >= 200 && result.status < 300;
}

/** Most lines of the reply body shown; the rest is cut (the body is already at most REPLY_START_BYTES). */
const MAX_REPLY_LINES = 12;

/**
 * The reply as the terminal shows it: status and time, then the start of the body
 * indented; or why there was no reply. The body came from the app, so control
 * characters are shown as escapes.
 */
export function formatDelivery(result: DeliveryResult): string {
  const lines: string[] = [];
  if (result.status !== undefined) {
    lines.push(`← ${result.status} ${STATUS_CODES[result.status] ?? ''}`.trimEnd() + ` in ${result.ms} ms`);
  } else {
    lines.push(`← no reply after ${result.ms} ms`);
  }
  if (result.body) {
    const bodyLines = result.body.split(/\r?\n/);
    const cut = bodyLines.length > MAX_REPLY_LINES || Buffer.byteLength(result.body) >= REPLY_START_BYTES - 3;
    for (const line of bodyLines.slice(0, MAX_REPLY_LINES)) lines.push(`  ${safeText(line)}`);
    if (cut) lines.push('  … (start of the reply only)');
  }
  if (result.error !== undefined) lines.push(`  ${result.error}`);
  return `${lines.join('\n')}\n`;
}

export function isJson(body: Buffer): boolean {
  try {
    JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
    return true;
  } catch {
    return false;
  }
}
