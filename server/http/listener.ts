// The webhook listener: node:http, POST on any path, raw body kept byte-exact. It never
// answers a POST before `accept` acknowledges it (the event is in the durable log), and
// nothing a sender sends may crash it: oversized, stalled, cut-off and unparseable requests
// are still handed to `accept`, with what could be read of them.
//
// This is the path of every request, so it allocates little: one reader object a request
// (its listeners are shared functions, not closures made per request) and an acknowledgement
// by method call rather than a chain of promises. Measured against closures, a 'finish'
// listener and three awaited promises: about 2 µs less CPU a request, 3-4% of its cost.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { ReceivedRequest } from '../record/summarize.js';
import { parseRejectedRequest, parserReason } from './rejected-request.js';
import { errorMessage } from '../error-message.js';

export const PROBE_HEADER = 'x-coreone-inspect-probe';

/**
 * What the listener keeps per connection: the request in the handler, and the bytes of a
 * request head not yet handed to it, so that a POST whose headers stall, or that the
 * parser refuses, can still be recorded from everything that arrived.
 */
interface Connection {
  /** The response of the newest request in the handler, until it is answered. */
  current: ServerResponse | null;
  /**
   * That request's body, while it is a POST being read: a parser error that arrives after
   * the handler took it (a bad chunk, bytes past the body) is settled through it.
   */
  inFlight: BodyReader | null;
  /** Between requests: the next bytes are a head. */
  awaitingHead: boolean;
  head: Buffer[];
  headSize: number;
}
const CONNECTION = Symbol('coreone-inspect connection');
type TrackedSocket = Socket & { [CONNECTION]?: Connection };

/** Capped: Node refuses heads over 16 KiB anyway. */
const HEAD_CAP = 64 * 1024;

/**
 * Sees each chunk of an unfinished head, and copies it while the connection is between
 * requests after the parser has run on it: that is, only for a head that has not
 * completed. Two ways to see the chunks:
 * - the parser hook (preferred): Node's HTTP server hands a plain TCP socket's reads
 *   straight to its parser in C++; we wrap the callback that parser makes after each read
 *   (its `onParserExecute`, found by name on the parser), which already runs in JavaScript.
 *   A complete request costs one call.
 * - a 'data' listener, where the hook is not found (another Node's internals): it works
 *   everywhere, but pulls every read back through JavaScript (measured: about 13% of the
 *   listener's CPU per request), so it is only the fallback.
 */
function trackConnection(socket: TrackedSocket, headCapture: HeadCapture): HeadCapture {
  const connection: Connection = { current: null, inFlight: null, awaitingHead: true, head: [], headSize: 0 };
  socket[CONNECTION] = connection;
  if (headCapture === 'parser-hook' && hookParser(socket, connection)) return 'parser-hook';
  // Registered after the server's own 'data' listener, so it runs after the parser has.
  socket.on('data', (chunk: Buffer) => {
    if (wantsHead(connection)) keepHead(connection, chunk);
  });
  return 'data-listener';
}

function wantsHead(connection: Connection): boolean {
  return connection.awaitingHead && connection.headSize < HEAD_CAP;
}

function keepHead(connection: Connection, chunk: Buffer): void {
  connection.head.push(chunk);
  connection.headSize += chunk.length;
}

/** Wraps the parser's per-read callback to keep each chunk of a head; false where there is no such callback. */
function hookParser(socket: Socket, connection: Connection): boolean {
  const parser = (socket as Socket & { parser?: ParserInternals | null }).parser;
  if (!parser) return false;
  const key = executeKey(parser);
  if (key === undefined) return false;
  // Node calls it with one argument, what the parser made of the read.
  const onExecute = parser[key] as (result: unknown) => unknown;
  parser[key] = (result: unknown): unknown => {
    // getCurrentBuffer copies the chunk: only for a head.
    if (wantsHead(connection)) keepHead(connection, parser.getCurrentBuffer());
    return onExecute(result);
  };
  return true;
}

