// The load generator, in a process of its own (pinned to the client CPU): autocannon
// against one server for one round.
//   node load.js '<json options>'
// Prints {"kind":"warmed"} after the warm-up, then {"kind":"result",...}: requests/s,
// latency percentiles, non-2xx and errors, and how busy this process was (a saturated
// generator would understate the server).
import autocannon from 'autocannon';
import { emit, failWith, type Message } from './child.js';
import { summarize, type Distribution } from './stats.js';

export interface LoadOptions {
  url: string;
  headers: Record<string, string>;
  body: string;
  connections: number;
  durationS: number;
  warmupS: number;
  /** A steady total rate instead of as fast as the server answers. */
  ratePerS?: number;
}

export interface LoadResult extends Message {
  kind: 'result';
  requestsPerS: number;
  p50Ms: number;
  p99Ms: number;
  completed: number;
  non2xx: number;
  errors: number;
  /** CPU time of this process over the measured part, as a fraction of wall time. */
  generatorBusy: number;
}

/**
 * One autocannon run, with the response time of every 2xx answer: autocannon's own
 * percentiles are whole milliseconds, too coarse for a server that answers in 0.3 ms.
 */
function run(options: autocannon.Options): Promise<{ result: autocannon.Result; latencies: Distribution }> {
  const times: number[] = [];
  return new Promise((resolve, reject) => {
    const tracker = autocannon(options, (error, result) => (error ? reject(error) : resolve({ result, latencies: summarize(times) })));
    tracker.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      if (status < 300) times.push(ms);
    });
  });
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2]!) as LoadOptions;
  const common = {
    url: options.url,
    method: 'POST' as const,
    headers: options.headers,
    body: options.body,
    connections: options.connections,
    ...(options.ratePerS ? { overallRate: options.ratePerS } : {}),
  };
  // Warm-up: lets the server's JIT settle; its figures are thrown away.
  await run({ ...common, duration: options.warmupS });
  emit({ kind: 'warmed' });
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const { result, latencies } = await run({ ...common, duration: options.durationS });
  const wallUs = Number(process.hrtime.bigint() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const output: LoadResult = {
    kind: 'result',
    requestsPerS: result.requests.total / (result.duration || options.durationS),
    p50Ms: latencies.p50,
    p99Ms: latencies.p99,
    completed: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    generatorBusy: (used.user + used.system) / wallUs,
  };
  emit(output);
}

main().catch(failWith);
