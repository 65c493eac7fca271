// The web inspector's page on the inspector port (SPEC.md "Web inspector"), over real HTTP
// and real `ws` clients: who is refused (a foreign Host, a foreign Origin, no token, a
// wrong token), the headers every answer carries, and that the page's files hold no event
// data and no token, whatever the inspector has received.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import http from 'node:http';
import WebSocket from 'ws';
import type { Inspector } from '../../../server/inspector.js';
import { computeSignature } from '../../../server/signature/verify.js';
import { startInspector } from '../../helpers/inspector.js';
import { uiUrlOf } from '../../../server/stream/page.js';

const SECRET = 'page-test-secret';
const MARKER = 'Marker-4f1e9c-of-an-event-body';
let dir: string;
let inspector: Inspector;
let port: number;
let token: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'coreone-page-'));
  inspector = await startInspector(dir, { secret: SECRET, maxBody: 1024 * 1024, requestTimeoutMs: 10_000, headersTimeoutMs: 10_000 });
  const stream = new URL(inspector.ready.inspectUrl);
  port = Number(stream.port);
  token = stream.searchParams.get('token')!;
  const body = JSON.stringify({ accession: { id: 7, status: MARKER } });
  const answer = await fetch(inspector.ready.webhookUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Coreone-Webhook-Type': 'accession/status_change', 'X-Coreone-Webhook-Hash': computeSignature(Buffer.from(body), SECRET) },
    body,
  });
  expect(answer.status).toBe(200);
});

afterAll(async () => {
  await inspector?.close();
  await rm(dir, { recursive: true, force: true });
});

/** A GET with the Host (and other headers) given, which fetch would not let us set. */
function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, headers: { Host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
  });
}

/** The HTTP status a WebSocket handshake gets (101 when it opens). */
function handshake(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode!);
      res.resume();
    });
    ws.on('error', (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error);
    });
  });
}

describe('the page on the inspector port', () => {
  it('serves the HTML, the script and the style sheet with their types, at uiUrl', async () => {
    expect(inspector.ready.uiUrl).toBe(`http://127.0.0.1:${port}/#token=${token}`);
    // What the TUI's help shows, made from the inspectUrl it was given; null for another URL.
    expect(uiUrlOf(inspector.ready.inspectUrl)).toBe(inspector.ready.uiUrl);
    for (const other of ['ws://127.0.0.1:1/elsewhere?token=x', 'ws://127.0.0.1:1/stream', 'not a url']) expect(uiUrlOf(other), other).toBeNull();
    const html = await get('/');
    expect(html.status).toBe(200);
    expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(html.body).toContain('<script type="module" src="/app.js"></script>');
    expect((await get('/app.js')).headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await get('/app.css')).headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await get('/nothing-here')).status).toBe(404);
  });

  it('every answer forbids inline script, framing and sniffing', async () => {
    for (const path of ['/', '/app.js', '/app.css', '/nothing-here']) {
      const { headers } = await get(path);
      const csp = headers['content-security-policy'] ?? '';
      expect(csp, path).toContain("script-src 'self'");
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).toContain(`connect-src ws://127.0.0.1:${port} ws://localhost:${port}`);
      expect(csp, path).not.toContain('unsafe-inline');
      expect(headers['x-frame-options'], path).toBe('DENY');
      expect(headers['x-content-type-options'], path).toBe('nosniff');
      expect(headers['referrer-policy'], path).toBe('no-referrer');
    }
  });

  it('holds no event data and no token, after events arrived', async () => {
    const served = await Promise.all(['/', '/app.js', '/app.css'].map(async (path) => (await get(path)).body));
    for (const text of served) {
      expect(text).not.toContain(MARKER);
      expect(text).not.toContain(token);
      expect(text).not.toContain(SECRET);
    }
    // The same bytes as built: nothing of this run is added to them.
    expect(served[1]).toBe(await readFile(new URL('../../../dist/web/app.js', import.meta.url), 'utf8'));
    // No log keeps the token: the page is read with it in the fragment, which is never sent.
    expect(await readFile(join(dir, 'events.ndjson'), 'utf8')).not.toContain(token);
  });

  it('refuses a Host that is not its own (DNS rebinding), for the page and the stream', async () => {
    for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1:${port + 1}`, '127.0.0.1']) {
      const answer = await get('/', { Host: host });
      expect(answer.status, host).toBe(403);
      expect(answer.body).toMatch(/^Refused: this port answers only to 127\.0\.0\.1 or localhost/);
      expect(await handshake(inspector.ready.inspectUrl, { Host: host }), host).toBe(403);
    }
    expect((await get('/', { Host: `localhost:${port}` })).status).toBe(200);
  });

  it("the stream takes the page's own Origin with the token, and refuses any other, or no token, or a wrong one", async () => {
    const url = inspector.ready.inspectUrl;
    expect(await handshake(url, { Origin: `http://127.0.0.1:${port}` })).toBe(101);
    expect(await handshake(url.replace('127.0.0.1', 'localhost'), { Origin: `http://localhost:${port}` })).toBe(101);
    for (const origin of ['http://evil.example', `http://evil.example:${port}`, `https://127.0.0.1:${port}`, `http://127.0.0.1:${port + 1}`, 'null']) {
      expect(await handshake(url, { Origin: origin }), origin).toBe(403);
    }
    const wrong = token.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
    const page = { Origin: `http://127.0.0.1:${port}` };
    expect(await handshake(`ws://127.0.0.1:${port}/stream`, page)).toBe(401);
    expect(await handshake(`ws://127.0.0.1:${port}/stream?token=${wrong}`, page)).toBe(401);
  });
});
