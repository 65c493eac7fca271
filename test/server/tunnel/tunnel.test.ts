// The supervised tunnel end to end: a real localtunnel relay on loopback
// (test/helpers/relay.ts), the real worker process, and a small real HTTP server standing
// in for the listener (it honours the probe contract of server/tunnel/probe.ts).
import { createHmac, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import http from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTunnel, type TunnelHandle, type TunnelOptions, type TunnelTimings } from '../../../server/tunnel/tunnel.js';
import { PROBE_HEADER } from '../../../server/http/listener.js';
import type { TunnelRecord } from '../../../server/types.js';
import { waitFor } from '../../helpers/wait.js';
import { closeServer, startLocal } from '../../helpers/tunnel-local.js';
import { freePort, startRelay, tunnelWorkerPids, type Relay } from '../../helpers/relay.js';

const FAST: Partial<TunnelTimings> = { openTimeoutMs: 5_000, backoffInitialMs: 100, backoffMaxMs: 400, probeTimeoutMs: 3_000 };

// ---------------------------------------------------------------- helpers

interface Watched {
  handle: TunnelHandle;
  records: { at: number; record: TunnelRecord }[];
  last(): TunnelRecord | undefined;
  /** Resolves with the first record at or after index `from` that matches. */
  next(what: string, match: (record: TunnelRecord) => boolean, from?: number, deadlineMs?: number): Promise<{ at: number; record: TunnelRecord; index: number }>;
}

const open: TunnelHandle[] = [];

const workerPids = (): number[] => tunnelWorkerPids();

function watch(options: Omit<TunnelOptions, 'onState'>): Watched {
  const records: Watched['records'] = [];
  const handle = startTunnel({ ...options, onState: (record) => records.push({ at: Date.now(), record }) });
  open.push(handle);
  return {
    handle,
    records,
    last: () => records.at(-1)?.record,
    next: (what, match, from = 0, deadlineMs) =>
      waitFor(
        () => {
          const index = records.findIndex((entry, i) => i >= from && match(entry.record));
          return index >= 0 ? { ...records[index]!, index } : undefined;
        },
        { what: () => `${what} (records so far: ${JSON.stringify(records.map((entry) => entry.record))})`, timeoutMs: deadlineMs },
      ),
  };
}

const probed = (record: TunnelRecord): boolean => record.status === 'up' && record.probe === 'ok';
const sign = (body: Buffer, secret: string): string => createHmac('sha256', secret).update(body).digest('hex');
const subdomain = (label: string): string => `${label}-${randomBytes(3).toString('hex')}`;

async function timed(action: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await action();
  return performance.now() - started;
}

// ---------------------------------------------------------------- suites

let relay: Relay;
let local: Awaited<ReturnType<typeof startLocal>>;

beforeAll(async () => {
  [relay, local] = await Promise.all([startRelay(), startLocal()]);
}, 60_000);

afterEach(async () => {
  await Promise.all(open.splice(0).map((handle) => handle.stop()));
  expect(workerPids()).toEqual([]);
});

afterAll(async () => {
  await relay?.kill();
  if (local) await closeServer(local.server);
});

