// The `check` battery's time (issue 13): the whole battery, valid-large included, against a
// correct local node:http handler, median of 5 runs (target under 3 s), beside the same
// requests sent by a plain loop of node:http requests, so what check itself adds (building
// and signing the bodies, judging, findings) is visible; and the command end to end, a
// process of the built bin, as a user runs it.
//   node dist/bench/check.js [--rounds 5]
import { execFile } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildCases, type CheckRequest } from '../server/check/cases.js';
import { findings } from '../server/check/findings.js';
import { runBattery } from '../server/check/run.js';
import { formatSpread, spread, type Spread } from './support/stats.js';

const SECRET = 'bench-check-secret';
const TARGET_MS = 3000;
const CLI = fileURLToPath(new URL('../cli/coreone-inspect.cjs', import.meta.url));

/** The correct handler: HMAC over the raw bytes, constant-time, 401 or 200. */
function startHandler(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const header = String(req.headers['x-coreone-webhook-hash'] ?? '');
      const expected = createHmac('sha256', SECRET).update(Buffer.concat(chunks)).digest();
      const ok = /^[0-9a-f]{64}$/i.test(header) && timingSafeEqual(expected, Buffer.from(header, 'hex'));
      res.statusCode = ok ? 200 : 401;
      res.end(ok ? '{"ok":true}' : '{"error":"bad signature"}');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}/webhooks`,
        close: () => new Promise((done) => server.close(() => done())),
      });
    }),
  );
}

/** One request as a plain loop sends it: a fresh connection (as check's), the reply read to its end. */
function plainPost(url: URL, request: CheckRequest): Promise<void> {
  return new Promise((resolve, reject) => {
    const outgoing = http.request(url, {
      method: 'POST',
      agent: false,
      headers: { ...request.headers, 'content-length': String(request.body.length) },
    });
    outgoing.on('error', reject);
    outgoing.on('response', (response) => {
      response.resume();
      response.on('end', () => resolve());
    });
    outgoing.end(request.body);
  });
}

async function timed(action: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await action();
  return performance.now() - started;
}

function runCliOnce(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CLI, 'check', '--to', url, '--json'], { env: { ...process.env, COREONE_WEBHOOK_SECRET: SECRET } }, (error) =>
      error ? reject(error) : resolve(),
    );
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds must be a whole number of at least 1.');
  const handler = await startHandler();
  const url = new URL(handler.url);
  try {
    const requests = buildCases(SECRET).flatMap((testCase) => testCase.requests);
    const battery: number[] = [];
    const loop: number[] = [];
    const cli: number[] = [];
    for (let round = 0; round < rounds; round++) {
      // In turn, so that a slower moment of the machine weighs on all three alike.
      battery.push(
        await timed(async () => {
          const results = await runBattery(url, buildCases(SECRET), { timeoutMs: 10_000 });
          findings(results);
          if (results.some((result) => result.outcome !== 'pass')) throw new Error('The correct handler failed a case: the bench measures nothing.');
        }),
      );
      loop.push(await timed(async () => {
        for (const request of requests) await plainPost(url, request);
      }));
      cli.push(await timed(() => runCliOnce(handler.url)));
    }
    const row = (name: string, figures: Spread) => `${name.padEnd(34)} ${formatSpread(figures, 0).padStart(20)} ms`;
    const batteryFigures = spread(battery);
    console.log(`check battery: ${requests.length} requests (valid-large about 1 MiB), ${rounds} rounds, min / median / max`);
    console.log(row('battery (build, send, judge)', batteryFigures));
    console.log(row('the same requests, a plain loop', spread(loop)));
    console.log(row('`check --json`, the built bin', spread(cli)));
    console.log(`check's own share: ${(batteryFigures.median - spread(loop).median).toFixed(0)} ms of the median; target: battery under ${TARGET_MS} ms: ${batteryFigures.median < TARGET_MS ? 'met' : 'MISSED'}`);
  } finally {
    await handler.close();
  }
}

await main();