interface ParserInternals {
  [key: string]: unknown;
  getCurrentBuffer(): Buffer;
}

let cachedExecuteKey: string | null | undefined;
function executeKey(parser: ParserInternals): string | undefined {
  if (cachedExecuteKey === undefined) {
    cachedExecuteKey =
      Object.keys(parser).find((key) => typeof parser[key] === 'function' && (parser[key] as () => void).name === 'bound onParserExecute') ?? null;
  }
  return cachedExecuteKey ?? undefined;
}

export interface ListenerOptions {
  host: string;
  port: number;
  maxBody: number;
  /** Whole-request deadline, so a stalled sender cannot hold a connection. */
  requestTimeoutMs: number;
  headersTimeoutMs: number;
  /** Status for accepted events (SPEC.md --respond); 200 by default. */
  respondStatus: number;
  /**
   * Records the request, and tells `ack` its id once it is durable (or why it cannot be).
   * It may tell it at once or later, exactly once; what it throws counts as a failure.
   */
  accept: (request: ReceivedRequest, ack: Acknowledgement) => void;
  /** A recoverable failure worth one sentence to the user (the log could not be written). */
  onProblem: (message: string) => void;
  /** How unfinished heads are seen (trackConnection); tests force the fallback. Default 'parser-hook'. */
  headCapture?: HeadCapture;
}

export type HeadCapture = 'parser-hook' | 'data-listener';

/** How `accept` answers for one request. */
export interface Acknowledgement {
  /** The request is in the durable log, as event `id`. */
  accepted(id: string): void;
  /** It could not be recorded; `error` says why in one sentence. */
  failed(error: unknown): void;
}

export interface Listener {
  server: Server;
  port: number;
  url: string;
  /** How the last connection's heads were seen (null before the first): tells a fallback apart. */
  headCapture(): HeadCapture | null;
  close(): Promise<void>;
}

const NOT_A_WEBHOOK =
  'This is a coreone-inspect webhook listener: CoreOne for Labs sends webhooks here as HTTP POST requests.\n';

export async function startListener(options: ListenerOptions): Promise<Listener> {
  const server = createServer(
    {
      requestTimeout: options.requestTimeoutMs,
      headersTimeout: options.headersTimeoutMs,
      // How often Node checks the two deadlines above; its default (30 s) would let a
      // stalled client live far past them.
      connectionsCheckingInterval: Math.min(1000, options.headersTimeoutMs),
      keepAliveTimeout: 5000,
    },
    (req, res) => handle(req, res, options),
  );
  // Node drops headers past the 1,000th without a word; a type or hash header sent late must
  // still count. The 16 KiB limit on the whole head still bounds them.
  server.maxHeadersCount = 0;
  const headCapture = options.headCapture ?? 'parser-hook';
  let headCaptureInUse: HeadCapture | null = null;
  server.on('connection', (socket: Socket) => {
    headCaptureInUse = trackConnection(socket, headCapture);
  });
  server.on('clientError', (error: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Socket) =>
    onClientError(error, socket, options),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    server,
    port,
    url: `http://${host}:${port}/`,
    headCapture: () => headCaptureInUse,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

type TrackedRequest = IncomingMessage & { [BODY]?: BodyReader };
const BODY = Symbol('coreone-inspect body');

function handle(req: TrackedRequest, res: ServerResponse, options: ListenerOptions): void {
  const connection = (req.socket as TrackedSocket)[CONNECTION];
  if (connection) {
    connection.awaitingHead = false;
    connection.head = [];
    connection.headSize = 0;
    connection.current = res;
  }
  const probe = req.headers[PROBE_HEADER];
  if (typeof probe === 'string' && req.method === 'GET') {
    // The tunnel's start-up probe: it proves a request through the public URL arrives here.
    answer(res, 200, probe, 'text/plain');
    req.resume();
    return;
  }
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    answer(res, 405, NOT_A_WEBHOOK, 'text/plain');
    req.resume();
    return;
  }

  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > options.maxBody) {
    // Refuse before reading: a huge body must not be buffered to be rejected.
    record(res, options, received(req, Buffer.alloc(0), declared, true, 413), true);
    req.resume();
    return;
  }

  const reader = new BodyReader(req, res, options, declared);
  req[BODY] = reader;
  req.on('data', onBodyData);
  req.on('end', onBodyEnd);
  // Closed before 'end': the sender stalled past the deadline or hung up mid-body.
  req.on('close', onRequestClose);
  if (connection) connection.inFlight = reader;
}

