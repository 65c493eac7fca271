// The web inspector benchmark (issue 14): the real page (dist/web), served by a real
// StreamHub whose history holds 10,000 events of mixed types and sizes, in headless
// Chromium. It measures, inside the page:
//   - navigation start to the list drawn with the whole history counted (a few rounds),
//     then to every body in (they follow the list: `bodies=after`), and beside it the floor
//     of the old way: the whole history, bodies and all, read by a bare WebSocket;
//   - a key press (k in the Body tab, j in the Diff tab) to the next event's detail painted;
//   - a burst of 1,000 live events (hub.broadcast, as the inspector's consume() does) until
//     all of it is counted and its last row drawn;
//   - the page's JS heap after a garbage collection (CDP), and the bundle's gzip size.
//   node dist/bench/web.js      (human lines, then one JSON line)
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './support/browser.js';
import { bodiesInAt, burstDrawnAt, installProbe, loadedAt, pressKeys, readHistory, showTab, watchBurst } from './support/page-probe.js';
import { percentile } from './support/stats.js';
import { mixedEvents } from '../test/helpers/inspector-feed.js';
import type { StreamHub } from '../server/stream/hub.js';
import { outgoing, startBenchHub } from './support/hub.js';
import { errorMessage } from '../server/error-message.js';

const HISTORY = 10_000;
const BURST = 1_000;
const TOTAL = HISTORY + BURST;
const NAVIGATIONS = 3;
const KEY_PRESSES = 100;
const VIEWPORT = { width: 1400, height: 800 };
const TARGETS = { navigationMs: 1000, keyMedianMs: 50, burstMs: 1000, bundleGzipKb: 150 };

const WEB_DIR = fileURLToPath(new URL('../web/', import.meta.url));
const now = () => performance.timeOrigin + performance.now(); // wall clock, sub-ms, as the page's

const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { medianMs: percentile(sorted, 0.5), p95Ms: percentile(sorted, 0.95), maxMs: sorted.at(-1)! };
};

async function heapMb(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return usedSize / 1_048_576;
}

/**
 * A fresh page (its own context: nothing kept from an earlier round) on the web inspector;
 * ms from navigation start to the list drawn, and to every body in.
 */
async function navigate(browser: Browser, uiUrl: string): Promise<{ page: Page; ms: number; bodiesMs: number }> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  await page.addInitScript(installProbe, HISTORY);
  await page.goto(uiUrl, { waitUntil: 'commit' });
  const ms = await page.evaluate(loadedAt);
  const bodiesMs = await page.evaluate(bodiesInAt);
  if (ms === undefined || bodiesMs === undefined) throw new Error('the page probe did not start');
  return { page, ms, bodiesMs };
}

/** The floor, in a page of the hub's own origin (its 404 page: no app), as the CSP lets only that page reach the stream. */
async function historyFloor(browser: Browser, hub: StreamHub): Promise<number[]> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(new URL('/floor', hub.uiUrl).href);
  const rounds: number[] = [];
  for (let round = 0; round < NAVIGATIONS; round++) rounds.push(await page.evaluate(readHistory, hub.url));
  await context.close();
  return rounds;
}

function bundleGzip(): { file: string; bytes: number; gzipBytes: number }[] {
  return ['app.js', 'app.css'].map((file) => {
    const bytes = readFileSync(`${WEB_DIR}${file}`);
    return { file, bytes: bytes.length, gzipBytes: gzipSync(bytes).length };
  });
}

export interface WebBenchResult {
  events: number;
  averageEventBytes: number;
  navigationMs: number[];
  navigationMedianMs: number;
  /** Navigation start to every body of the history in. */
  bodiesInMs: number[];
  /** The history read and parsed by a bare WebSocket in a page of the same origin, nothing drawn. */
  floorMs: number[];
  heapAfterHistoryMb: number;
  heapAfterBurstMb: number;
  burstMs: number;
  keyMedianMs: number;
  keyP95Ms: number;
  keyBody: ReturnType<typeof stats>;
  keyDiff: ReturnType<typeof stats>;
  bundle: { file: string; bytes: number; gzipBytes: number }[];
  bundleGzipKb: number;
  targets: typeof TARGETS;
  met: { navigation: boolean; keyMedian: boolean; burst: boolean; bundle: boolean };
}

