// A stand-in for the listener behind a tunnel, for the tunnel's own tests: a real HTTP
// server that records POSTs and answers the start-up probe with its nonce, as the listener
// does (server/tunnel/probe.ts's contract).
import http from 'node:http';
import { PROBE_HEADER } from '../../server/http/listener.js';

export interface Received {
  method: string;
  rawHeaders: string[];
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A stand-in listener: records POSTs, answers probes with their nonce. */
export async function startLocal(host = '127.0.0.1'): Promise<{ server: http.Server; port: number; posts: Received[]; probes: string[] }> {
  const posts: Received[] = [];
  const probes: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const nonce = req.headers[PROBE_HEADER];
      if (req.method === 'GET' && typeof nonce === 'string') {
        probes.push(nonce);
        res.end(nonce);
        return;
      }
      posts.push({ method: req.method ?? '', rawHeaders: req.rawHeaders, headers: req.headers, body: Buffer.concat(chunks) });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ ok: true, id: String(posts.length) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  return { server, port: address.port, posts, probes };
}

/** Tunnel sockets are kept alive, so a server is closed with its connections. */
export async function closeServer(server: http.Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}
