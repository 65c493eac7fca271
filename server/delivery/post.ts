// The one place that POSTs a webhook somewhere: `send`, `replay`, `--forward-to` and the
// TUI's "send a test" all come through here, so they sign, time, bound and describe
// failures the same way. Nothing here throws for a delivery problem: an app that is down,
// slow or answering 500 is a normal result, returned as a value for the caller to show.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { HASH_HEADER, TYPE_HEADER } from '../record/summarize.js';
import { computeSignature } from '../signature/verify.js';
import { DEFAULT_TIMEOUT_MS } from '../defaults.js';
import { errorMessage } from '../error-message.js';

/** How much of the reply body is kept: enough to recognise an error page or a JSON answer. */
export const REPLY_START_BYTES = 1024;

/** What happened to one POST: a status (any status, 500 included) or an error sentence. */
export interface DeliveryResult {
  url: string;
  /** The reply's HTTP status, when one arrived. */
  status?: number;
  /** Milliseconds from the start of the request to the end of the reply, or to the failure. */
  ms: number;
  /** The start of the reply body (at most REPLY_START_BYTES bytes, decoded as UTF-8). */
  body?: string;
  /** One sentence when no complete reply arrived: refused, timeout, DNS, reset... */
  error?: string;
}

export interface PostOptions {
  timeoutMs?: number;
  replyLimit?: number;
}

/** A body as recorded in an event or fixture (`body` + `bodyEncoding`), back to its bytes. */
export function recordedBodyBytes(recorded: { body: string; bodyEncoding: 'utf8' | 'base64' }): Buffer {
  return Buffer.from(recorded.body, recorded.bodyEncoding);
}

/** How the X-Coreone-Webhook-Hash header is obtained: computed with a secret, or given as is (null: none). */
export type Signing = { secret: string } | { hash: string | null };

export interface WebhookDelivery extends PostOptions {
  url: URL;
  /** The X-Coreone-Webhook-Type header; null sends none (an event that arrived without one). */
  type: string | null;
  body: Uint8Array;
  signing: Signing;
}

/** The headers CoreOne sends, as `send` and `replay` send them. */
export function webhookHeaders(type: string | null, hash: string | null): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (type !== null) headers[TYPE_HEADER] = type;
  if (hash !== null) headers[HASH_HEADER] = hash;
  return headers;
}

/** The hash a delivery will carry. */
export function hashFor(body: Uint8Array, signing: Signing): string | null {
  return 'secret' in signing ? computeSignature(body, signing.secret) : signing.hash;
}

/** Sign (or not) and POST a webhook the way CoreOne does. */
export function sendWebhook(delivery: WebhookDelivery): Promise<DeliveryResult> {
  const headers = webhookHeaders(delivery.type, hashFor(delivery.body, delivery.signing));
  return postBytes(delivery.url, headers, delivery.body, delivery);
}

/**
 * POST `body` byte for byte with exactly `headers` (plus content-length, host and
 * connection, which node:http owns). Resolves with a DeliveryResult; never rejects.
 */
export async function postBytes(
  url: URL,
  headers: Record<string, string>,
  body: Uint8Array,
  options: PostOptions = {},
): Promise<DeliveryResult> {
  // node:https (and TLS with it) costs tens of milliseconds to load: only for https targets.
  const client = url.protocol === 'https:' ? (await import('node:https')).default : http;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const replyLimit = options.replyLimit ?? REPLY_START_BYTES;
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    let status: number | undefined;
    const kept: Buffer[] = [];
    let keptBytes = 0;
    const replyStart = () => new TextDecoder().decode(Buffer.concat(kept), { stream: true });
    const finish = (outcome: { status?: number; body?: string; error?: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ url: url.href, ms: Math.round(performance.now() - started), ...outcome });
    };

    let request: http.ClientRequest | undefined;
    const timer = setTimeout(() => {
      const error =
        status === undefined
          ? `No reply from ${url.host} within ${timeoutMs} ms (timeout).`
          : `The reply from ${url.host} did not finish within ${timeoutMs} ms (timeout).`;
      finish(status === undefined ? { error } : { status, body: replyStart(), error });
      request?.destroy();
    }, timeoutMs);

    try {
      // agent: false — one fresh connection per delivery: no stale kept-alive socket to be
      // reset under us, and nothing left open that would keep a CLI process alive.
      request = client.request(url, {
        method: 'POST',
        agent: false,
        headers: { ...headers, 'content-length': String(body.byteLength) },
      });
    } catch (error) {
      // Header names or values node:http refuses to put on the wire.
      finish({ error: `The request to ${url.host} could not be built: ${messageOf(error)}` });
      return;
    }
    request.on('error', (error) => finish({ status, error: describeNetworkError(error, url) }));
    request.on('response', (response) => {
      status = response.statusCode;
      response.on('data', (chunk: Buffer) => {
        if (keptBytes >= replyLimit) return; // keep reading to the end, keep only the start
        const part = chunk.subarray(0, replyLimit - keptBytes);
        kept.push(part);
        keptBytes += part.length;
      });
      response.on('end', () => finish({ status, body: replyStart() }));
      response.on('error', (error) => finish({ status, body: replyStart(), error: describeNetworkError(error, url) }));
      // A reply cut off mid-body may close without an 'error'; it is still not a full reply.
      response.on('close', () => {
        if (!response.complete) finish({ status, body: replyStart(), error: describeNetworkError({ code: 'ECONNRESET' }, url) });
      });
    });
    request.end(body);
  });
}

function messageOf(error: unknown): string {
  const text = errorMessage(error);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** One sentence for a failed delivery, naming the kind of failure the way people search for it. */
export function describeNetworkError(error: unknown, url: URL): string {
  const code = (error as { code?: unknown }).code;
  const host = url.host;
  switch (code) {
    case 'ECONNREFUSED':
      return `Connection refused by ${host}: nothing is listening there (is the app running?).`;
    case 'ENOTFOUND':
      return `DNS lookup failed for ${url.hostname}: no such host.`;
    case 'EAI_AGAIN':
      return `DNS lookup for ${url.hostname} failed for now (EAI_AGAIN): check the name and the network.`;
    case 'ECONNRESET':
    case 'EPIPE':
      return `The connection to ${host} was reset before a complete reply.`;
    case 'ETIMEDOUT':
      return `Connecting to ${host} timed out.`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${host} is unreachable from here (${code}).`;
  }
  if (typeof code === 'string' && code.startsWith('HPE_')) {
    return `${host} answered with something that is not valid HTTP (${code}).`;
  }
  if (typeof code === 'string' && /CERT|TLS|SSL/.test(code)) {
    return `The TLS handshake with ${host} failed: ${messageOf(error)}`;
  }
  return `Delivery to ${host} failed: ${messageOf(error)}`;
}
