// `--forward-to <url>`: deliver a received event to the developer's app as it arrived —
// the body byte for byte and the sender's headers — so the app sees what CoreOne sent and
// can check the same hash. The result is a ForwardRecord value; an app that is down, slow
// or failing is a normal result, never an exception.
import type { ForwardRecord, WebhookEvent } from '../types.js';
import { DEFAULT_TIMEOUT_MS } from '../defaults.js';
import { postBytes, recordedBodyBytes } from './post.js';
import { parseTargetUrl } from './target-url.js';
import { errorMessage } from '../error-message.js';

/**
 * Headers that describe the connection to the listener, not the message (RFC 9110 7.6.1),
 * plus those the new request sets itself: host (the app's), content-length (recomputed
 * from the body), and expect (the listener already took the body, so there is nothing to
 * continue).
 */
const DROPPED = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'host',
  'content-length',
  'expect',
]);

/** The event's headers minus hop-by-hop ones, including any the Connection header names. */
export function forwardHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const namedByConnection = new Set(
    (headers['connection'] ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean),
  );
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (DROPPED.has(lower) || lower.startsWith('proxy-') || namedByConnection.has(lower)) continue;
    out[lower] = value;
  }
  return out;
}

export interface ForwarderOptions {
  /** Where events go; an unusable URL throws a TypeError with one sentence here, at set-up. */
  url: string;
  /** Per delivery, connection to the end of the reply. */
  timeoutMs?: number;
  /** Deliveries in flight at once; more wait their turn, in arrival order. */
  maxConcurrent?: number;
  /** Deliveries waiting for a turn; beyond this an event is not forwarded (its record says so). */
  maxQueued?: number;
}

export const DEFAULT_MAX_CONCURRENT = 4;
export const DEFAULT_MAX_QUEUED = 1000;

export interface Forwarder {
  readonly url: string;
  /** Deliver one event; resolves with its ForwardRecord, never rejects. */
  deliver(event: WebhookEvent): Promise<ForwardRecord>;
}

/**
 * A 4xx to an event this tool found correctly signed: the app's own check is what is
 * wrong (the usual case in real use, where CoreOne signs right), so it is flagged.
 */
function rejectedValid(event: WebhookEvent, status: number | undefined): boolean {
  return event.signature.status === 'valid' && status !== undefined && status >= 400 && status < 500;
}

export function createForwarder(options: ForwarderOptions): Forwarder {
  const target = parseTargetUrl(options.url);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxConcurrent = options.maxConcurrent ?? DEFAULT_MAX_CONCURRENT;
  const maxQueued = options.maxQueued ?? DEFAULT_MAX_QUEUED;
  // A slow app must not turn a burst of events into thousands of open sockets, so
  // deliveries take turns; the queue is bounded so a flood cannot grow memory either.
  let active = 0;
  const waiting: Array<() => void> = [];
  const turn = (): Promise<void> | null => {
    if (active < maxConcurrent) {
      active++;
      return Promise.resolve();
    }
    if (waiting.length >= maxQueued) return null;
    return new Promise((resolve) => waiting.push(resolve));
  };
  const done = () => {
    const next = waiting.shift();
    if (next) next(); // the slot passes straight to the next in line
    else active--;
  };
  return {
    url: target.href,
    async deliver(event) {
      const base = { kind: 'forward' as const, id: event.id, url: target.href };
      if (event.truncated) {
        // Only headers were kept; sending an empty body would hand the app a fake event.
        return { ...base, error: 'The event was over --max-body, so its body was not kept and it was not forwarded.' };
      }
      const wait = turn();
      if (wait === null) {
        return { ...base, error: `${maxQueued} events are already waiting for ${target.host}, so this one was not forwarded.` };
      }
      await wait;
      try {
        const result = await postBytes(target, forwardHeaders(event.headers), recordedBodyBytes(event), { timeoutMs });
        return { ...base, ...result, ...(rejectedValid(event, result.status) ? { rejectedValid: true as const } : {}) };
      } catch (error) {
        // postBytes never rejects, but a malformed event record (no headers, a body that is
        // not a string) would throw while building the request: still a record, not a crash.
        return { ...base, error: `Forwarding failed: ${errorMessage(error)}` };
      } finally {
        done();
      }
    },
  };
}
