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
import type { Acknowledgement } from './acknowledgement.js';
import { onClientError } from './client-error.js';
import { connectionOf, trackConnection, type HeadCapture, type InFlightRequest } from './head-capture.js';
import { errorMessage } from '../error-message.js';

export type { Acknowledgement } from './acknowledgement.js';
export type { HeadCapture } from './head-capture.js';

export const PROBE_HEADER = 'x-coreone-inspect-probe';


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
  const connection = connectionOf(req.socket);
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
class BodyReader implements InFlightRequest {
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
  const connection = connectionOf(res.socket);
  if (connection?.current === res) {
    connection.current = null;
    connection.inFlight = null;
    connection.awaitingHead = true;
  }
}

