// Requests that Node's HTTP parser refused (bad chunk sizes, control characters in headers,
// oversized or stalled heads...), and the raw answers written to their sockets: there is
// no response object for them.
import type { Socket } from 'node:net';
import type { ReceivedRequest } from '../record/summarize.js';
import type { Acknowledgement } from './acknowledgement.js';
import { connectionOf } from './head-capture.js';
import { parseRejectedRequest, parserReason } from './rejected-request.js';
import { errorMessage } from '../error-message.js';

/** What a refused request is handed to: the listener's own `accept` and `onProblem`. */
export interface RefusalHandlers {
  accept(request: ReceivedRequest, ack: Acknowledgement): void;
  onProblem(message: string): void;
}

/**
 * A request Node's HTTP parser refused (bad chunk sizes, control characters in headers,
 * oversized or stalled heads...). A POST is still recorded, from the raw bytes that arrived.
 */
export function onClientError(
  error: NodeJS.ErrnoException & { rawPacket?: Buffer },
  socket: Socket,
  options: RefusalHandlers,
): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const timeout = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' || error.code === 'ERR_HTTP_HEADERS_TIMEOUT';
  const status = timeout ? 408 : 400;
  const reason = parserReason(error);

  const connection = connectionOf(socket);
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