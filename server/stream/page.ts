// The web inspector's page (SPEC.md "Web inspector"), served from the inspector port: the
// built HTML, script and style sheet, and nothing else. They are the same bytes for every
// run and hold no event data: the page gets its data over the stream, with the token it
// reads from its own URL's fragment, which a browser never sends.
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { builtFile } from '../built-file.js';

const ASSETS: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/app.css': { file: 'app.css', type: 'text/css; charset=utf-8' },
};

/** The page's address: this port, the stream's token in the fragment (never sent by a browser). */
export function uiUrlFor(port: number, token: string): string {
  return `http://127.0.0.1:${port}/#token=${token}`;
}

/** The page of the stream at `inspectUrl` (ws://127.0.0.1:<port>/stream?token=...), or null for another URL. */
export function uiUrlOf(inspectUrl: string): string | null {
  try {
    const url = new URL(inspectUrl);
    const token = url.searchParams.get('token');
    return url.protocol === 'ws:' && url.pathname === '/stream' && token ? uiUrlFor(Number(url.port), token) : null;
  } catch {
    return null;
  }
}

/** The page's files, read once: beside the built server, under dist/web. */
const cache = new Map<string, Promise<Buffer>>();
function asset(file: string): Promise<Buffer> {
  let bytes = cache.get(file);
  if (!bytes) {
    bytes = readFile(builtFile(import.meta.url, `../../web/${file}`));
    cache.set(file, bytes);
  }
  return bytes;
}

/**
 * What every answer carries: a policy that lets the page run only its own script and
 * style and talk only to this port's stream (no inline script, so an injected body
 * cannot run), no framing (clickjacking), no type sniffing, and no referrer or cache
 * that could keep the page's URL.
 */
export function securityHeaders(port: number): Record<string, string> {
  const stream = `ws://127.0.0.1:${port} ws://localhost:${port}`;
  return {
    'Content-Security-Policy':
      `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src ${stream}; ` +
      "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  };
}

/** Answers a plain HTTP request to the inspector port: the page's files, or 404 / 405. */
export async function servePage(req: IncomingMessage, res: ServerResponse, port: number): Promise<void> {
  const headers = securityHeaders(port);
  const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
  const found = ASSETS[path];
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { ...headers, Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('The inspector port serves the web inspector page (GET) and the stream (WebSocket).\n');
    return;
  }
  if (!found) {
    res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('Not found: the web inspector is at / (open the uiUrl the listener prints).\n');
    return;
  }
  let body: Buffer;
  try {
    body = await asset(found.file);
  } catch {
    cache.delete(found.file);
    res.writeHead(500, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('The web inspector page is not built: run `npm run build`.\n');
    return;
  }
  res.writeHead(200, { ...headers, 'Content-Type': found.type, 'Content-Length': body.length });
  res.end(req.method === 'HEAD' ? undefined : body);
}
