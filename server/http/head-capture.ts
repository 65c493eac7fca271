// What the listener keeps per connection, and how it sees the bytes of a request head
// that never completes (stalled, or refused by Node's HTTP parser), so that such a POST
// can still be recorded from everything that arrived (http/client-error.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** How unfinished heads are seen: the parser hook, or the slower fallback. */
export type HeadCapture = 'parser-hook' | 'data-listener';

/** A POST whose body is being read: what a parser error that arrives mid-body settles. */
export interface InFlightRequest {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** Records what arrived of the unfinished request and answers `status`. */
  abandon(status: number, rejected?: string): void;
}

/**
 * What the listener keeps per connection: the request in the handler, and the bytes of a
 * request head not yet handed to it, so that a POST whose headers stall, or that the
 * parser refuses, can still be recorded from everything that arrived.
 */
export interface Connection {
  /** The response of the newest request in the handler, until it is answered. */
  current: ServerResponse | null;
  /**
   * That request's body, while it is a POST being read: a parser error that arrives after
   * the handler took it (a bad chunk, bytes past the body) is settled through it.
   */
  inFlight: InFlightRequest | null;
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
export function trackConnection(socket: TrackedSocket, headCapture: HeadCapture): HeadCapture {
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
/** The connection a socket of the listener's belongs to (undefined for another socket). */
export function connectionOf(socket: Socket | null): Connection | undefined {
  return (socket as TrackedSocket | null)?.[CONNECTION];
}
