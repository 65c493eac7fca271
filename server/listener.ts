// The webhook listener: node:http, POST on any path, raw body kept byte-exact. It never
// answers a POST before `accept` resolves (the event is in the durable log), and nothing a
// sender sends may crash it: oversized, stalled, cut-off and unparseable requests are
// still handed to `accept`, with what could be read of them.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { ReceivedRequest } from './event-record.js';
import { parseRejectedRequest, parserReason } from './rejected-request.js';

export const PROBE_HEADER = 'x-coreone-inspect-probe';

/** Sockets whose current request reached the handler: it records them, not clientError. */
const handled = new WeakSet<Socket>();

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
}

export interface Listener {
  server: Server;
  port: number;
  url: string;
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
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function handle(req: IncomingMessage, res: ServerResponse, options: ListenerOptions): void {
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

  handled.add(req.socket);
  res.on('finish', () => handled.delete(req.socket));
  const base = {
    method: req.method,
    path: req.url ?? '/',
    remoteAddress: req.socket.remoteAddress ?? '',
    headers: req.headers,
  };
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > options.maxBody) {
    // Refuse before reading: a huge body must not be buffered to be rejected.
    void record(res, options, { ...base, body: Buffer.alloc(0), size: declared, truncated: true, responseStatus: 413 }, true);
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
      void record(res, options, { ...base, body: Buffer.alloc(0), size, truncated: true, responseStatus: 413 }, true);
      return;
    }
    chunks.push(chunk);
  });
  req.on('end', () => {
    if (over) return;
    const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
    void record(res, options, { ...base, body, size, truncated: false, responseStatus: options.respondStatus }, false);
  });
  req.on('close', () => {
    // Closed before 'end': the sender stalled past the deadline or hung up mid-body.
    if (req.complete || over) return;
    const body = Buffer.concat(chunks, size);
    const expected = Number.isFinite(declared) ? ` of ${declared}` : '';
    const problem = `The request ended before its body was complete (${size}${expected} bytes arrived)`;
    void record(res, options, { ...base, body, size, truncated: false, problem, responseStatus: 408 }, true);
  });
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
    reply = JSON.stringify(status === 413 ? { ok: false, id, error: 'body over --max-body' } : { ok: status < 400, id });
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
 * oversized headers...). A POST is still recorded, from the raw bytes that arrived.
 */
function onClientError(
  error: NodeJS.ErrnoException & { rawPacket?: Buffer },
  socket: Socket,
  options: ListenerOptions,
): void {
  const respond = (status: number, text: string, type = 'text/plain'): void => {
    if (socket.writable) {
      socket.end(
        `HTTP/1.1 ${status} ${status === 408 ? 'Request Timeout' : 'Bad Request'}\r\nConnection: close\r\n` +
          `Content-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
      );
    } else {
      socket.destroy();
    }
  };
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    respond(408, 'The request took too long to arrive.\n');
    return;
  }
  // A request already in the handler is recorded there when it closes.
  const inHandler = handled.has(socket);
  const rejected = error.rawPacket && !inHandler ? parseRejectedRequest(error.rawPacket, socket.remoteAddress ?? '', error) : null;
  if (!rejected) {
    respond(400, `Bad request: the request was refused because ${parserReason(error)}.\n`);
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
    .then((text) => respond(400, text, 'application/json'));
}
