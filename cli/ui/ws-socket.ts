// The TUI's socket for the stream connection (connection.ts): a `ws` client, whose Node
// errors name their cause (ECONNREFUSED, HTTP 401), unlike a browser's.
import WebSocket from 'ws';
import type { OpenSocket } from './connection.js';

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

export const openWsSocket: OpenSocket = (url, events) => {
  const socket = new WebSocket(url, { handshakeTimeout: 5000 });
  socket.on('open', events.open);
  socket.on('message', (data, isBinary) => events.message(isBinary ? null : data.toString()));
  socket.on('error', (error) => events.error(describeStreamError(error)));
  socket.on('close', (_code, reason) => events.close(reason.toString()));
  return {
    send(text) {
      if (socket.readyState !== WebSocket.OPEN) return false;
      socket.send(text);
      return true;
    },
    close: () => socket.terminate(),
  };
};
