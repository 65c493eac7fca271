// The tunnel as a user meets it: the built CLI with --tunnel-host pointing at a real
// localtunnel relay on loopback. `ready` comes first with no tunnel URL, `tunnel` records
// follow, events come through the relay, and SIGINT/SIGTERM in every tunnel state end the
// process promptly, leaving no worker process behind.
import { createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli, type RunningCli } from '../../helpers/cli-process.js';
import { freePort, startRelay, tunnelWorkerPids, type Relay } from '../../helpers/relay.js';
import { waitFor } from '../../helpers/wait.js';

const SECRET = 'tunnel-cli-secret-7Hq';

let relay: Relay;
let dir: string;
/** Accepts connections and never answers, so the CLI's tunnel stays `connecting`. */
let silent: Server;
const silentSockets = new Set<Socket>();
const running: RunningCli[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'coreone-tunnel-cli-'));
  silent = createServer((socket) => silentSockets.add(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  relay = await startRelay();
}, 30_000);

afterEach(async () => {
  await Promise.all(running.splice(0).map((cli) => cli.stop('SIGKILL')));
});

afterAll(async () => {
  await relay?.kill();
  for (const socket of silentSockets) socket.destroy();
  await new Promise((resolve) => silent.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

let runs = 0;
function listen(tunnelHost: string, subdomain: string): RunningCli {
  runs += 1;
  const cli = startCli(['--json', '--port', '0', '--log', join(dir, `events-${runs}.ndjson`), '--secret', SECRET, '--tunnel-host', tunnelHost, '--subdomain', subdomain]);
  running.push(cli);
  return cli;
}

const tunnelRecords = (cli: RunningCli): Record<string, unknown>[] => cli.records().filter((r) => r.kind === 'tunnel');

/**
 * Sends `signal` and checks the CLI exits cleanly within 2 s (a clean exit means nothing
 * was left open) and that no tunnel worker of it is left anywhere, not even orphaned.
 */
async function quit(cli: RunningCli, signal: NodeJS.Signals): Promise<number> {
  const localPort = Number(new URL(cli.records().find((r) => r.kind === 'ready')!.webhookUrl as string).port);
  const started = performance.now();
  cli.child.kill(signal);
  const exit = await Promise.race([cli.exited, new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), 2_000))]);
  const ms = performance.now() - started;
  expect(exit, `exit after ${signal}; stderr: ${cli.stderr()}`).toEqual({ code: 0, signal: null });
  expect(tunnelWorkerPids({ localPort })).toEqual([]);
  return ms;
}

describe('coreone-inspect --json with a tunnel', () => {
  it('prints ready with no tunnel URL, then tunnel records; events arrive through the relay', async () => {
    const cli = listen(relay.host, 'cli-json');
    const ready = await cli.waitForRecord((r) => r.kind === 'ready', 'ready');
    expect(cli.records()[0]).toEqual(ready);
    expect(ready.tunnelUrl).toBeNull();
    const up = await cli.waitForRecord((r) => r.kind === 'tunnel' && r.status === 'up', 'tunnel up');
    expect(up.url).toBe('http://cli-json.localhost');
    expect(tunnelRecords(cli)[0]).toEqual({ kind: 'tunnel', status: 'connecting', attempt: 1 });
    // The CLI probes the public URL itself; *.localhost without the relay's port does not
    // resolve here, and it says so rather than claiming the tunnel works.
    const verdict = await cli.waitForRecord((r) => r.kind === 'tunnel' && r.probe !== undefined && r.probe !== 'pending', 'probe verdict');
    expect(verdict).toMatchObject({ status: 'up', probe: 'unverified' });

    const body = '{"accession":"A-1","status":"Received"}';
    const reply = await relay.request(up.url as string, {
      path: '/coreone',
      headers: { 'X-Coreone-Webhook-Type': 'accession/status_change', 'X-Coreone-Webhook-Hash': createHmac('sha256', SECRET).update(body).digest('hex') },
      body,
    });
    expect(reply.status).toBe(200);
    const event = (await cli.waitForRecord((r) => r.kind === 'event', 'event')).event as { body: string; path: string; signature: { status: string } };
    expect(event).toMatchObject({ body, path: '/coreone', signature: { status: 'valid' } });
    await quit(cli, 'SIGINT');
  });

  it('refuses a bad --subdomain or --tunnel-host before starting, exit 2 with one sentence', async () => {
    const badName = await runCli(['--json', '--no-ui', '--subdomain', 'Not_OK']);
    expect(badName.code).toBe(2);
    expect(badName.stderr).toContain('A subdomain is 4 to 63 characters of a-z, 0-9 and -.');
    expect(badName.stdout).toBe('');
    const badHost = await runCli(['--json', '--tunnel-host', 'ftp://lt.example.com']);
    expect(badHost.code).toBe(2);
    expect(badHost.stderr.trim()).toBe('coreone-inspect: --tunnel-host "ftp://lt.example.com" must be an http:// or https:// URL.');
  });
});

