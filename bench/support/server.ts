// A server under test, in a process of its own (the coordinator pins it to one CPU):
//   node server.js listener|bare|octokit
// It prints {"kind":"ready","url"[,"inspectUrl"]} and serves until SIGTERM.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { SECRET, type ServerKind } from './bodies.js';
import { emit, failWith, onCommand } from './child.js';

const kind = process.argv[2] as ServerKind;

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
 * The whole pipeline as `coreone-inspect listen` runs it (its defaults), minus the stdout
 * printer: a TUI session prints nothing per event, it streams them.
 */
async function listenerServer(): Promise<void> {
  const { Pipeline } = await import('../../server/pipeline.js');
  const { DEFAULT_MAX_BODY } = await import('../../cli/commands/listen.js');
  const dir = mkdtempSync(join(tmpdir(), 'coreone-bench-'));
  const pipeline = await Pipeline.start({
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
  process.once('SIGTERM', () => {
    void pipeline.close().finally(() => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    });
  });
  emit({ kind: 'ready', url: pipeline.ready.webhookUrl.replace(/\/$/, ''), inspectUrl: pipeline.ready.inspectUrl });
}

// CPU time is the figure least disturbed by other load on a shared machine: the
// coordinator asks for it before and after the measured part of a round.
onCommand((message) => {
  if (message.kind !== 'cpu') return;
  const { user, system } = process.cpuUsage();
  emit({ kind: 'cpu', us: user + system });
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
