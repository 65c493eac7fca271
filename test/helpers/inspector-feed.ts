// A small real WebSocket server that speaks the inspector stream protocol (SPEC.md
// "Inspector stream"), and events to feed it, made by the listener's own record code. The
// TUI tests and the TUI benchmark drive the real App through it without a whole listener.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { WEBHOOK_TYPES } from '../../server/catalogue/webhook-types.js';
import { HASH_HEADER, newEventId, summarizeRequest, TYPE_HEADER, withBody, type ReceivedRequest } from '../../server/record/summarize.js';
import { computeSignature } from '../../server/signature/verify.js';
import type { ClientMessage, HelloMessage, InspectorMessage, SignatureStatus, WebhookEvent } from '../../server/types.js';

export interface FeedOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  hello?: Partial<Omit<HelloMessage, 'kind'>>;
  history?: WebhookEvent[];
}

export class InspectorFeed {
  readonly token = randomUUID();
  readonly history: WebhookEvent[];
  /** What clients sent (save, replay, send requests), oldest first. */
  readonly received: ClientMessage[] = [];
  #hello: HelloMessage;
  #server: WebSocketServer | null = null;
  #port: number;
  readonly #clients = new Set<WebSocket>();
  readonly #waiters: (() => void)[] = [];

  private constructor(options: FeedOptions) {
    this.#port = options.port ?? 0;
    this.history = options.history ?? [];
    this.#hello = {
      kind: 'hello',
      version: '0.0.0-test',
      webhookUrl: 'http://127.0.0.1:9/',
      tunnelUrl: null,
      secret: { length: 24, fingerprint: 'a1b2c3' },
      tunnel: null,
      logPath: '/tmp/coreone-inspect-test.ndjson',
      historyLimit: 1000,
      ...options.hello,
    };
  }

  static async start(options: FeedOptions = {}): Promise<InspectorFeed> {
    const feed = new InspectorFeed(options);
    await feed.listen();
    return feed;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.#port}/stream?token=${this.token}`;
  }

  get clientCount(): number {
    return this.#clients.size;
  }

  /** (Re)starts listening on the same port, as a restarted listener would. */
  async listen(): Promise<void> {
    const server = new WebSocketServer({
      host: '127.0.0.1',
      port: this.#port,
      verifyClient: ({ req }: { req: IncomingMessage }) => new URL(req.url ?? '/', 'http://x').searchParams.get('token') === this.token,
    });
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    this.#port = (server.address() as AddressInfo).port;
    this.#server = server;
    server.on('connection', (socket) => {
      this.#clients.add(socket);
      socket.on('close', () => this.#clients.delete(socket));
      socket.on('message', (data) => this.received.push(JSON.parse(String(data)) as ClientMessage));
      socket.send(JSON.stringify(this.#hello));
      for (const event of this.history) socket.send(JSON.stringify({ kind: 'event', event }));
      socket.send(JSON.stringify({ kind: 'history-end', count: this.history.length }));
      for (const wake of this.#waiters.splice(0)) wake();
    });
  }

  /** Resolves once at least `n` clients are connected. */
  async waitForClients(n = 1): Promise<void> {
    while (this.#clients.size < n) await new Promise<void>((resolve) => this.#waiters.push(resolve));
  }

  send(message: InspectorMessage): void {
    const text = JSON.stringify(message);
    for (const socket of this.#clients) socket.send(text);
  }

  /** Records an event in the history and sends it live. */
  publish(event: WebhookEvent): void {
    this.history.push(event);
    this.send({ kind: 'event', event });
  }

  /** Stops listening and drops every client (a listener that went away). */
  async close(): Promise<void> {
    for (const socket of this.#clients) socket.terminate();
    this.#clients.clear();
    const server = this.#server;
    this.#server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** The hash header a sender would put on `body` for each verdict; null leaves it out. */
function hashHeader(body: Buffer, status: SignatureStatus, secret: string): string | null {
  switch (status) {
    case 'valid':
    case 'unchecked': // signed right, but the listener holds no secret to check it with
      return computeSignature(body, secret);
    case 'invalid': // another secret: the diagnosis finds no known mistake (no-match)
      return computeSignature(body, `other-${secret}`);
    case 'malformed':
      return 'sha256=not-hex';
    case 'missing':
      return null;
  }
}

export interface EventSpec {
  seq: number;
  /** The X-Coreone-Webhook-Type header; null leaves it out. */
  type?: string | null;
  body?: string;
  status?: SignatureStatus;
  receivedAt?: Date;
  /** The listener's secret (default 'test-secret'); an `unchecked` event's listener has none. */
  secret?: string;
}

/**
 * One event exactly as the listener records it: a request built from the spec goes
 * through the listener's own summarizeRequest and withBody, so the verdicts, diagnoses
 * and JSON checks are the real ones.
 */
export function makeEvent(spec: EventSpec): WebhookEvent {
  const type = spec.type === undefined ? 'accession/status_change' : spec.type;
  const body = Buffer.from(spec.body ?? JSON.stringify({ id: spec.seq, status: 'Pending' }));
  const status = spec.status ?? 'valid';
  const secret = spec.secret ?? 'test-secret';
  const headers: Record<string, string> = {
    host: '127.0.0.1',
    'content-type': 'application/json',
    'content-length': String(body.length),
    'user-agent': 'CoreOne-Webhooks',
  };
  if (type !== null) headers[TYPE_HEADER] = type;
  const hash = hashHeader(body, status, secret);
  if (hash !== null) headers[HASH_HEADER] = hash;
  const request: ReceivedRequest = {
    method: 'POST',
    path: '/',
    remoteAddress: '127.0.0.1',
    headers,
    body,
    size: body.length,
    truncated: false,
    responseStatus: 200,
  };
  const ids = { id: newEventId(), seq: spec.seq, receivedAt: spec.receivedAt?.getTime() ?? Date.now() };
  return withBody(summarizeRequest(request, ids, status === 'unchecked' ? null : secret), body);
}

const STATUSES: readonly SignatureStatus[] = ['valid', 'valid', 'valid', 'valid', 'invalid', 'missing', 'malformed', 'unchecked'];
const LAB_STATUSES = ['Pending', 'Received', 'In Progress', 'Reviewed', 'Finalized'];

/** A deterministic body of roughly `bytes` bytes for event `seq`. */
function sampleBody(seq: number, type: string, bytes: number): string {
  const tests = [];
  // The array's JSON length, kept as it grows: re-serializing the array each round made
  // the 10,000 events of bench/tui.ts take half a minute to build.
  for (let i = 0, length = '[]'.length; length < bytes - 200; i++) {
    const test = { code: `T${(seq * 7 + i) % 997}`, name: `Panel ${i}`, result: (seq * 13 + i) % 5 === 0 ? null : (seq + i) % 100 };
    tests.push(test);
    length += JSON.stringify(test).length + (i > 0 ? 1 : 0);
  }
  return JSON.stringify({
    id: 100000 + seq,
    event: type,
    accession: { number: `A-${2400 + (seq % 500)}`, status: LAB_STATUSES[seq % LAB_STATUSES.length], client: `Clinic ${seq % 40}` },
    tests,
    updated_at: new Date(Date.UTC(2024, 0, 1) + seq * 1000).toISOString(),
  });
}

/**
 * `n` events of mixed types (one in 50 of an unknown type), verdicts and sizes (mostly
 * 0.5-4 KiB, one in 100 around 40 KiB, a few non-JSON), as a busy session would hold.
 */
export function mixedEvents(n: number, firstSeq = 1): WebhookEvent[] {
  const out: WebhookEvent[] = [];
  for (let k = 0; k < n; k++) {
    const seq = firstSeq + k;
    const type = seq % 50 === 0 ? 'custom/unknown_thing' : (WEBHOOK_TYPES[seq % WEBHOOK_TYPES.length] as { type: string }).type;
    const bytes = seq % 100 === 0 ? 40_000 : 500 + ((seq * 37) % 3500);
    const body = seq % 97 === 0 ? `not json ${seq}` : sampleBody(seq, type, bytes);
    out.push(makeEvent({ seq, type, body, status: STATUSES[seq % STATUSES.length] }));
  }
  return out;
}