describe('quitting in every tunnel state', () => {
  const figures: string[] = [];
  afterAll(() => console.info(`[tunnel-cli figures] exit after signal: ${figures.join(', ')}`));

  it('SIGKILL, which nothing can handle: the orphaned worker ends by itself', async () => {
    const cli = listen(relay.host, 'cli-killed');
    await cli.waitForRecord((r) => r.kind === 'tunnel' && r.status === 'up', 'up');
    const localPort = Number(new URL(cli.records().find((r) => r.kind === 'ready')!.webhookUrl as string).port);
    expect(tunnelWorkerPids({ localPort })).toHaveLength(1);
    cli.child.kill('SIGKILL');
    await cli.exited;
    const started = performance.now();
    await waitFor(() => tunnelWorkerPids({ localPort }).length === 0, { timeoutMs: 2_000, what: 'the orphaned worker to end' });
    figures.push(`orphan gone ${(performance.now() - started).toFixed(0)} ms after SIGKILL`);
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} while connecting`, async () => {
      const cli = listen(`http://localhost:${(silent.address() as { port: number }).port}`, 'cli-conn');
      await cli.waitForRecord((r) => r.kind === 'tunnel' && r.status === 'connecting', 'connecting');
      await waitFor(() => tunnelWorkerPids({ parent: cli.child.pid }).length === 1, { what: 'the worker' });
      figures.push(`${signal} connecting ${(await quit(cli, signal)).toFixed(0)} ms`);
    });

    it(`${signal} while up`, async () => {
      const cli = listen(relay.host, `cli-up-${signal.toLowerCase()}`);
      await cli.waitForRecord((r) => r.kind === 'tunnel' && r.status === 'up', 'up');
      figures.push(`${signal} up ${(await quit(cli, signal)).toFixed(0)} ms`);
    });

    it(`${signal} while down`, async () => {
      const own = await startRelay();
      try {
        const cli = listen(own.host, 'cli-down');
        await cli.waitForRecord((r) => r.kind === 'tunnel' && r.status === 'up', 'up');
        await own.kill();
        const down = await cli.waitForRecord((r) => r.kind === 'tunnel' && r.status === 'down', 'down');
        expect(down.error).toMatch(/^Lost the tunnel to http:\/\/localhost:\d+: connection refused; reconnecting in 1 s\.$/);
        figures.push(`${signal} down ${(await quit(cli, signal)).toFixed(0)} ms`);
      } finally {
        await own.kill();
      }
    }, 30_000);

    it(`${signal} while in error`, async () => {
      const port = await freePort();
      const cli = listen(`http://localhost:${port}`, 'cli-err');
      const error = await cli.waitForRecord((r) => r.kind === 'tunnel' && r.status === 'error', 'error');
      expect(error.error).toBe(`Cannot reach the tunnel server at http://localhost:${port}: connection refused; retrying in 1 s.`);
      figures.push(`${signal} error ${(await quit(cli, signal)).toFixed(0)} ms`);
    });
  }
});