/** A POST's body as it arrives, and what became of it. */
class BodyReader {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly #options: ListenerOptions;
  /** Content-Length, NaN when there is none. */
  readonly #declared: number;
  #chunks: Buffer[] = [];
  #size = 0;
  /** Past --max-body: recorded without its body, and the rest is ignored. */
  #over = false;
  #abandoned = false;

  constructor(req: IncomingMessage, res: ServerResponse, options: ListenerOptions, declared: number) {
    this.req = req;
    this.res = res;
    this.#options = options;
    this.#declared = declared;
  }

  add(chunk: Buffer): void {
    this.#size += chunk.length;
    if (this.#over) return;
    if (this.#size > this.#options.maxBody) {
      this.#over = true;
      this.#chunks.length = 0;
      record(this.res, this.#options, received(this.req, Buffer.alloc(0), this.#size, true, 413), true);
      return;
    }
    this.#chunks.push(chunk);
  }

  end(): void {
    if (this.#over) return;
    const chunks = this.#chunks;
    const size = this.#size;
    const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
    record(this.res, this.#options, received(this.req, body, size, false, this.#options.respondStatus), false);
  }

  /** Records what arrived of an unfinished request and answers `status`. */
  abandon(status: number, rejected?: string): void {
    if (this.req.complete || this.#over || this.#abandoned) return;
    this.#abandoned = true;
    const body = Buffer.concat(this.#chunks, this.#size);
    const expected = Number.isFinite(this.#declared) ? ` of ${this.#declared}` : '';
    const request = received(this.req, body, this.#size, false, status);
    request.problem = `The request ended before its body was complete (${this.#size}${expected} bytes arrived)`;
    if (rejected) request.rejected = rejected;
    record(this.res, this.#options, request, true);
  }
}

// The request's listeners, shared by every request: Node calls them with the request as `this`.
function onBodyData(this: TrackedRequest, chunk: Buffer): void {
  this[BODY]!.add(chunk);
}
function onBodyEnd(this: TrackedRequest): void {
  this[BODY]!.end();
}
function onRequestClose(this: TrackedRequest): void {
  this[BODY]!.abandon(408);
}

/**
 * The request as `accept` takes it. Written out field by field: an object spread here
 * (`{ ...base, body }`) made V8 build a new hidden class for every request.
 */
function received(req: IncomingMessage, body: Buffer, size: number, truncated: boolean, responseStatus: number): ReceivedRequest {
  return {
    method: req.method ?? 'POST',
    path: req.url ?? '/',
    remoteAddress: req.socket.remoteAddress ?? '',
    headers: req.headers,
    body,
    size,
    truncated,
    responseStatus,
  };
}

/** Hands the request to `accept`; answers it once acknowledged (closing the connection when `close`). */
function record(res: ServerResponse, options: ListenerOptions, request: ReceivedRequest, close: boolean): void {
  const ack = new ResponseAcknowledgement(res, options, request, close);
  try {
    options.accept(request, ack);
  } catch (error) {
    ack.failed(error);
  }
}

class ResponseAcknowledgement implements Acknowledgement {
  readonly #res: ServerResponse;
  readonly #options: ListenerOptions;
  readonly #request: ReceivedRequest;
  readonly #close: boolean;

  constructor(res: ServerResponse, options: ListenerOptions, request: ReceivedRequest, close: boolean) {
    this.#res = res;
    this.#options = options;
    this.#request = request;
    this.#close = close;
  }

  accepted(id: string): void {
    const status = this.#request.responseStatus;
    const error = status === 413 ? 'body over --max-body' : this.#request.rejected;
    // Ids are hex digits: the common answer needs no serializer.
    this.#reply(status, error ? JSON.stringify({ ok: false, id, error }) : `{"ok":${status < 400},"id":"${id}"}`);
  }

  failed(error: unknown): void {
    // The event could not be made durable: say so instead of acknowledging it.
    const message = errorMessage(error);
    this.#options.onProblem(message);
    this.#reply(503, JSON.stringify({ ok: false, error: message }));
  }

  #reply(status: number, reply: string): void {
    const res = this.#res;
    if (res.headersSent || res.writableEnded || res.destroyed) return;
    if (this.#close) res.setHeader('Connection', 'close');
    answer(res, status, reply, 'application/json');
  }
}

function answer(res: ServerResponse, status: number, body: string, type: string): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
  // Answered: the next bytes on a kept-alive connection are a head, unless a pipelined
  // request is in the handler already (then it is the connection's current one).
  const connection = (res.socket as TrackedSocket | null)?.[CONNECTION];
  if (connection?.current === res) {
    connection.current = null;
    connection.inFlight = null;
    connection.awaitingHead = true;
  }
}

/**
 * A request Node's HTTP parser refused (bad chunk sizes, control characters in headers,
 * oversized or stalled heads...). A POST is still recorded, from the raw bytes that arrived.
 */
function onClientError(
  error: NodeJS.ErrnoException & { rawPacket?: Buffer },
  socket: Socket,
  options: ListenerOptions,
): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const timeout = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' || error.code === 'ERR_HTTP_HEADERS_TIMEOUT';
  const status = timeout ? 408 : 400;
  const reason = parserReason(error);

  const connection = (socket as TrackedSocket)[CONNECTION];
  const current = connection?.inFlight;
  if (current) {
    if (!current.req.complete) {
      // The error belongs to the request in the handler (a bad chunk, a stalled body).
      current.abandon(status, timeout ? undefined : `The HTTP parser refused the request because ${reason}.`);
      return;
    }
    // Bytes after a complete request are not a request: answer them once it has its reply.
    const after = (): void => rawAnswer(socket, 400, `Bad request: bytes after the request were refused because ${reason}.\n`);
    if (current.res.writableFinished) after();
    else current.res.once('finish', after);
    return;
  }

  const head = connection && connection.headSize > 0 ? Buffer.concat(connection.head) : undefined;
  if (connection) connection.awaitingHead = false;
  const raw = head ?? error.rawPacket;
  const rejected = raw ? parseRejectedRequest(raw, socket.remoteAddress ?? '', error, status) : null;
  if (!rejected) {
    rawAnswer(socket, status, timeout ? 'The request took too long to arrive.\n' : `Bad request: the request was refused because ${reason}.\n`);
    return;
  }
  const ack: Acknowledgement = {
    accepted: (id) => rawAnswer(socket, status, JSON.stringify({ ok: false, id, error: rejected.rejected }), 'application/json'),
    failed: (failure) => {
      options.onProblem(errorMessage(failure));
      rawAnswer(socket, status, JSON.stringify({ ok: false, error: rejected.rejected }), 'application/json');
    },
  };
  try {
    options.accept(rejected, ack);
  } catch (error) {
    ack.failed(error);
  }
}

/** An answer written straight to the socket (there is no response object), then closed. */
function rawAnswer(socket: Socket, status: number, text: string, type = 'text/plain'): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(
    `HTTP/1.1 ${status} ${status === 408 ? 'Request Timeout' : 'Bad Request'}\r\nConnection: close\r\n` +
      `Content-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
  );
}
