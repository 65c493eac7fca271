// The inspector stream: a `ws` server on loopback that sends `hello`, the history (read back
// from the durable log, history.ts), then live records; with `bodies=after` (`bodies=log`),
// the history's bodies come after it, newest (oldest) first. A client may also ask the hub
// for an event's body, or which events' bodies hold some text (questions.ts). Only the
// holder of the per-run token may connect, and of browser pages only the web inspector's
// own (same-origin.ts): the stream carries webhook bodies. The same port serves that page
// (page.ts). Each client's unsent data is bounded; a client that stops reading is dropped
// with a close reason instead of being buffered forever.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import type { BodiesEndMessage, ClientMessage, HelloMessage, InspectorMessage, StreamQuestion } from '../types.js';
import { errorMessage } from '../error-message.js';
import type { InspectorEvent } from '../events.js';
import { servePage, uiUrlFor } from './page.js';
import { isAllowedOrigin, isOwnHost } from './same-origin.js';
import { joinLines, sendBodies, sendHistory, type BodyOrder, type HistoryClient, type HistorySource } from './history.js';
import { answerQuestion, MAX_QUERY_LENGTH, type Answer } from './questions.js';

/**
 * A message ready to send: its JSON text (a log line's bytes without the newline, for
 * records), made once for every client; `seq` for events.
 */
export interface Outgoing {
  line: string | Buffer;
  seq?: number;
}

/** Buffers go out as text frames: they hold JSON text, like every message here. */
const AS_TEXT = { binary: false };

export interface StreamHubOptions {
  port: number;
  hello: () => HelloMessage;
  history: HistorySource;
  /**
   * Carries out a client's request; its outcome is broadcast, a failure thrown as one
   * sentence. Questions (`body`, `search`) never come here: the hub answers those itself.
   */
  onMessage: (message: ClientMessage) => Promise<void>;
  /** Unsent bytes a client may hold before it is dropped. */
  maxBufferedBytes?: number;
  /** How long a group of live events waits for more under load (GROUP_MS). */
  groupMs?: number;
}

const DEFAULT_MAX_BUFFERED = 8 * 1024 * 1024;
/** While sending history, wait for the client to read once this much is unsent. */
const HISTORY_HIGH_WATER = 1024 * 1024;
/** A client whose history has not drained for this long is not reading. */
const HISTORY_STALL_MS = 10_000;
const MAX_CLIENT_MESSAGE = 64 * 1024;
const FOREIGN_HOST = 'Refused: this port answers only to 127.0.0.1 or localhost with its port as the Host (another name is how DNS rebinding looks).\n';

/**
 * Under load, live events go out in groups: once a write has carried GROUP_AFTER events or
 * more, the next waits GROUP_MS for others to join it. A write costs both ends a wake-up
 * and a pass through the TCP stack whatever it carries, and the stream's reader shares its
 * CPU with the senders: at saturation, writes grouped this way gave the listener 10-14%
 * more requests a second (and cost it 8-11% less CPU a request). Events that come one at a
 * time (200 a second is still one a write) go out at once, so they are never held back; a
 * group that reaches GROUP_MAX_BYTES goes out early, so it never counts as a slow reader.
 */
const GROUP_AFTER = 4;
const GROUP_MS = 3;
const GROUP_MAX_BYTES = 1024 * 1024;

export const CLOSE_TOO_SLOW = 4008;
const TOO_SLOW_REASON = 'Dropped: this client stopped reading and its unsent data passed the limit.';

interface Client {
  ws: WebSocket;
  /** The client's TCP socket (ws writes to it), corked while a group of sends lasts. */
  socket: Socket;
  corked: boolean;
  /** Events in the open group, and in the last one written. */
  grouped: number;
  lastGroup: number;
  /** Bytes in the open group since it last went out. */
  groupBytes: number;
  /** Live messages held back while history is being sent. */
  queue: Outgoing[] | null;
  queuedBytes: number;
  /** A client that asked for `batch=1`: the open group's messages, to go as one frame. */
  frame: (string | Buffer)[] | null;
  /** The client's questions being answered: the next waits for it, so answers come in order. */
  answering: Promise<void>;
}

