// The request bodies and headers the benchmarks send: a CoreOne-like JSON event padded
// with result rows to an exact size, signed the way each server under test verifies it.
import { createHmac, randomUUID } from 'node:crypto';
import { sampleBody } from '../../server/catalogue/samples.js';
import { HASH_HEADER, TYPE_HEADER } from '../../server/record/summarize.js';

export type ServerKind = 'listener' | 'bare' | 'octokit';

export const SECRET = 'bench-secret-7f3a9c2e51d04b68';
/** octokit's default middleware path; our listener and the bare server accept any path. */
export const WEBHOOK_PATH = '/api/github/webhooks';
export const EVENT_TYPE = 'accession/status_change';

/** Where a latency probe's send time goes: a fixed-width field, so the size never changes. */
export const STAMP_FIELD = 'sentAtNs';
const STAMP_WIDTH = 20;

/**
 * A JSON object of exactly `size` bytes: a catalogue sample plus result rows (many small
 * objects, as real lab results are, so parsing costs what real bodies cost).
 */
export function jsonBody(size: number, stamped = false): Buffer {
  const event = JSON.parse(sampleBody(EVENT_TYPE)!.toString('utf8')) as Record<string, unknown>;
  if (stamped) event[STAMP_FIELD] = '0'.repeat(STAMP_WIDTH);
  const results: unknown[] = [];
  event.results = results;
  event.note = '';
  const length = (): number => Buffer.byteLength(JSON.stringify(event));
  for (let row = 1; length() < size - 200; row++) {
    results.push({
      test_code: `BAC-${1000 + (row % 97)}`,
      analyte: row % 2 ? 'Salmonella spp.' : 'E. coli O157:H7',
      value: (row * 7.31) % 100,
      units: 'CFU/mL',
      flag: row % 5 === 0 ? 'H' : null,
      reported_at: '2026-11-28T16:19:41Z',
    });
  }
  const missing = size - length();
  if (missing < 0) throw new Error(`A ${size}-byte body is too small for the sample event.`);
  event.note = 'x'.repeat(missing);
  const text = JSON.stringify(event);
  if (Buffer.byteLength(text) !== size) throw new Error('jsonBody: size arithmetic is wrong');
  return Buffer.from(text, 'utf8');
}

/** Writes the send time (process.hrtime, the same monotonic clock in every process here). */
export function stampBody(body: Buffer, nanoseconds: bigint): void {
  const marker = Buffer.from(`"${STAMP_FIELD}":"`);
  const at = body.indexOf(marker) + marker.length;
  body.write(nanoseconds.toString().padStart(STAMP_WIDTH, '0'), at, 'latin1');
}

export function readStamp(body: string): bigint | null {
  const marker = `"${STAMP_FIELD}":"`;
  const at = body.indexOf(marker);
  return at === -1 ? null : BigInt(body.slice(at + marker.length, at + marker.length + STAMP_WIDTH));
}

/** The headers with which `kind` accepts `body` as genuine. */
export function signedHeaders(kind: ServerKind, body: Buffer): Record<string, string> {
  const hex = createHmac('sha256', SECRET).update(body).digest('hex');
  if (kind === 'octokit') {
    return {
      'content-type': 'application/json',
      'x-github-event': 'push',
      'x-github-delivery': randomUUID(),
      'x-hub-signature-256': `sha256=${hex}`,
    };
  }
  return { 'content-type': 'application/json', [TYPE_HEADER]: EVENT_TYPE, [HASH_HEADER]: hex };
}
