// The page's socket for the shared stream connection (cli/ui/connection.ts): the browser's
// own WebSocket. A browser hides why a connection failed (no status, no errno), so the
// sentence names the likely causes instead.
import type { OpenSocket } from '../cli/ui/connection.js';

export const openBrowserSocket: OpenSocket = (url, events) => {
  const socket = new WebSocket(url);
  socket.onopen = () => events.open();
  socket.onmessage = (event) => events.message(typeof event.data === 'string' ? event.data : null);
  socket.onerror = () => events.error('the inspector is not running, or it restarted and this page has an old token: open its new uiUrl');
  socket.onclose = (event) => events.close(event.reason);
  return {
    send(text) {
      if (socket.readyState !== WebSocket.OPEN) return false;
      socket.send(text);
      return true;
    },
    close: () => socket.close(),
  };
};

/**
 * The stream's URL from the page's own: the same host and port, the token from the
 * fragment (`#token=...`), presented in the query as `inspectUrl` does. Null without one.
 */
export function streamUrlOf(location: { host: string; hash: string }): string | null {
  const token = new URLSearchParams(location.hash.replace(/^#/, '')).get('token');
  return token ? `ws://${location.host}/stream?token=${encodeURIComponent(token)}` : null;
}