export class StreamHub {
  readonly token = randomBytes(18).toString('base64url');
  #options: StreamHubOptions;
  #maxBuffered: number;
  #groupMs: number;
  #http: Server;
  #wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_MESSAGE });
  #clients = new Set<Client>();
  #port = 0;

  constructor(options: StreamHubOptions) {
    this.#options = options;
    this.#maxBuffered = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED;
    this.#groupMs = options.groupMs ?? GROUP_MS;
    this.#http = createServer((req, res) => {
      if (!isOwnHost(req, this.#port)) {
        res.writeHead(403, { 'Content-Type': 'text/plain' });
        res.end(FOREIGN_HOST);
      } else if (new URL(req.url ?? '/', 'http://127.0.0.1').pathname === '/stream') {
        res.writeHead(426, { 'Content-Type': 'text/plain', Upgrade: 'websocket' });
        res.end('This is the coreone-inspect inspector stream: connect with a WebSocket client and the token.\n');
      } else {
        void servePage(req, res, this.#port);
      }
    });
    this.#http.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => this.#upgrade(req, socket, head));
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.#http.once('error', reject);
      this.#http.listen(this.#options.port, '127.0.0.1', () => {
        this.#http.off('error', reject);
        resolve();
      });
    });
    this.#port = (this.#http.address() as AddressInfo).port;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.#port}/stream?token=${this.token}`;
  }

  /** The web inspector: the page on this port, the token in the fragment (never sent by a browser). */
  get uiUrl(): string {
    return uiUrlFor(this.#port, this.token);
  }

  get clientCount(): number {
    return this.#clients.size;
  }

  /** The hub's part of the inspector's stream: records go to every client, as they are logged. */
  consume(event: InspectorEvent): void {
    switch (event.kind) {
      case 'event':
        this.broadcast({ line: messageText(event.line), seq: event.seq });
        break;
      case 'tunnel':
      case 'forward':
      case 'saved':
        this.broadcast({ line: messageText(event.line) });
        break;
      default:
        // ready, warning and done are for the process's own output, not the clients.
        break;
    }
  }

  broadcast(message: Outgoing): void {
    for (const client of this.#clients) {
      if (client.queue) {
        client.queue.push(message);
        client.queuedBytes += message.line.length;
        if (client.queuedBytes > this.#maxBuffered) this.#drop(client);
      } else {
        this.#send(client, message.line);
      }
    }
  }

  async close(): Promise<void> {
    for (const client of this.#clients) client.ws.terminate();
    this.#clients.clear();
    await new Promise<void>((resolve) => {
      this.#wss.close(() => resolve());
    });
    await new Promise<void>((resolve) => {
      this.#http.close(() => resolve());
      this.#http.closeAllConnections();
    });
  }

  #upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'ws://127.0.0.1');
    const refusal = this.#refusal(req, url);
    if (refusal) {
      socket.end(
        `HTTP/1.1 ${refusal.status}\r\nConnection: close\r\nContent-Type: text/plain\r\n` +
          `Content-Length: ${Buffer.byteLength(refusal.text)}\r\n\r\n${refusal.text}`,
      );
      return;
    }
    const batched = url.searchParams.get('batch') === '1';
    const bodies = BODY_ORDERS.get(url.searchParams.get('bodies') ?? '') ?? null;
    this.#wss.handleUpgrade(req, socket, head, (ws) => void this.#serve(ws, socket, batched, bodies));
  }

  #refusal(req: IncomingMessage, url: URL): { status: string; text: string } | null {
    if (!isOwnHost(req, this.#port)) return { status: '403 Forbidden', text: FOREIGN_HOST };
    if (!isAllowedOrigin(req, this.#port)) {
      return { status: '403 Forbidden', text: 'Browser pages may not read the inspector stream, except the web inspector on this port.\n' };
    }
    const given = Buffer.from(url.searchParams.get('token') ?? '');
    const wanted = Buffer.from(this.token);
    // Lengths first: timingSafeEqual throws on unequal lengths, and the length is no secret.
    if (url.pathname !== '/stream' || given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
      return { status: '401 Unauthorized', text: 'The inspector stream needs the token printed in inspectUrl.\n' };
    }
    return null;
  }

  async #serve(ws: WebSocket, socket: Socket, batched: boolean, bodies: BodyOrder | null): Promise<void> {
    const client: Client = { ws, socket, corked: false, grouped: 0, lastGroup: 0, groupBytes: 0, queue: [], queuedBytes: 0, frame: batched ? [] : null, answering: Promise.resolve() };
    this.#clients.add(client);
    ws.on('close', () => this.#clients.delete(client));
    ws.on('error', () => this.#clients.delete(client));
    ws.on('message', (data, isBinary) => void this.#receive(client, data, isBinary));

    ws.send(JSON.stringify(this.#options.hello()));
    const source = this.#options.history;
    const entries = source.history();
    const paced: HistoryClient = {
      batched,
      bodies,
      connected: () => this.#clients.has(client),
      sendPaced: (text) => this.#sendPaced(client, text),
    };
    const sent = await sendHistory(source, entries, paced);
    if (!sent) return;
    ws.send(JSON.stringify({ kind: 'history-end', count: entries.length }));
    const queued = client.queue ?? [];
    client.queue = null;
    client.queuedBytes = 0;
    // An event committed before the history snapshot may also have been queued live.
    for (const message of queued) if (message.seq === undefined || message.seq > sent.lastSeq) this.#send(client, message.line);
    if (!bodies) return;
    // Live messages go out as they come meanwhile: the client is no longer queueing them.
    const count = await sendBodies(source, sent.withheld, paced);
    if (count !== null) ws.send(JSON.stringify({ kind: 'bodies-end', count } satisfies BodiesEndMessage));
  }

  /** Sends one frame of the history or its bodies, first waiting (bounded) for the client to read a backlog. */
  async #sendPaced(client: Client, line: Buffer): Promise<boolean> {
    const { ws } = client;
    if (ws.bufferedAmount > HISTORY_HIGH_WATER) {
      const drained = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), HISTORY_STALL_MS);
        // The send callback runs once this frame has been handed to the socket.
        ws.send(line, AS_TEXT, () => {
          clearTimeout(timer);
          resolve(true);
        });
      });
      if (!drained) this.#drop(client);
      return drained && this.#clients.has(client);
    }
    ws.send(line, AS_TEXT);
    return true;
  }

  #send(client: Client, line: string | Buffer): void {
    if (client.ws.bufferedAmount + client.groupBytes + line.length > this.#maxBuffered) {
      this.#drop(client);
      return;
    }
    // The socket is corked while a group lasts, so that the group leaves in one write(2):
    // to the end of this turn's work (the log commits events in groups, and each group's
    // broadcasts run in one go), or GROUP_MS under load.
    if (!client.corked) {
      client.corked = true;
      client.socket.cork();
      if (client.lastGroup >= GROUP_AFTER) setTimeout(uncork, this.#groupMs, client);
      else process.nextTick(uncork, client);
    }
    client.grouped++;
    client.groupBytes += line.length;
    // A batched client gets the group as one frame: a browser pays for every frame.
    if (client.frame) client.frame.push(line);
    else client.ws.send(line, AS_TEXT);
    if (client.groupBytes >= GROUP_MAX_BYTES) {
      // Out now, and the group goes on corked.
      client.groupBytes = 0;
      sendFrame(client);
      client.socket.uncork();
      client.socket.cork();
    }
  }

  #drop(client: Client): void {
    this.#clients.delete(client);
    client.queue = null;
    client.ws.close(CLOSE_TOO_SLOW, TOO_SLOW_REASON);
    // The close frame waits behind the unread data; free that data soon regardless.
    setTimeout(() => client.ws.terminate(), 1000).unref();
  }

  async #receive(client: Client, data: unknown, isBinary: boolean): Promise<void> {
    const reply = (message: InspectorMessage | Buffer): void => {
      if (!this.#clients.has(client)) return;
      const text = Buffer.isBuffer(message) ? message : JSON.stringify(message);
      // A body or a search's ids can be large: a client asking faster than it reads is bounded too.
      if (client.ws.bufferedAmount + client.groupBytes + text.length > this.#maxBuffered) return this.#drop(client);
      sendFrame(client); // a reply never overtakes the events of a held group
      client.ws.send(text, AS_TEXT);
    };
    if (isBinary) return reply({ kind: 'error', message: 'Send messages as JSON text, not binary.' });
    let message: unknown;
    try {
      message = JSON.parse(String(data));
    } catch {
      return reply({ kind: 'error', message: 'That message is not valid JSON.' });
    }
    const parsed = parseClientMessage(message);
    if (typeof parsed === 'string') return reply({ kind: 'error', message: parsed });
    if (parsed.kind === 'body' || parsed.kind === 'search') return this.#ask(client, parsed, reply);
    try {
      await this.#options.onMessage(parsed);
    } catch (error) {
      reply({ kind: 'error', message: errorMessage(error) });
    }
  }

  /** The hub answers a question itself, after the client's earlier ones. */
  #ask(client: Client, question: StreamQuestion, reply: (answer: Answer | InspectorMessage) => void): void {
    client.answering = client.answering.then(async () => {
      try {
        const answer = await answerQuestion(this.#options.history, question, () => this.#clients.has(client));
        if (answer) reply(answer);
      } catch (error) {
        reply({ kind: 'error', message: errorMessage(error) });
      }
    });
  }
}

/** The `bodies` parameter's values: the history's bodies after history-end, in this order. */
const BODY_ORDERS = new Map<string, BodyOrder>([
  ['after', 'newest-first'],
  ['log', 'oldest-first'],
]);

/** A line without its newline: the text of its message. */
function messageText(line: Buffer): Buffer {
  return line.subarray(0, line.length - 1);
}

/** A batched client's held group goes out, as one frame. */
function sendFrame(client: Client): void {
  if (!client.frame || client.frame.length === 0) return;
  const lines = client.frame;
  client.frame = [];
  client.ws.send(lines.length === 1 ? (lines[0] as string | Buffer) : joinLines(lines), AS_TEXT);
}

function uncork(client: Client): void {
  sendFrame(client);
  client.corked = false;
  client.lastGroup = client.grouped;
  client.grouped = 0;
  client.groupBytes = 0;
  client.socket.uncork();
}

/** The message, or one sentence saying what is wrong with it. */
function parseClientMessage(message: unknown): ClientMessage | StreamQuestion | string {
  if (typeof message !== 'object' || message === null) return 'A message must be a JSON object with a "kind".';
  const { kind, id, type, query } = message as { kind?: unknown; id?: unknown; type?: unknown; query?: unknown };
  if (kind === 'send') {
    if (typeof type !== 'string' || type === '') return 'A "send" message needs the webhook "type" to send.';
    return { kind, type };
  }
  if (kind === 'search') {
    if (typeof query !== 'string' || query === '' || query.length > MAX_QUERY_LENGTH) {
      return `A "search" message needs the text to look for as its "query", of 1 to ${MAX_QUERY_LENGTH.toLocaleString('en')} characters.`;
    }
    return { kind, query };
  }
  if (kind !== 'save' && kind !== 'replay' && kind !== 'body') {
    return `Unknown message kind ${JSON.stringify(kind)}: use "save", "replay", "send", "body" or "search".`;
  }
  if (typeof id !== 'string' || id === '') return `A "${kind}" message needs the event's "id".`;
  return { kind, id };
}