describe('tunnel through a real relay', () => {
  it('delivers a signed event byte-exact, headers intact with lower-cased names, and passes the probe', async () => {
    const asked = subdomain('bytes');
    const tunnel = watch({ localPort: local.port, tunnelHost: relay.host, subdomain: asked, timings: FAST, probeRoute: relay.route });
    const { record } = await tunnel.next('probed up', probed);
    expect(record.url).toBe(`http://${asked}.localhost`);
    expect(record.requestedSubdomain).toBeUndefined();
    expect(local.probes).toHaveLength(1);
    expect(tunnel.records.map((entry) => entry.record.status)).toEqual(['connecting', 'up', 'up']);

    // JSON with non-ASCII text, then every byte value: both must arrive untouched.
    const bodies = [Buffer.from(JSON.stringify({ id: 1, name: 'Zoë ✓', note: 'a\r\nb' })), Buffer.from(Array.from({ length: 256 }, (_, i) => i))];
    for (const body of bodies) {
      const hash = sign(body, 'shh');
      const before = local.posts.length;
      const reply = await relay.request(record.url!, {
        path: '/hooks/coreone?x=1',
        headers: { 'Content-Type': 'application/json', 'X-Coreone-Webhook-Type': 'accession/status_change', 'X-Coreone-Webhook-Hash': hash },
        body,
      });
      expect(reply.status).toBe(200);
      const got = await waitFor(() => local.posts[before], { what: 'the event at the listener' });
      expect(got.body.equals(body)).toBe(true);
      expect(sign(got.body, 'shh')).toBe(got.headers['x-coreone-webhook-hash']);
      expect(got.headers['x-coreone-webhook-type']).toBe('accession/status_change');
      const names = got.rawHeaders.filter((_, i) => i % 2 === 0);
      expect(names).toContain('x-coreone-webhook-hash');
      expect(names.every((name) => name === name.toLowerCase())).toBe(true);
    }
  });

  it('dials the listener at its own address, not just localhost', async () => {
    const elsewhere = await startLocal('127.0.0.2');
    try {
      const tunnel = watch({ localPort: elsewhere.port, localHost: '127.0.0.2', tunnelHost: relay.host, subdomain: subdomain('addr'), timings: FAST, probeRoute: relay.route });
      const { record } = await tunnel.next('probed up', probed);
      await relay.request(record.url!, { body: '{"a":1}' });
      expect((await waitFor(() => elsewhere.posts[0], { what: 'the event' })).body.toString()).toBe('{"a":1}');
    } finally {
      await closeServer(elsewhere.server);
    }
  });

  it('says so when the subdomain asked for is taken', async () => {
    const asked = subdomain('taken');
    const first = watch({ localPort: local.port, tunnelHost: relay.host, subdomain: asked, timings: FAST, probe: false });
    await first.next('first up', (record) => record.status === 'up');
    const second = watch({ localPort: local.port, tunnelHost: relay.host, subdomain: asked, timings: FAST, probeRoute: relay.route });
    const { record } = await second.next('second up', (record) => record.status === 'up');
    expect(record.url).not.toBe(`http://${asked}.localhost`);
    expect(record.requestedSubdomain).toBe(asked);
    expect(record.note).toContain(`Subdomain "${asked}" is taken`);
    expect(record.note).toContain(record.url);
    // The replacement URL works all the same.
    const probedRecord = (await second.next('second probed', probed)).record;
    expect(probedRecord.note).toBe(record.note);
  });

  it('after its worker dies, reconnects and takes back its own subdomain', async () => {
    const asked = subdomain('again');
    // Retries far enough apart to outlast the relay's 1 s hold on a dropped client's name.
    const tunnel = watch({ localPort: local.port, tunnelHost: relay.host, subdomain: asked, timings: { ...FAST, backoffInitialMs: 400 }, probe: false });
    await tunnel.next('up', (record) => record.status === 'up');
    const [pid] = workerPids();
    process.kill(pid!, 'SIGKILL');
    const down = await tunnel.next('down', (record) => record.status === 'down');
    expect(down.record.error).toMatch(/^The tunnel process was ended by SIGKILL; reconnecting in \d+ ms\.$/);
    // The relay still holds the name for its dropped client for a second; the supervisor waits it out.
    const back = await tunnel.next('up again', (record) => record.status === 'up', down.index);
    expect(back.record.url).toBe(`http://${asked}.localhost`);
    expect(back.record.requestedSubdomain).toBeUndefined();
  });

  it('notices a tunnel that went silent, and reconnects', async () => {
    const asked = subdomain('quiet');
    const tunnel = watch({
      localPort: local.port,
      tunnelHost: relay.host,
      subdomain: asked,
      timings: { ...FAST, backoffInitialMs: 400, recheckMs: 200, probeTimeoutMs: 1_000 },
      probeRoute: relay.route,
    });
    await tunnel.next('probed up', probed);
    const probesBefore = local.probes.length;
    await waitFor(() => local.probes.length > probesBefore, { what: 'a re-check' });
    // A stopped worker keeps its sockets open but answers nothing: the relay still thinks
    // the tunnel is fine and the client raises no error. Only the re-check can tell.
    const [pid] = workerPids();
    process.kill(pid!, 'SIGSTOP');
    const down = await tunnel.next('down', (record) => record.status === 'down');
    expect(down.record.error).toMatch(
      /^The tunnel stopped passing requests to this listener \(a check request to http:\/\/quiet-\w+\.localhost failed: no answer within 1 s\); reconnecting in \d+ ms\.$/,
    );
    const back = await tunnel.next('probed up again', probed, down.index);
    expect(back.record.url).toBe(`http://${asked}.localhost`);
    expect(() => process.kill(pid!, 0)).toThrow();
  });

  it('tells when the relay answers the probe with its own page instead of the listener', async () => {
    const page = http.createServer((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end('<!doctype html><p>Friendly reminder: click to continue</p>');
    });
    await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
    const pagePort = (page.address() as { port: number }).port;
    try {
      const tunnel = watch({ localPort: local.port, tunnelHost: relay.host, subdomain: subdomain('page'), timings: FAST, probeRoute: () => ({ url: `http://127.0.0.1:${pagePort}/` }) });
      const { record } = await tunnel.next('probe verdict', (record) => record.probe === 'blocked');
      expect(record.status).toBe('error');
      expect(record.url).toMatch(/^http:\/\/page-/);
      expect(record.error).toContain('an HTML page (HTTP 200)');
      expect(record.error).toContain("CoreOne's POSTs would get that too");
      expect(record.error).toContain('--tunnel-host');
    } finally {
      await closeServer(page);
    }
  });

  it('stays up but says it could not check when the public URL cannot be reached from here', async () => {
    const closed = await freePort();
    const tunnel = watch({ localPort: local.port, tunnelHost: relay.host, subdomain: subdomain('unchk'), timings: FAST, probeRoute: () => ({ url: `http://127.0.0.1:${closed}/` }) });
    const { record } = await tunnel.next('probe verdict', (record) => record.probe === 'unverified');
    expect(record.status).toBe('up');
    expect(record.note).toMatch(/^Could not check the tunnel from here \(a test request to http:\/\/unchk-\w+\.localhost failed: .*ECONNREFUSED.*\); CoreOne may still reach it\.$/);
  });

  it('probes an https URL too, and a certificate it cannot trust leaves the tunnel unverified', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'coreone-tunnel-tls-'));
    const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
    const tls = https.createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => res.end(String(req.headers[PROBE_HEADER])));
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    try {
      const port = (tls.address() as { port: number }).port;
      const tunnel = watch({ localPort: local.port, tunnelHost: relay.host, subdomain: subdomain('tls'), timings: FAST, probeRoute: () => ({ url: `https://127.0.0.1:${port}/` }) });
      const { record } = await tunnel.next('probe verdict', (record) => record.probe !== undefined && record.probe !== 'pending');
      expect(record).toMatchObject({ status: 'up', probe: 'unverified' });
      expect(record.note).toMatch(/failed: self[- ]signed certificate/);
    } finally {
      tls.closeAllConnections();
      await new Promise((resolve) => tls.close(resolve));
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('tunnel supervision', () => {
  it('goes down when the relay dies and comes back up by itself, three times over', async () => {
    const own = await startRelay();
    try {
      const asked = subdomain('cycle');
      const tunnel = watch({ localPort: local.port, tunnelHost: own.host, subdomain: asked, timings: FAST, probeRoute: own.route });
      let from = (await tunnel.next('first probed up', probed)).index;
      const figures: string[] = [];
      for (let cycle = 1; cycle <= 3; cycle += 1) {
        const killedAt = Date.now();
        await own.kill();
        const down = await tunnel.next(`down #${cycle}`, (record) => record.status === 'down', from, 5_000);
        expect(down.record.error).toMatch(/^Lost the tunnel to http:\/\/localhost:\d+: connection refused; reconnecting in \d+ ms\.$/);
        expect(down.record.url).toBeUndefined();
        const restartedAt = Date.now();
        await own.start();
        const relayReady = Date.now();
        const up = await tunnel.next(`up #${cycle}`, probed, down.index, 10_000);
        expect(up.record.url).toBe(`http://${asked}.localhost`);
        figures.push(`cycle ${cycle}: down ${down.at - killedAt} ms after the kill, up ${up.at - relayReady} ms after the relay answered (relay start ${relayReady - restartedAt} ms)`);
        // While the relay was away, the attempts said why they failed.
        const between = tunnel.records.slice(down.index, up.index).map((entry) => entry.record);
        for (const failed of between.filter((record) => record.status === 'error')) {
          expect(failed.error).toMatch(/^Cannot reach the tunnel server at http:\/\/localhost:\d+: connection refused; retrying in \d+ ms\.$/);
        }
        const before = local.posts.length;
        const reply = await own.request(up.record.url!, { body: `{"cycle":${cycle}}` });
        expect(reply.status).toBe(200);
        expect((await waitFor(() => local.posts[before], { what: 'event after reconnect' })).body.toString()).toBe(`{"cycle":${cycle}}`);
        from = up.index + 1;
      }
      console.info(`[tunnel figures] ${figures.join('; ')}`);
    } finally {
      await own.kill();
    }
  }, 60_000);

  it('reports an unreachable relay at start and comes up by itself once it appears', async () => {
    const port = await freePort();
    const tunnel = watch({ localPort: local.port, tunnelHost: `http://localhost:${port}`, subdomain: subdomain('late'), timings: FAST, probeRoute: (url) => ({ url: `http://127.0.0.1:${port}/`, headers: { host: `${new URL(url).hostname}:${port}` } }) });
    const failed = await tunnel.next('error', (record) => record.status === 'error');
    expect(failed.record.error).toMatch(new RegExp(`^Cannot reach the tunnel server at http://localhost:${port}: connection refused; retrying in \\d+ ms\\.$`));
    expect(failed.record.retryInMs).toBeGreaterThanOrEqual(100);
    // Retries continue in the background, each one a new attempt.
    await tunnel.next('a later attempt', (record) => record.status === 'connecting' && (record.attempt ?? 0) >= 3);
    const late = await startRelay(port);
    try {
      const appearedAt = Date.now();
      const up = await tunnel.next('up', probed, failed.index, 10_000);
      console.info(`[tunnel figures] up ${up.at - appearedAt} ms after a late relay answered`);
      await late.request(up.record.url!, { body: 'late' });
      expect((await waitFor(() => local.posts.find((post) => post.body.toString() === 'late'), { what: 'event' })).method).toBe('POST');
    } finally {
      await late.kill();
    }
  }, 40_000);
});

describe('stop()', () => {
  /** Stops, checks it was prompt and left no worker, returns the time it took. */
  async function stopPromptly(tunnel: Watched): Promise<number> {
    const pidsBefore = workerPids();
    const ms = await timed(() => tunnel.handle.stop());
    expect(ms).toBeLessThan(2_000);
    expect(workerPids()).toEqual([]);
    for (const pid of pidsBefore) expect(() => process.kill(pid, 0)).toThrow();
    const count = tunnel.records.length;
    expect(tunnel.handle.current().status).toBe('down');
    await tunnel.handle.stop(); // idempotent, and nothing more is emitted
    expect(tunnel.records.length).toBe(count);
    return ms;
  }

  let silent: TcpServer;
  const silentSockets = new Set<Socket>();
  let silentPort: number;
  beforeAll(async () => {
    // Accepts connections and never answers: an attempt stays `connecting`.
    silent = createTcpServer((socket) => silentSockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentPort = (silent.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const socket of silentSockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  const figures: string[] = [];
  afterAll(() => console.info(`[tunnel figures] stop(): ${figures.join(', ')}`));

  it('while connecting', async () => {
    const tunnel = watch({ localPort: local.port, tunnelHost: `http://localhost:${silentPort}`, subdomain: subdomain('conn'), timings: FAST });
    await tunnel.next('connecting', (record) => record.status === 'connecting');
    await waitFor(() => workerPids().length === 1, { what: 'the worker' });
    expect(tunnel.last()?.status).toBe('connecting');
    figures.push(`connecting ${(await stopPromptly(tunnel)).toFixed(0)} ms`);
  });

  it('while connecting, the open times out and says so', async () => {
    const tunnel = watch({ localPort: local.port, tunnelHost: `http://localhost:${silentPort}`, subdomain: subdomain('tout'), timings: { ...FAST, openTimeoutMs: 300 } });
    const { record } = await tunnel.next('timeout', (record) => record.status === 'error');
    expect(record.error).toMatch(/^The tunnel server at http:\/\/localhost:\d+ gave no tunnel within 300 ms; retrying in \d+ ms\.$/);
    await tunnel.handle.stop();
  });

  it('while up', async () => {
    const tunnel = watch({ localPort: local.port, tunnelHost: relay.host, subdomain: subdomain('stopup'), timings: FAST, probeRoute: relay.route });
    await tunnel.next('probed up', probed);
    figures.push(`up ${(await stopPromptly(tunnel)).toFixed(0)} ms`);
  });

  it('while down', async () => {
    const own = await startRelay();
    try {
      const tunnel = watch({ localPort: local.port, tunnelHost: own.host, subdomain: subdomain('stopdn'), timings: { ...FAST, backoffInitialMs: 20_000 }, probe: false });
      await tunnel.next('up', (record) => record.status === 'up');
      await own.kill();
      await tunnel.next('down', (record) => record.status === 'down');
      figures.push(`down ${(await stopPromptly(tunnel)).toFixed(0)} ms`);
    } finally {
      await own.kill();
    }
  });

  it('while in error', async () => {
    const port = await freePort();
    const tunnel = watch({ localPort: local.port, tunnelHost: `http://localhost:${port}`, subdomain: subdomain('stoper'), timings: { ...FAST, backoffInitialMs: 20_000 } });
    await tunnel.next('error', (record) => record.status === 'error');
    figures.push(`error ${(await stopPromptly(tunnel)).toFixed(0)} ms`);
  });
});
