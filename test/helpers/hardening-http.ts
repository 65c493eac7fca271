// The hardened listener that the HTTP bad-input suites share: the real CLI started with a
// small --max-body and a short --request-timeout, a check after each test that it is alive
// and logged a normal POST, and a last check that every POST that reached it is in the log.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookEvent } from '../../server/types.js';
import { loggedEvents, postSigned, startListening, STACK_TRACE, type Listening } from './hardening-listener.js';
import { rawRequest, sign } from './raw-http.js';
import { waitFor } from './wait.js';

export const SECRET = 'hardening-http-secret-7Qp';
export const TYPE = 'accession/status_change';
export const MAX_BODY = 4096;
/** Short, so stalled senders are cut off quickly (the headers deadline follows it). */
export const REQUEST_TIMEOUT_MS = 1000;

export interface HardenedListener {
  l: Listening;
  /** POSTs that reached the listener, the normal ones of afterEach included: each must be logged. */
  reached: number;
  /** The one logged event with this path (paths are unique per test). */
  eventAt(path: string): Promise<WebhookEvent>;
  /** Sends raw bytes on a new connection; the answer is everything until the server closes it. */
  send(bytes: string | Buffer): Promise<string>;
}

/** Starts the listener for the calling test file, with its per-test and final checks. */
export function useHardenedListener(): HardenedListener {
  const s: HardenedListener = {
    l: undefined as unknown as Listening,
    reached: 0,
    eventAt: (path) =>
      waitFor(
        async () => {
          const found = (await loggedEvents(s.l.logPath)).filter((e) => e.path === path);
          if (found.length > 1) throw new Error(`${found.length} events logged for ${path}, expected one`);
          return found[0];
        },
        { what: `the event for ${path} in the log` },
      ),
    send: (bytes) => rawRequest(s.l.port, bytes),
  };

  beforeAll(async () => {
    s.l = await startListening(['--secret', SECRET, '--max-body', String(MAX_BODY), '--request-timeout', String(REQUEST_TIMEOUT_MS)]);
  });
  afterAll(async () => {
    await s.l.dispose();
  });

  afterEach(async () => {
    // The process is alive and serving after each kind of bad input.
    const body = '{"check":"alive"}';
    const { status, id } = await postSigned(s.l.webhookUrl, body, SECRET, { path: '/alive' });
    s.reached++;
    expect(status).toBe(200);
    expect((await loggedEvents(s.l.logPath)).some((e) => e.id === id)).toBe(true);
    expect(s.l.cli.stderr()).not.toMatch(STACK_TRACE);
  });
  return s;
}

/** The last describe of a suite: every POST that reached the listener is in the log and on stdout. */
export function describeAfterwards(s: HardenedListener): void {
  describe('afterwards', () => {
    it('has every POST that reached the listener in the log file and on stdout, and wrote nothing to stderr', async () => {
      const logged = await loggedEvents(s.l.logPath);
      expect(logged).toHaveLength(s.reached);
      await waitFor(() => s.l.cli.records().filter((r) => r.kind === 'event').length === s.reached, { what: `${s.reached} event records on stdout` });
      expect(new Set(logged.map((e) => e.id)).size).toBe(s.reached);
      expect(s.l.cli.stderr()).toBe('');
      expect(s.l.cli.child.exitCode).toBeNull();
    });
  });
}

export const signedHeaders = (body: string | Buffer, type = TYPE): Record<string, string> => ({
  'X-Coreone-Webhook-Type': type,
  'X-Coreone-Webhook-Hash': sign(body, SECRET),
});

/** The JSON body of the first response in a raw answer. */
export function replyOf(answer: string): Record<string, unknown> {
  return JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>;
}

export function head(path: string, headers: string[], protocol = 'HTTP/1.1'): string {
  return [`POST ${path} ${protocol}`, 'Host: localhost', ...headers].join('\r\n') + '\r\n\r\n';
}

export function headerLines(headers: Record<string, string>): string[] {
  return Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
}
