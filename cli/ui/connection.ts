// The client's one connection to the inspector stream, for the TUI and the web page alike:
// it reconnects by itself with backoff and hands messages over in batches, at most one
// batch per frame, so a burst of events costs a few redraws rather than one per event.
// The socket itself is opened by the caller (ws-socket.ts in Node, the browser's own
// WebSocket in the page), so this file runs in both.
import type { ClientMessage, InspectorMessage, StreamQuestion } from '../../server/types.js';
import type { ConnectionState, StreamMessage } from './model/state.js';

export interface StreamHandlers {
  onMessages(messages: StreamMessage[]): void;
  onState(state: ConnectionState): void;
}

/** What a socket tells the connection: text frames as text, anything else as null. */
export interface SocketEvents {
  open(): void;
  message(text: string | null): void;
  /** Why it failed, in one sentence, before `close`. */
  error(reason: string): void;
  /** The close frame's reason, or '' when there was none. */
  close(reason: string): void;
}

export interface SocketControl {
  /** Sends a text frame; false when the socket is not open. */
  send(text: string): boolean;
  close(): void;
}

/** Opens a WebSocket to the URL and reports its events. */
export type OpenSocket = (url: string, events: SocketEvents) => SocketControl;

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
  /**
   * The order of the history's bodies after its list: `after`, newest first, for a page
   * that holds them all and shows the newest first; `log`, oldest first, for the TUI, which
   * learns each body's drift as it comes (in log order, as drift is defined) and may then
   * let it go. Newest first unless told.
   */
  bodies?: 'after' | 'log';
}

/**
 * The stream URL asking for two extensions of SPEC.md's stream:
 * - `batch=1`: the history in frames of many messages (a browser takes far longer over ten
 *   thousand small frames than over a hundred large ones);
 * - `bodies=after` (or `bodies=log`): the history's events without their bodies, which
 *   follow history-end (server/types.ts BodyMessage), so the list is drawn before the bulk
 *   of the bytes is read.
 * A server that knows neither sends one whole event a frame, which reads the same.
 */
function withExtensions(url: string, bodies: 'after' | 'log'): string {
  return `${url}${url.includes('?') ? '&' : '?'}batch=1&bodies=${bodies}`;
}

function isMessage(value: unknown): value is InspectorMessage {
  return typeof value === 'object' && value !== null && typeof (value as { kind?: unknown }).kind === 'string';
}

/**
 * A history event of `bodies=after` has no body: it becomes a row, its body '' meanwhile
 * (the message was just parsed, so it is ours to change).
 */
function asStreamMessage(message: InspectorMessage): StreamMessage {
  if (message.kind !== 'event' || (message.event as { body?: string }).body !== undefined) return message;
  message.event.body = '';
  return { kind: 'row', event: message.event };
}

/** How often the count of history events received so far is reported while it arrives. */
const HISTORY_PROGRESS_MS = 250;

export class StreamConnection {
  #url: string;
  /** The URL changed since the last connection: the next one is to a restarted inspector. */
  #restarted = false;
  readonly #refreshUrl: (() => Promise<string | null>) | undefined;
  readonly #handlers: StreamHandlers;
  readonly #batchMs: number;
  readonly #retryMinMs: number;
  readonly #retryMaxMs: number;
  readonly #openSocket: OpenSocket;
  readonly #bodies: 'after' | 'log';
  #socket: SocketControl | null = null;
  #queue: StreamMessage[] = [];
  #flushTimer: ReturnType<typeof setTimeout> | null = null;
  #progressTimer: ReturnType<typeof setTimeout> | null = null;
  /** The state reported on open, which progress reports repeat. */
  #open: Extract<ConnectionState, { status: 'open' }> = { status: 'open' };
  /** History events received since hello. */
  #received = 0;
  #lastFlush = 0;
  #retryTimer: ReturnType<typeof setTimeout> | null = null;
  #retryMs: number;
  #closed = false;
  /** Between hello and history-end: the history is arriving. */
  #inHistory = false;

  constructor(url: string, openSocket: OpenSocket, handlers: StreamHandlers, options: StreamOptions = {}) {
    this.#url = url;
    this.#openSocket = openSocket;
    this.#handlers = handlers;
    this.#batchMs = options.batchMs ?? 33;
    this.#retryMinMs = options.retryMinMs ?? 250;
    this.#retryMaxMs = options.retryMaxMs ?? 4000;
    this.#retryMs = this.#retryMinMs;
    this.#refreshUrl = options.refreshUrl;
    this.#bodies = options.bodies ?? 'after';
  }

  start(): void {
    if (this.#closed || this.#socket) return;
    this.#handlers.onState({ status: 'connecting' });
    let failure = 'the listener closed the stream';
    this.#socket = this.#openSocket(withExtensions(this.#url, this.#bodies), {
      open: () => {
        this.#retryMs = this.#retryMinMs;
        this.#open = this.#restarted ? { status: 'open', restarted: true } : { status: 'open' };
        this.#handlers.onState(this.#open);
      },
      message: (text) => {
        // A batched frame (withExtensions() above) holds several messages, one a line: JSON text
        // never holds a raw newline, so a line is always one whole message.
        for (const line of (text ?? '').split('\n')) {
          let parsed: unknown;
          try {
            parsed = JSON.parse(line);
          } catch {
            continue; // not ours to show; the stream carries JSON only
          }
          if (isMessage(parsed)) this.#enqueue(asStreamMessage(parsed));
        }
      },
      error: (reason) => {
        failure = reason;
      },
      close: (reason) => {
        // The listener says why it dropped a client (e.g. one that stopped reading).
        if (reason.length > 0) failure = reason;
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
      },
    });
  }

  /** Sends a client message or a question; false when the stream is not open. */
  send(message: ClientMessage | StreamQuestion): boolean {
    return this.#socket?.send(JSON.stringify(message)) ?? false;
  }

  /** Stops for good; safe to call twice. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    if (this.#flushTimer) clearTimeout(this.#flushTimer);
    if (this.#progressTimer) clearTimeout(this.#progressTimer);
    this.#retryTimer = this.#flushTimer = this.#progressTimer = null;
    this.#queue = [];
    this.#socket?.close();
    this.#socket = null;
  }

  async #refresh(): Promise<void> {
    const url = await this.#refreshUrl?.().catch(() => null);
    if (!url || url === this.#url) return;
    this.#url = url;
    this.#restarted = true;
  }

  #enqueue(message: StreamMessage): void {
    this.#queue.push(message);
    // The history comes at once after hello, and is handed over whole the moment
    // history-end arrives: each hand-over on the way cost a frame and a copy of the store,
    // a fifth of the load time of 9,000 events even at four a second (BENCHMARKS.md,
    // issue 16). Meanwhile its count so far is reported, for the header.
    if (message.kind === 'hello') {
      this.#inHistory = true;
      this.#received = 0;
      this.#flush();
      return;
    }
    if (message.kind === 'history-end') {
      this.#inHistory = false;
      this.#flush();
      return;
    }
    if (this.#inHistory) {
      this.#received++;
      this.#progressSoon();
      return;
    }
    if (this.#flushTimer) return;
    const wait = Math.max(0, this.#lastFlush + this.#batchMs - performance.now());
    this.#flushTimer = setTimeout(() => this.#flush(), wait);
  }

  #progressSoon(): void {
    if (this.#progressTimer) return;
    this.#progressTimer = setTimeout(() => {
      this.#progressTimer = null;
      if (this.#inHistory && this.#socket) this.#handlers.onState({ ...this.#open, historyReceived: this.#received });
    }, HISTORY_PROGRESS_MS);
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
