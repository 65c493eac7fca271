// Receive-to-stream latency: at a steady request rate, the time from the moment the
// listener received a request (its HTTP server had parsed the head, noted in the
// listener's process) to the moment the inspector-stream client, in another process on
// another CPU, has the event: the measure. Beside it, the time from the request's
// send stamp (in its body) to that same moment, which adds the sender-to-listener hop.
// Every stamp comes from process.hrtime (CLOCK_MONOTONIC), one clock for every process
// on the host.
//
// One run per round at the steady rate, read in two windows: its first seconds, while V8
// still runs the request path unoptimized (at 200 requests/s it takes some 3,000 requests,
// about 15 s, before the path is compiled: p50 from receipt fell from ~0.4 to ~0.1 ms here),
// and its last seconds, the steady state of an inspector that has been running a while.
//
// Each round also measures the machine's floor at the same rate: the round trip of a POST
// to the bare node:http server (one hop and back, no log, no stream). On this VM that floor
// alone has a p99 of about 3 ms: its CPUs stall now and then for milliseconds (a process
// that only spins sees gaps of up to 3 ms a few times a second).
import { jsonBody, signedHeaders, WEBHOOK_PATH } from './support/bodies.js';
import type { LoadResult } from './support/load.js';
import type { Message } from './support/child.js';
import { startLoadChild, startServer, startStreamClient } from './support/processes.js';
import { spread, summarize, type Distribution, type Spread } from './support/stats.js';

export interface LatencyBenchOptions {
  rounds: number;
  ratePerS: number;
  /** The whole run at the rate, after the warm-up. */
  durationS: number;
  /** The length of each window read from the run (its first and its last seconds); also the floor's run. */
  windowS: number;
  warmupS: number;
  size: number;
  progress: (line: string) => void;
  /** The root of another built tree of the project, whose listener is measured in every round too. */
  baseline?: string;
}

/** One round's distributions, in ms. */
export interface LatencyRound {
  /** Receipt at the listener to the stream client, the run's last window. */
  steady: Distribution;
  /** The same, the run's first window. */
  first: Distribution;
  /** Send stamp to the stream client, the run's last window. */
  sentSteady: Distribution;
}

export interface LatencyFigures {
  p50Ms: Spread;
  p99Ms: Spread;
  maxMs: Spread;
}

export interface LatencySummary {
  ratePerS: number;
  size: number;
  durationS: number;
  windowS: number;
  rounds: LatencyRound[];
  /** Receipt to stream client once the path is optimized: what the target is about. */
  steady: LatencyFigures;
  first: LatencyFigures;
  sentSteady: LatencyFigures;
  /** The bare server's round trip at the same rate, per round. */
  floor: { p50Ms: Spread; p99Ms: Spread };
  /** With a baseline: its listener's figures, measured in the same rounds. */
  baseline?: { steady: LatencyFigures; first: LatencyFigures; sentSteady: LatencyFigures };
}

export async function benchLatency(options: LatencyBenchOptions): Promise<LatencySummary> {
  const rounds: LatencyRound[] = [];
  const baselineRounds: LatencyRound[] = [];
  const floors: LoadResult[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    // With a baseline, the two listeners take turns at going first.
    const baselineFirst = options.baseline !== undefined && round % 2 === 0;
    if (baselineFirst) baselineRounds.push(await measure(options, options.baseline));
    const result = await measure(options);
    rounds.push(result);
    if (options.baseline !== undefined && !baselineFirst) baselineRounds.push(await measure(options, options.baseline));
    const floor = await measureFloor(options);
    floors.push(floor);
    const { steady, first, sentSteady } = result;
    const ms = (d: Distribution): string => `p50 ${d.p50.toFixed(2)} ms, p99 ${d.p99.toFixed(2)} ms`;
    const theirs = baselineRounds.at(-1);
    const baselineNote = theirs ? `; baseline from receipt, last ${options.windowS} s ${ms(theirs.steady)}` : '';
    options.progress(
      `latency round ${round}/${options.rounds}: from receipt, last ${options.windowS} s ${ms(steady)}, max ${steady.max.toFixed(2)} ms ` +
        `(first ${options.windowS} s ${ms(first)}); from the send stamp, last ${options.windowS} s ${ms(sentSteady)}; ` +
        `bare round trip p50 ${floor.p50Ms.toFixed(2)} ms, p99 ${floor.p99Ms.toFixed(2)} ms${baselineNote}`,
    );
  }
  const figures = (of: (round: LatencyRound) => Distribution, from = rounds): LatencyFigures => ({
    p50Ms: spread(from.map((r) => of(r).p50)),
    p99Ms: spread(from.map((r) => of(r).p99)),
    maxMs: spread(from.map((r) => of(r).max)),
  });
  return {
    ratePerS: options.ratePerS,
    size: options.size,
    durationS: options.durationS,
    windowS: options.windowS,
    rounds,
    steady: figures((r) => r.steady),
    first: figures((r) => r.first),
    sentSteady: figures((r) => r.sentSteady),
    floor: { p50Ms: spread(floors.map((f) => f.p50Ms)), p99Ms: spread(floors.map((f) => f.p99Ms)) },
    ...(baselineRounds.length > 0
      ? {
          baseline: {
            steady: figures((r) => r.steady, baselineRounds),
            first: figures((r) => r.first, baselineRounds),
            sentSteady: figures((r) => r.sentSteady, baselineRounds),
          },
        }
      : {}),
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
      durationS: options.windowS,
      warmupS: options.warmupS,
      ratePerS: options.ratePerS,
    };
    const child = startLoadChild('floor load', 'load', load);
    try {
      const timeoutMs = (options.warmupS + options.windowS) * 1000 + 30_000;
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

/** One run against this tree's listener, or with `root` another tree's. */
async function measure(options: LatencyBenchOptions, root?: string): Promise<LatencyRound> {
  const server = await startServer('listener', root === undefined ? { receipts: true } : { receipts: true, root });
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
    const report = await client.next<Message & { probes: Record<string, { arrived: string; sent: string }>; status: string | null }>('report');
    if (report.status !== 'valid') throw new Error(`The listener's verdict on the paced requests was ${report.status}, not valid.`);
    server.child.send({ kind: 'receipts' });
    const { at } = await server.child.next<Message & { at: Record<string, string> }>('receipts');
    return windows(report.probes, at, Math.round(options.windowS * options.ratePerS));
  } finally {
    await client.stop();
    await server.child.stop();
  }
}

/**
 * The run's first and last `size` events (in send order: the sender numbers its paths),
 * each event's latency from its receipt at the listener and from its send stamp.
 */
function windows(probes: Record<string, { arrived: string; sent: string }>, receipts: Record<string, string>, size: number): LatencyRound {
  const events = Object.entries(probes).map(([path, { arrived, sent }]) => {
    const received = receipts[path];
    if (received === undefined) throw new Error(`The listener has no receipt for ${path}, which the stream client had.`);
    return {
      n: Number(path.slice(path.lastIndexOf('/') + 1)),
      fromReceipt: Number(BigInt(arrived) - BigInt(received)) / 1e6,
      fromSend: Number(BigInt(arrived) - BigInt(sent)) / 1e6,
    };
  });
  if (events.length < 2 * size) throw new Error(`Only ${events.length} events reached the stream client: too few for two windows of ${size}.`);
  events.sort((a, b) => a.n - b.n);
  const first = events.slice(0, size);
  const last = events.slice(-size);
  return {
    steady: summarize(last.map((e) => e.fromReceipt)),
    first: summarize(first.map((e) => e.fromReceipt)),
    sentSteady: summarize(last.map((e) => e.fromSend)),
  };
}
