// Real parts for the fixture/send/replay/forward tests: a recording HTTP receiver on port
// 0, an HMAC computed by openssl (not by our code), and event records shaped like the
// listener's.
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySignature } from '../../server/signature/verify.js';
import type { WebhookEvent } from '../../server/types.js';

export interface ReceivedPost {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface Receiver {
  url: string;
  requests: ReceivedPost[];
  /** Resolves once `count` requests have arrived (fails after a deadline). */
  waitFor(count: number, deadlineMs?: number): Promise<void>;
  close(): Promise<void>;
}

export type Answer = (request: ReceivedPost, response: http.ServerResponse) => void;

/** An HTTP server on a free loopback port that records every request whole. */
export async function startReceiver(answer: Answer = (_r, res) => res.end('{"received":true}')): Promise<Receiver> {
  const requests: ReceivedPost[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const post = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      requests.push(post);
      answer(post, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    requests,
    waitFor: (count, deadlineMs = 5000) => until(() => requests.length >= count, deadlineMs, `${count} request(s)`),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Poll a condition every few milliseconds until it holds or the deadline passes. */
export async function until(condition: () => boolean, deadlineMs: number, what: string): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`Timed out after ${deadlineMs} ms waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A loopback port with nothing listening on it (taken from the OS, then released). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, input?: string | Buffer): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/** Hex HMAC-SHA256 of `bytes` keyed with `secret`, computed by openssl, not by our code. */
export async function opensslHmac(bytes: Uint8Array, secret: string): Promise<string> {
  const result = await run('openssl', ['dgst', '-sha256', '-hmac', secret], process.env, Buffer.from(bytes));
  const match = /([0-9a-f]{64})\s*$/.exec(result.stdout);
  if (result.code !== 0 || !match) throw new Error(`openssl failed: ${result.stderr || result.stdout}`);
  return match[1]!;
}

/** An event record as the listener builds it, for a body and headers chosen by the test. */
export function eventOf(
  body: Buffer,
  options: { type?: string | null; hash?: string | null; secret?: string | null; headers?: Record<string, string>; seq?: number; id?: string } = {},
): WebhookEvent {
  const type = options.type === undefined ? 'accession/status_change' : options.type;
  const hash = options.hash ?? null;
  const headers: Record<string, string> = {
    host: 'example.loca.lt',
    'content-type': 'application/json',
    'content-length': String(body.length),
    ...(type === null ? {} : { 'x-coreone-webhook-type': type }),
    ...(hash === null ? {} : { 'x-coreone-webhook-hash': hash }),
    ...options.headers,
  };
  const utf8 = Buffer.from(body.toString('utf8'), 'utf8').equals(body);
  return {
    id: options.id ?? '3f9a0c1be27d4456',
    seq: options.seq ?? 7,
    receivedAt: '2026-11-28T14:02:38.123Z',
    method: 'POST',
    path: '/',
    remoteAddress: '127.0.0.1',
    headers,
    type,
    knownType: type === 'accession/status_change',
    size: body.length,
    body: body.toString(utf8 ? 'utf8' : 'base64'),
    bodyEncoding: utf8 ? 'utf8' : 'base64',
    truncated: false,
    json: { ok: true },
    signature: verifySignature(body, hash, options.secret ?? null),
  };
}
