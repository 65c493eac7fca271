// Who may talk to the inspector port (SPEC.md "Inspector stream", "Web inspector"). The
// port is on loopback, but any web page the user opens can make the browser send it
// requests: a page on another origin is told apart by its `Origin`, and a name of the
// attacker's that resolves to 127.0.0.1 (DNS rebinding) by its `Host`.
import type { IncomingMessage } from 'node:http';

/** The names this port answers to: what the uiUrl and a typed-in localhost URL send. */
export function ownHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

/** Whether the request's `Host` names this port itself. */
export function isOwnHost(req: IncomingMessage, port: number): boolean {
  const host = req.headers.host?.toLowerCase();
  return host !== undefined && ownHosts(port).includes(host);
}

/**
 * Whether a stream client may connect with the `Origin` it sent: none (a program, such as
 * the TUI) or the web inspector's own page on this port.
 */
export function isAllowedOrigin(req: IncomingMessage, port: number): boolean {
  const origin = req.headers.origin?.toLowerCase();
  return origin === undefined || ownHosts(port).some((host) => origin === `http://${host}`);
}
