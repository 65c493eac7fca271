// Throughput and latency under load: our listener (the whole pipeline, with one inspector
// stream client reading in another process) against a bare node:http server and
// @octokit/webhooks' node middleware, in alternating rounds so that drift on a shared
// machine (other processes, thermal, page cache) falls on all three alike.
import { jsonBody, signedHeaders, WEBHOOK_PATH, type ServerKind } from './support/bodies.js';
import type { LoadOptions, LoadResult } from './support/load.js';
import { startLoadChild, startServer, startStreamClient, type RunningServer } from './support/processes.js';
import { spread, type Spread } from './support/stats.js';
import type { Message } from './support/child.js';
import { errorMessage } from '../server/error-message.js';

export const SERVERS: readonly ServerKind[] = ['listener', 'bare', 'octokit'];
/** A round's servers: the three, and with `--baseline` another tree's listener (running its own code). */
export type Contender = ServerKind | 'baseline';

export interface ListenerBenchOptions {
  rounds: number;
  durationS: number;
  warmupS: number;
  connections: number;
  sizes: readonly number[];
  progress: (line: string) => void;
  /** The root of another built tree of the project, whose listener joins every round. */
  baseline?: string;
}

export interface RoundResult {
  round: number;
  server: Contender;
  size: number;
  load: LoadResult;
  /** The server process's CPU time (all its threads) per request over the measured part. */
  cpuUsPerRequest: number;
  /** Live events the stream client received (listener only): at least `load.completed`. */
  streamed?: number;
}

export interface SizeSummary {
  size: number;
  servers: Contender[];
  perServer: Partial<Record<Contender, { requestsPerS: Spread; p50Ms: Spread; p99Ms: Spread; cpuUsPerRequest: Spread; generatorBusy: Spread }>>;
  /** Listener requests/s over the other server's, each round's pair taken together. */
  vsBare: Spread;
  vsOctokit: Spread;
  /** With a baseline: its listener against octokit, and ours against it, the same way. */
  baselineVsOctokit?: Spread;
  vsBaseline?: Spread;
}

export async function benchListener(options: ListenerBenchOptions): Promise<{ rounds: RoundResult[]; sizes: SizeSummary[] }> {
  const rounds: RoundResult[] = [];
  const servers: Contender[] = options.baseline === undefined ? [...SERVERS] : ['listener', 'baseline', 'bare', 'octokit'];
  for (let round = 1; round <= options.rounds; round++) {
    // The order turns every round so that no server always runs first (or last).
    const order = servers.map((_, i) => servers[(i + round - 1) % servers.length]!);
    for (const size of options.sizes) {
      for (const server of order) {
        const result = await measure(server, size, round, options).catch((error: unknown) => {
          // On a shared machine a process can die for reasons of its own: one more try.
          options.progress(`round ${round} ${label(size)} ${server} failed (${errorMessage(error)}); retrying once`);
          return measure(server, size, round, options);
        });
        rounds.push(result);
        options.progress(
          `round ${round}/${options.rounds} ${label(size)} ${server.padEnd(8)} ${Math.round(result.load.requestsPerS)} req/s ` +
            `p50 ${result.load.p50Ms.toFixed(2)} ms p99 ${result.load.p99Ms.toFixed(2)} ms, server CPU ${Math.round(result.cpuUsPerRequest)} us/request ` +
            `(load generator ${Math.round(result.load.generatorBusy * 100)}% busy)`,
        );
      }
    }
  }
  return { rounds, sizes: options.sizes.map((size) => summarizeSize(size, servers, rounds.filter((r) => r.size === size))) };
}

async function measure(server: Contender, size: number, round: number, options: ListenerBenchOptions): Promise<RoundResult> {
  const body = jsonBody(size);
  const kind: ServerKind = server === 'baseline' ? 'listener' : server;
  const running = await startServer(kind, server === 'baseline' ? { root: options.baseline! } : {});
  const client = running.inspectUrl ? await startStreamClient(running.inspectUrl, false) : null;
  try {
    const load: LoadOptions = {
      url: `${running.url}${WEBHOOK_PATH}`,
      headers: signedHeaders(kind, body),
      body: body.toString('utf8'),
      connections: options.connections,
      durationS: options.durationS,
      warmupS: options.warmupS,
    };
    const timeoutMs = (options.durationS + options.warmupS) * 1000 + 30_000;
    const generator = startLoadChild('load generator', 'load', load);
    let result: LoadResult;
    let cpuUs: number;
    try {
      await generator.next('warmed', timeoutMs);
      const before = await serverCpu(running);
      result = await generator.next<LoadResult>('result', timeoutMs);
      cpuUs = (await serverCpu(running)) - before;
    } finally {
      await generator.stop();
    }
    const cpuUsPerRequest = cpuUs / result.completed;
    if (result.non2xx > 0 || result.errors > 0) {
      throw new Error(`${server} answered ${result.non2xx} non-2xx and ${result.errors} errors out of ${result.completed}: the load is not signed right, or the server failed.`);
    }
    if (!client) return { round, server, size, load: result, cpuUsPerRequest };
    client.send({ kind: 'report' });
    const report = await client.next<Message & { events: number; status: string | null }>('report');
    if (report.status !== 'valid') throw new Error(`The listener's verdict on the load was ${report.status}, not valid.`);
    return { round, server, size, load: result, cpuUsPerRequest, streamed: report.events };
  } finally {
    await client?.stop();
    await running.child.stop();
  }
}

async function serverCpu(server: RunningServer): Promise<number> {
  server.child.send({ kind: 'cpu' });
  return (await server.child.next<Message & { us: number }>('cpu')).us;
}

function summarizeSize(size: number, servers: Contender[], results: RoundResult[]): SizeSummary {
  const of = (server: Contender) => results.filter((r) => r.server === server);
  const per = (server: Contender) => ({
    requestsPerS: spread(of(server).map((r) => r.load.requestsPerS)),
    p50Ms: spread(of(server).map((r) => r.load.p50Ms)),
    p99Ms: spread(of(server).map((r) => r.load.p99Ms)),
    cpuUsPerRequest: spread(of(server).map((r) => r.cpuUsPerRequest)),
    generatorBusy: spread(of(server).map((r) => r.load.generatorBusy)),
  });
  const ratio = (other: Contender, server: Contender = 'listener'): Spread =>
    spread(of(server).map((r) => r.load.requestsPerS / of(other).find((o) => o.round === r.round)!.load.requestsPerS));
  return {
    size,
    servers,
    perServer: Object.fromEntries(servers.map((server) => [server, per(server)])),
    vsBare: ratio('bare'),
    vsOctokit: ratio('octokit'),
    ...(servers.includes('baseline') ? { baselineVsOctokit: ratio('octokit', 'baseline'), vsBaseline: ratio('baseline') } : {}),
  };
}

export function label(size: number): string {
  return size >= 1024 ? `${size / 1024} KB` : `${size} B`;
}
