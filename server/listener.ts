// The webhook listener: node:http, POST on any path, raw body kept byte-exact. It never
// answers a POST before `accept` resolves (the event is in the durable log), and nothing a
// sender sends may crash it: oversized, stalled, cut-off and unparseable requests are
// still handed to `accept`, with what could be read of them.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { ReceivedRequest } from './event-record.js';
import { parseRejectedRequest, parserReason } from './rejected-request.js';

export const PROBE_HEADER = 'x-coreone-inspect-probe';

/**
 * The request a socket is in the middle of, once it reached the handler: a parser error
 * that arrives after that (a bad chunk, bytes past the body) is settled through it.
 */
interface InFlight {
  res: ServerResponse;
  complete(): boolean;
  /** Records what arrived of an unfinished request and answers `status`. */
  abandon(status: number, rejected?: string): void;
}

/**
 * What the listener keeps per connection: the request in the handler, and the bytes of a
 * request head not yet handed to it, so that a POST whose headers stall, or that the
 * parser refuses, can still be recorded from everything that arrived.
 */
interface Connection {
  inFlight: InFlight | null;
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
  const connection: Connection = { inFlight: null, awaitingHead: true, head: [], headSize: 0 };
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
  /** Records the request; resolves with its id once it is durable. */
  accept: (request: ReceivedRequest) => Promise<{ id: string }>;
  /** A recoverable failure worth one sentence to the user (the log could not be written). */
  onProblem: (message: string) => void;
  /** How unfinished heads are seen (trackConnection); tests force the fallback. Default 'parser-hook'. */
  headCapture?: HeadCapture;
}

export type HeadCapture = 'parser-hook' | 'data-listener';

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

function handle(req: IncomingMessage, res: ServerResponse, options: ListenerOptions): void {
  const connection = (req.socket as TrackedSocket)[CONNECTION];
  if (connection) {
    connection.awaitingHead = false;
    connection.head = [];
    connection.headSize = 0;
    // Once this request is answered, the next bytes on a kept-alive connection are a head.
    res.once('finish', () => {
      connection.inFlight = null;
      connection.awaitingHead = true;
    });
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
    void record(res, options, received(req, Buffer.alloc(0), declared, true, 413), true);
    req.resume();
    return;
  }

  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (over) return;
    if (size > options.maxBody) {
      over = true;
      chunks.length = 0;
      void record(res, options, received(req, Buffer.alloc(0), size, true, 413), true);
      return;
    }
    chunks.push(chunk);
  });
  req.on('end', () => {
    if (over) return;
    const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
    void record(res, options, received(req, body, size, false, options.respondStatus), false);
  });
  let abandoned = false;
  const abandon = (status: number, rejected?: string): void => {
    if (req.complete || over || abandoned) return;
    abandoned = true;
    const body = Buffer.concat(chunks, size);
    const expected = Number.isFinite(declared) ? ` of ${declared}` : '';
    const request = received(req, body, size, false, status);
    request.problem = `The request ended before its body was complete (${size}${expected} bytes arrived)`;
    if (rejected) request.rejected = rejected;
    void record(res, options, request, true);
  };
  if (connection) connection.inFlight = { res, complete: () => req.complete, abandon };
  // Closed before 'end': the sender stalled past the deadline or hung up mid-body.
  req.on('close', () => abandon(408));
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

async function record(
  res: ServerResponse,
  options: ListenerOptions,
  request: ReceivedRequest,
  close: boolean,
): Promise<void> {
  let status = request.responseStatus;
  let reply: string;
  try {
    const { id } = await options.accept(request);
    const error = status === 413 ? 'body over --max-body' : request.rejected;
    // Ids are hex digits: the common answer needs no serializer.
    reply = error ? JSON.stringify({ ok: false, id, error }) : `{"ok":${status < 400},"id":"${id}"}`;
  } catch (error) {
    // The event could not be made durable: say so instead of acknowledging it.
    const message = error instanceof Error ? error.message : String(error);
    options.onProblem(message);
    status = 503;
    reply = JSON.stringify({ ok: false, error: message });
  }
  if (res.writableEnded || res.destroyed) return;
  if (close) res.setHeader('Connection', 'close');
  answer(res, status, reply, 'application/json');
}

function answer(res: ServerResponse, status: number, body: string, type: string): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
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
    if (!current.complete()) {
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
  options
    .accept(rejected)
    .then(
      ({ id }) => JSON.stringify({ ok: false, id, error: rejected.rejected }),
      (failure: unknown) => {
        options.onProblem(failure instanceof Error ? failure.message : String(failure));
        return JSON.stringify({ ok: false, error: rejected.rejected });
      },
    )
    .then((text) => rawAnswer(socket, status, text, 'application/json'));
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
