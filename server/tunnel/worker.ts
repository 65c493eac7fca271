// One attempt at a localtunnel tunnel, in a process of its own. The supervisor
// (server/tunnel/tunnel.ts) forks this file and ends it with a signal when the attempt fails,
// breaks or is no longer wanted: the client's retry loop cannot be cancelled from
// outside (STACK.md), so the only reliable way to stop it is to end the process it runs in.
//
// The worker never prints: it reports over IPC and otherwise stays quiet.
import { createRequire } from 'node:module';
import type { WorkerMessage, WorkerOptions } from './protocol.js';

/** The parts of @n8n/localtunnel this file touches (its own types do not cover lib/). */
interface TunnelClient {
  clientId?: string;
  on(event: 'url', listener: (url: string) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  open(callback: (error?: Error) => void): void;
}
type TunnelClientClass = new (options: Record<string, unknown>) => TunnelClient;
interface ClusterPrototype {
  open(this: { opts: { local_host?: string } }): void;
}
interface AxiosLike {
  interceptors: {
    response: {
      use(onOk: (response: { data: unknown }) => unknown, onError: (error: unknown) => unknown): void;
    };
  };
}

const options = JSON.parse(process.argv[2] ?? '{}') as WorkerOptions;

// Resolve everything through the client's own require, so the patches below reach the very
// module instances it uses.
const clientRequire = createRequire(createRequire(import.meta.url).resolve('@n8n/localtunnel'));
const Tunnel = clientRequire('./lib/Tunnel.js') as TunnelClientClass;
const TunnelCluster = clientRequire('./lib/TunnelCluster.js') as { prototype: ClusterPrototype };
const axios = clientRequire('axios') as AxiosLike;

let reported = false;
let up = false;

/** Reports once; afterwards the worker only waits for the supervisor to end it. */
function report(message: WorkerMessage): void {
  if (reported && message.kind !== 'up') return;
  if (message.kind !== 'up') reported = true;
  process.send?.(message);
}

/** A promise that never settles: it parks the client's open sequence for good. */
const park = (): Promise<never> => new Promise<never>(() => {});

function describeRequestFailure(error: unknown): string {
  const where = `the tunnel server at ${options.tunnelHost}`;
  const e = error as { code?: string; message?: string; response?: { status: number; data?: unknown } };
  if (e.response) {
    const data = e.response.data as { message?: unknown } | undefined;
    const said = typeof data?.message === 'string' ? `: ${data.message.replace(/\.$/, '')}` : '';
    return `The tunnel server at ${options.tunnelHost} refused the tunnel (HTTP ${e.response.status}${said})`;
  }
  const reasons: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ENOTFOUND: 'host not found',
    EAI_AGAIN: 'name lookup failed (no network?)',
    ECONNRESET: 'connection reset',
    ETIMEDOUT: 'connection timed out',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
  };
  const reason = (e.code && reasons[e.code]) ?? e.message ?? String(error);
  return `Cannot reach ${where}: ${reason}`;
}

// The client asks the server for a tunnel with axios and, on any failure, retries every
// second forever without telling anyone. Seeing each answer here lets the worker say at
// once why the attempt failed, and parking the sequence stops the hidden retries.
axios.interceptors.response.use(
  (response) => {
    const info = response.data as { id?: unknown; port?: unknown; url?: unknown } | null;
    if (typeof info !== 'object' || info === null || typeof info.id !== 'string' || typeof info.port !== 'number' || typeof info.url !== 'string') {
      report({ kind: 'failed', problem: `The server at ${options.tunnelHost} did not answer like a localtunnel server` });
      return park();
    }
    return response;
  },
  (error) => {
    report({ kind: 'failed', problem: describeRequestFailure(error) });
    return park();
  },
);

// The client dials `local_host` for each request, but setting that option also makes it
// rewrite the Host header of the first request on each socket, which can corrupt a binary
// body (STACK.md). open() reads the address to dial synchronously, so the option is set
// only for that call and the rewrite, decided later, never happens.
const openCluster = TunnelCluster.prototype.open;
TunnelCluster.prototype.open = function openWithLocalHost() {
  this.opts.local_host = options.localHost;
  try {
    openCluster.call(this);
  } finally {
    delete this.opts.local_host;
  }
};

const tunnel = new Tunnel({
  port: options.localPort,
  host: options.tunnelHost,
  ...(options.subdomain ? { subdomain: options.subdomain } : {}),
});
// `url` fires when the first tunnel socket is connected, so the relay can forward from then on.
tunnel.on('url', (url) => {
  up = true;
  report({ kind: 'up', url, clientId: tunnel.clientId ?? '' });
});
// Without a listener these would be uncaught exceptions. The client emits them when a tunnel
// socket is refused, which in practice means the relay is gone and it will not come back to it.
tunnel.on('error', (error) => {
  const reason = /^connection refused/.test(error.message) ? 'connection refused' : error.message;
  if (up) report({ kind: 'lost', problem: `Lost the tunnel to ${options.tunnelHost}: ${reason}` });
  else report({ kind: 'failed', problem: `Cannot connect to the tunnel server at ${options.tunnelHost}: ${reason}` });
});
tunnel.open((error) => {
  if (error) report({ kind: 'failed', problem: `The tunnel server at ${options.tunnelHost} refused the tunnel: ${error.message}` });
});

// When the supervisor goes away (even killed), the IPC channel closes: end with it.
process.on('disconnect', () => process.exit(0));
process.on('uncaughtException', (error) => {
  report({ kind: up ? 'lost' : 'failed', problem: `The tunnel client failed: ${error.message}` });
});
