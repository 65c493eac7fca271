// Receive-to-stream latency: at a steady request rate, the time from a request's send
// stamp (in its body) to the moment the inspector-stream client, in another process on
// another CPU, has the event. Both stamps come from process.hrtime (CLOCK_MONOTONIC), one
// clock for every process on the host.
//
// Beside it, each round measures the machine's floor at the same rate: the round trip of
// a POST to the bare node:http server (one hop and back, no log, no stream). On a VM
// whose idle CPUs must be woken for every request, that floor alone can take most of a
// millisecond budget, and it is what the listener's figure should be read against.
import { jsonBody, signedHeaders, WEBHOOK_PATH } from './support/bodies.js';
import type { LoadResult } from './support/load.js';
import type { Message } from './support/child.js';
import { startLoadChild, startServer, startStreamClient } from './support/processes.js';
import { spread, type Distribution, type Spread } from './support/stats.js';

export interface LatencyBenchOptions {
  rounds: number;
  ratePerS: number;
  durationS: number;
  warmupS: number;
  size: number;
  progress: (line: string) => void;
}

export interface LatencySummary {
  ratePerS: number;
  size: number;
  rounds: Distribution[];
  p50Ms: Spread;
  p99Ms: Spread;
  maxMs: Spread;
  /** The bare server's round trip at the same rate, per round. */
  floor: { p50Ms: Spread; p99Ms: Spread };
}

export async function benchLatency(options: LatencyBenchOptions): Promise<LatencySummary> {
  const rounds: Distribution[] = [];
  const floors: LoadResult[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    const result = await measure(options);
    rounds.push(result);
    const floor = await measureFloor(options);
    floors.push(floor);
    options.progress(
      `latency round ${round}/${options.rounds}: ${result.count} events, p50 ${result.p50.toFixed(2)} ms, ` +
        `p99 ${result.p99.toFixed(2)} ms, max ${result.max.toFixed(2)} ms; bare round trip p50 ${floor.p50Ms.toFixed(2)} ms, p99 ${floor.p99Ms.toFixed(2)} ms`,
    );
  }
  return {
    ratePerS: options.ratePerS,
    size: options.size,
    rounds,
    p50Ms: spread(rounds.map((r) => r.p50)),
    p99Ms: spread(rounds.map((r) => r.p99)),
    maxMs: spread(rounds.map((r) => r.max)),
    floor: { p50Ms: spread(floors.map((f) => f.p50Ms)), p99Ms: spread(floors.map((f) => f.p99Ms)) },
  };
}

/** The bare server's round-trip times at the same steady rate, from one keep-alive connection. */
async function measureFloor(options: LatencyBenchOptions): Promise<LoadResult> {
  const server = await startServer('bare');
  try {
    const body = jsonBody(options.size);
    const load = {
      url: `${server.url}${WEBHOOK_PATH}`,
      headers: signedHeaders('bare', body),
      body: body.toString('utf8'),
      connections: 1,
      durationS: options.durationS,
      warmupS: options.warmupS,
      ratePerS: options.ratePerS,
    };
    const child = startLoadChild('floor load', 'load', load);
    try {
      const timeoutMs = (options.warmupS + options.durationS) * 1000 + 30_000;
      await child.next('warmed', timeoutMs);
      const result = await child.next<LoadResult>('result', timeoutMs);
      if (result.non2xx > 0 || result.errors > 0) throw new Error(`The bare server failed ${result.non2xx + result.errors} paced requests.`);
      return result;
    } finally {
      await child.stop();
    }
  } finally {
    await server.child.stop();
  }
}

async function measure(options: LatencyBenchOptions): Promise<Distribution> {
  const server = await startServer('listener');
  const client = await startStreamClient(server.inspectUrl!, true).catch(async (error: unknown) => {
    await server.child.stop();
    throw error;
  });
  try {
    const sender = { url: server.url, size: options.size, ratePerS: options.ratePerS, warmupS: options.warmupS, durationS: options.durationS };
    const child = startLoadChild('paced sender', 'paced-sender', sender);
    try {
      const timeoutMs = (options.warmupS + options.durationS) * 1000 + 30_000;
      await child.next('warmed', timeoutMs);
      client.send({ kind: 'report' }); // forget the warm-up
      await client.next('report');
      const done = await child.next<Message & { sent: number; failed: number }>('done', timeoutMs);
      if (done.failed > 0) throw new Error(`${done.failed} of ${done.sent} paced requests failed.`);
    } finally {
      await child.stop();
    }
    client.send({ kind: 'report' });
    const report = await client.next<Message & { latencyMs: Distribution; status: string | null }>('report');
    if (report.status !== 'valid') throw new Error(`The listener's verdict on the paced requests was ${report.status}, not valid.`);
    return report.latencyMs;
  } finally {
    await client.stop();
    await server.child.stop();
  }
}
