// `--public-url` as a user meets it: the built CLI behind a real reverse proxy on loopback
// (standing in for ngrok, cloudflared or nginx), no localtunnel started, the URL in `ready`,
// `tunnel` records and the stream the TUI reads; a proxy pointed at somebody else's server
// is called out while the listener keeps serving locally; bad input exits 2.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startCli, type RunningCli } from '../../helpers/cli-process.js';
import { runCli } from '../../helpers/run-cli.js';
import { sign } from '../../helpers/raw-http.js';
import { freePort, tunnelWorkerPids } from '../../helpers/relay.js';
import { startOtherSite, startReverseProxy } from '../../helpers/reverse-proxy.js';
import { waitFor } from '../../helpers/wait.js';

const SECRET = 'public-url-secret-4Tb';
let dir: string;
const running: RunningCli[] = [];
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'coreone-public-url-'));
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((cli) => cli.stop('SIGKILL')));
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The listener on a port chosen first, since the proxy must know where to forward before the CLI starts. */
async function listenBehind(target: (port: number) => string): Promise<{ cli: RunningCli; publicUrl: string; port: number }> {
  const port = await freePort();
  const proxy = await startReverseProxy(target(port));
  cleanups.push(() => proxy.close());
  const cli = startCli(['--json', '--port', String(port), '--log', join(dir, `events-${port}.ndjson`), '--secret', SECRET, '--public-url', proxy.url]);
  running.push(cli);
  return { cli, publicUrl: proxy.url, port };
}

async function postSigned(url: string, body: string): Promise<number> {
  const response = await fetch(url, { method: 'POST', body, headers: { 'X-Coreone-Webhook-Type': 'accession/status_change', 'X-Coreone-Webhook-Hash': sign(body, SECRET) } });
  await response.arrayBuffer();
  return response.status;
}

const verdictOf = (cli: RunningCli): Promise<Record<string, unknown>> =>
  cli.waitForRecord((r) => r.kind === 'tunnel' && r.probe !== 'pending', 'the probe verdict');

describe('coreone-inspect --public-url', () => {
  it('behind a proxy to the listener: the URL everywhere, the probe passes, events come through it', async () => {
    const { cli, publicUrl, port } = await listenBehind((listener) => `http://127.0.0.1:${listener}`);
    const ready = await cli.waitForRecord((r) => r.kind === 'ready', 'ready');
    expect(ready.tunnelUrl).toBe(publicUrl);
    expect(await verdictOf(cli)).toEqual({ kind: 'tunnel', status: 'up', url: publicUrl, probe: 'ok' });
    expect(cli.records().filter((r) => r.kind === 'tunnel')).toEqual([
      { kind: 'tunnel', status: 'up', url: publicUrl, probe: 'pending' },
      { kind: 'tunnel', status: 'up', url: publicUrl, probe: 'ok' },
    ]);
    expect(tunnelWorkerPids({ localPort: port })).toEqual([]);

    // What the TUI's header is drawn from: the stream's hello.
    const ws = new WebSocket(ready.inspectUrl as string);
    const hello = await new Promise<Record<string, unknown>>((resolve) => ws.once('message', (data) => resolve(JSON.parse(String(data)))));
    ws.close();
    expect(hello).toMatchObject({ kind: 'hello', tunnelUrl: publicUrl, tunnel: { status: 'up', url: publicUrl, probe: 'ok' } });

    expect(await postSigned(publicUrl, '{"status":"Pending"}')).toBe(200);
    const event = (await cli.waitForRecord((r) => r.kind === 'event', 'the event')) as { event: { signature: { status: string } } };
    expect(event.event.signature.status).toBe('valid');
    expect(await cli.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  });

  it('behind a proxy to somebody else: an error in one sentence, and the listener keeps serving locally', async () => {
    const other = await startOtherSite();
    cleanups.push(() => other.close());
    const { cli, publicUrl } = await listenBehind(() => other.url);
    const ready = await cli.waitForRecord((r) => r.kind === 'ready', 'ready');
    const verdict = await verdictOf(cli);
    expect(verdict).toMatchObject({ kind: 'tunnel', status: 'error', url: publicUrl, probe: 'blocked' });
    // One sentence (its exact wording: test/server/tunnel/public-url.test.ts) naming both URLs.
    expect(verdict.error).toMatch(/^\S+ answered a test request with an HTML page \(HTTP 200\) instead of passing it to this listener, [^:]+: point your tunnel or proxy at \S+\.$/);
    expect(verdict.error).toContain(publicUrl);
    expect(verdict.error).toContain(`at ${ready.webhookUrl as string}.`);

    expect(await postSigned(ready.webhookUrl as string, '{"status":"Received"}')).toBe(200);
    await cli.waitForRecord((r) => r.kind === 'event', 'the local event');
    expect(cli.child.exitCode).toBeNull();
  });
});

describe('--public-url bad input', () => {
  it.each(['not a url', 'ftp://tunnel.example.com'])('refuses %s with exit 2', async (value) => {
    const { code, stderr } = await runCli(['--json', '--no-ui', '--port', '0', '--public-url', value]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^error: option '--public-url <url>' argument '.*' is invalid\. ".*" is not (a URL|an http:\/\/ or https:\/\/ URL)/);
  });

  it.each([
    [['--tunnel-host', 'https://lt.example.com'], '--tunnel-host <url>'],
    [['--subdomain', 'my-lab'], '--subdomain <name>'],
    [['--no-tunnel'], '--no-tunnel'],
  ])('refuses it with %s in one sentence, exit 2', async (extra, option) => {
    const { code, stderr } = await runCli(['--json', '--port', '0', '--public-url', 'https://abc.ngrok.app', ...extra]);
    expect(code).toBe(2);
    expect(stderr.split('\n')[0]).toBe(`error: option '--public-url <url>' cannot be used with option '${option}'`);
  });
});
