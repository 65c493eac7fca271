// A small real WebSocket server that speaks the inspector stream protocol (SPEC.md
// "Inspector stream"), and synthetic events to feed it. The TUI tests and the TUI
// benchmark drive the real App through it without needing a whole listener.
import { createHash, createHmac, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { WEBHOOK_TYPES } from '../../server/catalogue/webhook-types.js';
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
    return `ws://127.0.0.1:${this.#port}/inspect?token=${this.token}`;
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

/** Signature fields for a body, as the listener would compute them with `secret`. */
function signatureFor(body: string, secret: string, status: SignatureStatus): WebhookEvent['signature'] {
  const expected = createHmac('sha256', secret).update(body).digest('hex');
  switch (status) {
    case 'valid':
      return { status, received: expected, expected, diagnosis: [] };
    case 'invalid':
      return {
        status,
        received: createHash('sha256').update(body).digest('hex'),
        expected,
        diagnosis: [{ code: 'unkeyed-digest', message: 'The hash is a plain SHA-256 of the body without the secret: sign with HMAC-SHA256 keyed by WebhookSecret.' }],
      };
    case 'missing':
      return { status, received: null, expected, diagnosis: [{ code: 'missing-header', message: 'No X-Coreone-Webhook-Hash header: check that CoreOne has a WebhookSecret set.' }] };
    case 'malformed':
      return { status, received: 'sha256=xyz', expected, diagnosis: [{ code: 'malformed-hash', message: 'The hash header is not a 64-digit hex digest: send the bare hex HMAC.' }] };
    case 'unchecked':
      return { status, received: null, expected: null, diagnosis: [] };
  }
}

export interface EventSpec {
  seq: number;
  type?: string | null;
  body?: string;
  status?: SignatureStatus;
  receivedAt?: Date;
  secret?: string;
}

/** One event record shaped as the listener produces it. */
export function makeEvent(spec: EventSpec): WebhookEvent {
  const type = spec.type === undefined ? 'accession/status_change' : spec.type;
  const body = spec.body ?? JSON.stringify({ id: spec.seq, status: 'Pending' });
  const status = spec.status ?? 'valid';
  const signature = signatureFor(body, spec.secret ?? 'test-secret', status);
  let json: WebhookEvent['json'];
  try {
    JSON.parse(body);
    json = { ok: true };
  } catch (error) {
    json = { ok: false, error: (error as Error).message };
  }
  const headers: Record<string, string> = {
    host: '127.0.0.1',
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    'user-agent': 'CoreOne-Webhooks',
  };
  if (type !== null) headers['x-coreone-webhook-type'] = type;
  if (signature.received !== null) headers['x-coreone-webhook-hash'] = signature.received;
  return {
    id: `evt-${spec.seq}-${randomUUID().slice(0, 8)}`,
    seq: spec.seq,
    receivedAt: (spec.receivedAt ?? new Date()).toISOString(),
    method: 'POST',
    path: '/',
    remoteAddress: '127.0.0.1',
    headers,
    type,
    knownType: type !== null && WEBHOOK_TYPES.some((t) => t.type === type),
    size: Buffer.byteLength(body),
    body,
    bodyEncoding: 'utf8',
    truncated: false,
    json,
    signature,
  };
}

const STATUSES: readonly SignatureStatus[] = ['valid', 'valid', 'valid', 'valid', 'invalid', 'missing', 'malformed', 'unchecked'];
const LAB_STATUSES = ['Pending', 'Received', 'In Progress', 'Reviewed', 'Finalized'];

/** A deterministic body of roughly `bytes` bytes for event `seq`. */
function sampleBody(seq: number, type: string, bytes: number): string {
  const tests = [];
  for (let i = 0; JSON.stringify(tests).length < bytes - 200; i++) {
    tests.push({ code: `T${(seq * 7 + i) % 997}`, name: `Panel ${i}`, result: (seq * 13 + i) % 5 === 0 ? null : (seq + i) % 100 });
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
 * 0.5-4 kB, one in 100 around 40 kB, a few non-JSON), as a busy session would hold.
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