export async function benchWeb(): Promise<WebBenchResult> {
  const events = mixedEvents(TOTAL);
  const history = events.slice(0, HISTORY);
  const hub = await startBenchHub(history);
  const browser = await launchChromium();
  try {
    const navigationMs: number[] = [];
    const bodiesInMs: number[] = [];
    let page: Page | null = null;
    for (let round = 0; round < NAVIGATIONS; round++) {
      await page?.context().close();
      const opened = await navigate(browser, hub.uiUrl);
      page = opened.page;
      navigationMs.push(opened.ms);
      bodiesInMs.push(opened.bodiesMs);
    }
    if (!page) throw new Error('no navigation ran');
    const floorMs = await historyFloor(browser, hub);
    const heapAfterHistoryMb = await heapMb(page);

    // Follow mode (on from the start) keeps the newest row in sight: the burst's last one.
    await page.evaluate(watchBurst, { total: TOTAL, seq: events.at(-1)!.seq });
    const sentAt = now();
    for (const event of events.slice(HISTORY)) hub.broadcast(outgoing(event));
    const drawnAt = await page.evaluate(burstDrawnAt);
    if (drawnAt === undefined) throw new Error('the burst watch did not start');
    const heapAfterBurstMb = await heapMb(page);

    await page.evaluate(showTab, { key: '2', tab: 'body' });
    const body = await page.evaluate(pressKeys, { key: 'k', presses: KEY_PRESSES });
    // Diff tab: each move diffs the new selection against the previous event of its type.
    await page.evaluate(showTab, { key: '3', tab: 'diff' });
    const diff = await page.evaluate(pressKeys, { key: 'j', presses: KEY_PRESSES });

    const all = stats([...body, ...diff]);
    const bundle = bundleGzip();
    const bundleGzipKb = bundle.reduce((sum, f) => sum + f.gzipBytes, 0) / 1000;
    const navigationMedianMs = stats(navigationMs).medianMs;
    const burstMs = drawnAt - sentAt;
    return {
      events: TOTAL,
      averageEventBytes: history.reduce((sum, e) => sum + e.size, 0) / HISTORY,
      navigationMs,
      navigationMedianMs,
      bodiesInMs,
      floorMs,
      heapAfterHistoryMb,
      heapAfterBurstMb,
      burstMs,
      keyMedianMs: all.medianMs,
      keyP95Ms: all.p95Ms,
      keyBody: stats(body),
      keyDiff: stats(diff),
      bundle,
      bundleGzipKb,
      targets: TARGETS,
      met: {
        navigation: navigationMedianMs < TARGETS.navigationMs,
        keyMedian: all.medianMs < TARGETS.keyMedianMs,
        burst: burstMs < TARGETS.burstMs,
        bundle: bundleGzipKb <= TARGETS.bundleGzipKb,
      },
    };
  } finally {
    await browser.close();
    await hub.close();
  }
}

function report(r: WebBenchResult): string {
  const ok = (met: boolean) => (met ? 'met' : 'NOT MET');
  const f = (n: number) => n.toFixed(1);
  const n = (count: number) => count.toLocaleString('en-US');
  return [
    `Web inspector in headless Chromium (${VIEWPORT.width}x${VIEWPORT.height}), served by a real StreamHub, ${n(HISTORY)} events of history (${Math.round(r.averageEventBytes)} B average):`,
    `  navigation to the list drawn     median ${f(r.navigationMedianMs)} ms of ${r.navigationMs.map(f).join(', ')} (target < ${r.targets.navigationMs} ms: ${ok(r.met.navigation)})`,
    `    to every body in               median ${f(stats(r.bodiesInMs).medianMs)} ms of ${r.bodiesInMs.map(f).join(', ')} (they follow the list)`,
    `    bare WebSocket, whole history  median ${f(stats(r.floorMs).medianMs)} ms of ${r.floorMs.map(f).join(', ')} (bodies inline, parsed, nothing drawn: the old floor)`,
    `  key press to detail painted      median ${f(r.keyMedianMs)} ms, p95 ${f(r.keyP95Ms)} ms (target median < ${r.targets.keyMedianMs} ms: ${ok(r.met.keyMedian)})`,
    `    Body tab (k)                   median ${f(r.keyBody.medianMs)} ms, p95 ${f(r.keyBody.p95Ms)} ms, max ${f(r.keyBody.maxMs)} ms`,
    `    Diff tab (j)                   median ${f(r.keyDiff.medianMs)} ms, p95 ${f(r.keyDiff.p95Ms)} ms, max ${f(r.keyDiff.maxMs)} ms`,
    `  burst of ${n(BURST)} live events in list ${f(r.burstMs)} ms (target < ${r.targets.burstMs} ms: ${ok(r.met.burst)})`,
    `  JS heap after GC                 ${f(r.heapAfterHistoryMb)} MB with ${n(HISTORY)} events, ${f(r.heapAfterBurstMb)} MB with ${n(TOTAL)}`,
    `  bundle, gzip                     ${r.bundle.map((b) => `${b.file} ${f(b.gzipBytes / 1000)} KB (${f(b.bytes / 1000)} KB raw)`).join(', ')}; ` +
      `${f(r.bundleGzipKb)} KB in all (target <= ${r.targets.bundleGzipKb} KB: ${ok(r.met.bundle)})`,
  ].join('\n');
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  benchWeb()
    .then((result) => {
      process.stdout.write(`${report(result)}\n${JSON.stringify({ kind: 'web', ...result })}\n`);
    })
    .catch((error: unknown) => {
      process.stderr.write(`bench/web: ${errorMessage(error)}\n`);
      process.exitCode = 1;
    });
}
