// A server under test, in a process of its own (the coordinator pins it to one CPU):
//   node server.js listener|bare|octokit [--receipts]
// It prints {"kind":"ready","url"[,"inspectUrl"]} and serves until SIGTERM. With
// --receipts it notes when each request reached it (for receive-to-stream latency).
import { subscribe } from 'node:diagnostics_channel';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { SECRET, type ServerKind } from './bodies.js';
import { emit, failWith, onCommand } from './child.js';

const kind = process.argv[2] as ServerKind;

/**
 * When each request (by path: the latency sender gives each its own) reached this
 * process, on process.hrtime's clock: the moment Node's HTTP server had parsed its head,
 * which for these small requests arrives in the same read as the body.
 */
const receipts = new Map<string, bigint>();
if (process.argv.includes('--receipts')) {
  subscribe('http.server.request.start', (message) => {
    receipts.set((message as { request: IncomingMessage }).request.url ?? '', process.hrtime.bigint());
  });
}

/** The control: read the whole body, answer 200. No verification, no log. */
function bareServer(): Server {
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      Buffer.concat(chunks);
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': 11 });
      res.end('{"ok":true}');
    });
  });
}

/** @octokit/webhooks' own node middleware: verifies X-Hub-Signature-256, parses, emits. */
async function octokitServer(): Promise<Server> {
  const { Webhooks, createNodeMiddleware } = await import('@octokit/webhooks');
  const webhooks = new Webhooks({ secret: SECRET });
  // A handler, as any real use has one; it does no work of its own.
  webhooks.onAny(() => undefined);
  const middleware = createNodeMiddleware(webhooks);
  return createServer((req, res) => void middleware(req, res));
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * The whole inspector as `coreone-inspect listen` runs it (its defaults), minus the stdout
 * printer: a TUI session prints nothing per event, it streams them.
 */
async function listenerServer(): Promise<void> {
  const { Inspector } = await import('../../server/inspector.js');
  const { DEFAULT_MAX_BODY } = await import('../../cli/commands/listen/options.js');
  const dir = mkdtempSync(join(tmpdir(), 'coreone-bench-'));
  const inspector = await Inspector.open({
    version: 'bench',
    host: '127.0.0.1',
    port: 0,
    inspectPort: 0,
    secret: SECRET,
    logPath: join(dir, 'events.ndjson'),
    fixturesDir: join(dir, 'fixtures'),
    maxBody: DEFAULT_MAX_BODY,
    respondStatus: 200,
    requestTimeoutMs: 30_000,
    headersTimeoutMs: 10_000,
  });
  const ready = await inspector.listen();
  process.once('SIGTERM', () => {
    void inspector.close().finally(() => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    });
  });
  emit({ kind: 'ready', url: ready.webhookUrl.replace(/\/$/, ''), inspectUrl: ready.inspectUrl });
}

// CPU time is the figure least disturbed by other load on a shared machine: the
// coordinator asks for it before and after the measured part of a round.
onCommand((message) => {
  if (message.kind === 'cpu') {
    const { user, system } = process.cpuUsage();
    emit({ kind: 'cpu', us: user + system });
  } else if (message.kind === 'receipts') {
    emit({ kind: 'receipts', at: Object.fromEntries([...receipts].map(([path, ns]) => [path, ns.toString()])) });
    receipts.clear();
  }
});

async function main(): Promise<void> {
  if (kind === 'listener') return listenerServer();
  if (kind !== 'bare' && kind !== 'octokit') failWith(`unknown server kind ${JSON.stringify(kind)}`);
  const server = kind === 'bare' ? bareServer() : await octokitServer();
  const url = await listen(server);
  process.once('SIGTERM', () => process.exit(0));
  emit({ kind: 'ready', url });
}

main().catch(failWith);
