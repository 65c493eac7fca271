// The TUI's one connection to the inspector stream: a `ws` client that reconnects by
// itself with backoff and hands messages over in batches, at most one batch per frame,
// so a burst of events costs a few redraws rather than one per event.
import WebSocket from 'ws';
import type { ClientMessage, InspectorMessage } from '../../server/types.js';
import type { ConnectionState } from './model/state.js';

export interface StreamHandlers {
  onMessages(messages: InspectorMessage[]): void;
  onState(state: ConnectionState): void;
}

export interface StreamOptions {
  /** Shortest gap between two batches handed over (one frame). */
  batchMs?: number;
  /** Reconnect delays: the first, doubled on each failure up to the last. */
  retryMinMs?: number;
  retryMaxMs?: number;
  /**
   * Where the stream is now, asked before each reconnection: a restarted inspector has a
   * new port and token (attach without a URL reads them from inspector.json). Null: keep
   * trying the URL it had.
   */
  refreshUrl?: () => Promise<string | null>;
}

/** One sentence for why the stream is down. */
export function describeStreamError(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED') return 'connection refused: is the listener running?';
  if (code === 'ECONNRESET') return 'the connection was reset';
  const status = /Unexpected server response: (\d+)/.exec(error.message)?.[1];
  // Each run of the inspector makes its own token: the likely cause is a restart.
  if (status === '401') return 'token refused (HTTP 401): a restarted inspector has a new URL';
  if (status) return `the listener answered HTTP ${status} instead of a WebSocket`;
  return error.message;
}

function isMessage(value: unknown): value is InspectorMessage {
  return typeof value === 'object' && value !== null && typeof (value as { kind?: unknown }).kind === 'string';
}

export class StreamConnection {
  #url: string;
  /** The URL changed since the last connection: the next one is to a restarted inspector. */
  #restarted = false;
  readonly #refreshUrl: (() => Promise<string | null>) | undefined;
  readonly #handlers: StreamHandlers;
  readonly #batchMs: number;
  readonly #retryMinMs: number;
  readonly #retryMaxMs: number;
  #socket: WebSocket | null = null;
  #queue: InspectorMessage[] = [];
  #flushTimer: NodeJS.Timeout | null = null;
  #lastFlush = 0;
  #retryTimer: NodeJS.Timeout | null = null;
  #retryMs: number;
  #closed = false;

  constructor(url: string, handlers: StreamHandlers, options: StreamOptions = {}) {
    this.#url = url;
    this.#handlers = handlers;
    this.#batchMs = options.batchMs ?? 33;
    this.#retryMinMs = options.retryMinMs ?? 250;
    this.#retryMaxMs = options.retryMaxMs ?? 4000;
    this.#retryMs = this.#retryMinMs;
    this.#refreshUrl = options.refreshUrl;
  }

  start(): void {
    if (this.#closed || this.#socket) return;
    this.#handlers.onState({ status: 'connecting' });
    const socket = new WebSocket(this.#url, { handshakeTimeout: 5000 });
    this.#socket = socket;
    let failure = 'the listener closed the stream';
    socket.on('open', () => {
      this.#retryMs = this.#retryMinMs;
      this.#handlers.onState(this.#restarted ? { status: 'open', restarted: true } : { status: 'open' });
    });
    socket.on('message', (data) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(data.toString());
      } catch {
        return; // not ours to show; the stream carries JSON only
      }
      if (isMessage(parsed)) this.#enqueue(parsed);
    });
    socket.on('error', (error) => {
      failure = describeStreamError(error);
    });
    socket.on('close', (_code, reason) => {
      // The listener says why it dropped a client (e.g. one that stopped reading).
      if (reason.length > 0) failure = reason.toString();
      this.#socket = null;
      this.#flush();
      if (this.#closed) return;
      const retryInMs = this.#retryMs;
      this.#retryMs = Math.min(this.#retryMaxMs, this.#retryMs * 2);
      this.#handlers.onState({ status: 'reconnecting', retryInMs, reason: failure });
      this.#retryTimer = setTimeout(() => {
        this.#retryTimer = null;
        void this.#refresh().then(() => this.start());
      }, retryInMs);
    });
  }

  /** Sends a client message; false when the stream is not open. */
  send(message: ClientMessage): boolean {
    if (this.#socket?.readyState !== WebSocket.OPEN) return false;
    this.#socket.send(JSON.stringify(message));
    return true;
  }

  /** Stops for good; safe to call twice. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    if (this.#flushTimer) clearTimeout(this.#flushTimer);
    this.#retryTimer = this.#flushTimer = null;
    this.#queue = [];
    this.#socket?.terminate();
    this.#socket = null;
  }

  async #refresh(): Promise<void> {
    const url = await this.#refreshUrl?.().catch(() => null);
    if (!url || url === this.#url) return;
    this.#url = url;
    this.#restarted = true;
  }

  #enqueue(message: InspectorMessage): void {
    this.#queue.push(message);
    if (this.#flushTimer) return;
    const wait = Math.max(0, this.#lastFlush + this.#batchMs - performance.now());
    this.#flushTimer = setTimeout(() => this.#flush(), wait);
  }

  #flush(): void {
    if (this.#flushTimer) clearTimeout(this.#flushTimer);
    this.#flushTimer = null;
    if (this.#queue.length === 0) return;
    const batch = this.#queue;
    this.#queue = [];
    this.#lastFlush = performance.now();
    this.#handlers.onMessages(batch);
  }
}
