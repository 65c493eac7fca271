// The start-up probe: one request through the public URL that must come back from our own
// listener. Contract with server/http/listener.ts: a GET carrying `x-coreone-inspect-probe:
// <nonce>` is answered `200` with body exactly `<nonce>` and is not recorded as an event.
// Anything else means the request did not reach us: typically a relay's interstitial or
// login page, which CoreOne's POSTs would get too.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { PROBE_HEADER } from '../http/listener.js';

/** Where the probe goes; tests send it to a loopback relay with the tunnel's Host header. */
export interface ProbeRoute {
  url: string;
  headers?: Record<string, string>;
}

export type ProbeResult =
  | { kind: 'ok' }
  /** Something answered, but not our listener. */
  | { kind: 'blocked'; status: number; html: boolean }
  /** Nothing answered: the check itself could not be made. */
  | { kind: 'unreachable'; reason: string };

/** Enough of a body to tell a nonce from a page; the rest is not read. */
const MAX_BODY = 64 * 1024;

export async function probeThrough(route: ProbeRoute, timeoutMs: number, signal: AbortSignal): Promise<ProbeResult> {
  const nonce = randomBytes(16).toString('hex');
  const target = new URL(route.url);
  // node:https costs start-up time on every command; only an https tunnel needs it.
  const client = target.protocol === 'https:' ? (await import('node:https')).default : http;
  return new Promise((resolve) => {
    // agent: false and `connection: close` so that no pooled socket outlives the probe.
    const request = client.request(target, {
      method: 'GET',
      agent: false,
      signal,
      headers: { ...route.headers, [PROBE_HEADER]: nonce, connection: 'close' },
    });
    const timer = setTimeout(() => request.destroy(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
    const finish = (result: ProbeResult): void => {
      clearTimeout(timer);
      resolve(result);
    };
    request.on('error', (error: NodeJS.ErrnoException) => finish({ kind: 'unreachable', reason: error.code === 'ENOTFOUND' ? 'host not found' : error.message }));
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const settle = (): void => {
        response.destroy();
        const body = Buffer.concat(chunks).toString('utf8');
        const html = /html/i.test(String(response.headers['content-type'] ?? '')) || /^\s*</.test(body);
        if (response.statusCode === 200 && body === nonce) finish({ kind: 'ok' });
        else finish({ kind: 'blocked', status: response.statusCode ?? 0, html });
      };
      response.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
        if (size >= MAX_BODY) settle();
      });
      response.on('end', settle);
      response.on('error', (error) => finish({ kind: 'unreachable', reason: error.message }));
    });
    request.end();
  });
}
