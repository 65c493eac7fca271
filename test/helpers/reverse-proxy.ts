// A real reverse proxy on loopback, standing in for the user's own tunnel (ngrok,
// cloudflared, nginx) behind --public-url: every request is passed, method, path, headers
// and body, to `target`, and the answer passed back. `target` can be changed while it
// runs, as a user re-points a proxy.
import http from 'node:http';

export interface ReverseProxy {
  /** Where the proxy listens: what the user passes as --public-url. */
  readonly url: string;
  /** The origin requests go on to, such as http://127.0.0.1:4747. */
  target: string;
  close(): Promise<void>;
}

export async function startReverseProxy(target: string): Promise<ReverseProxy> {
  const server = http.createServer((req, res) => {
    const upstream = http.request(new URL(req.url ?? '/', proxy.target), { method: req.method, headers: req.headers, agent: false }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    // What a real proxy does when its upstream is gone: a 502 page of its own.
    upstream.on('error', () => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html><body>502 Bad Gateway</body></html>');
    });
    req.pipe(upstream);
  });
  const port = await listenOnLoopback(server);
  const proxy: ReverseProxy = {
    url: `http://127.0.0.1:${port}/`,
    target,
    close: () => close(server),
  };
  return proxy;
}

/** Somebody else's server: answers everything with a page of its own, as a wrongly pointed tunnel would reach. */
export async function startOtherSite(): Promise<{ url: string; hits: () => number; close(): Promise<void> }> {
  let hits = 0;
  const server = http.createServer((_req, res) => {
    hits += 1;
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><html><body>Welcome to somebody else\'s app</body></html>');
  });
  const port = await listenOnLoopback(server);
  return {
    url: `http://127.0.0.1:${port}`,
    hits: () => hits,
    close: () => close(server),
  };
}

async function listenOnLoopback(server: http.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  return address.port;
}

/** With its kept-alive connections, or close() would wait for them. */
async function close(server: http.Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}
