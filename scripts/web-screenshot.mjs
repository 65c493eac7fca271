#!/usr/bin/env node
// Makes docs/web.png (light: the Diff tab of an accession that went from Pending to
// Received) and docs/web-dark.png (dark: the Signature tab of an event signed with the
// secret plus a trailing newline): pictures of the real web inspector in a real headless
// Chromium. The built CLI listens on free ports, real signed webhooks are sent to it with
// `coreone-inspect send`, and the page is opened at the uiUrl of its ready record.
// Needs Debian's chromium (apt-get install chromium; CHROMIUM names another binary). Only
// for the README pictures: no test or CI step runs it.
//   node scripts/web-screenshot.mjs
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cliPath = join(root, 'dist/cli/coreone-inspect.cjs');
const VIEWPORT = { width: 1400, height: 800 };
const WAIT_MS = 20_000;
// A demo secret, not a real one: the page shows only its length and fingerprint.
const secret = 'demo-secret-for-the-picture';

execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
// Built by the line above: the benchmark's launcher, so both find Chromium the same way.
const { launchChromium } = await import(join(root, 'dist/bench/support/browser.js'));

const work = mkdtempSync(join(tmpdir(), 'coreone-web-shot-'));
const listener = spawn(
  process.execPath,
  [cliPath, 'listen', '--json', '--no-tunnel', '--secret', secret, '--port', '0', '--inspect-port', '0', '--log', join(work, 'events.ndjson')],
  { cwd: work, stdio: ['ignore', 'pipe', 'inherit'] },
);
let browser;
try {
  const records = createInterface({ input: listener.stdout });
  const seen = [];
  const waiters = [];
  records.on('line', (line) => {
    seen.push(JSON.parse(line));
    for (const wake of waiters.splice(0)) wake();
  });
  /** The first record that passes `test`, waiting for it (at most WAIT_MS). */
  const record = async (test, what) => {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const found = seen.find(test);
      if (found) return found;
      if (Date.now() > deadline || listener.exitCode !== null) throw new Error(`web-screenshot: no ${what} from the listener`);
      await new Promise((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 250);
      });
    }
  };
  const ready = await record((r) => r.kind === 'ready', 'ready record');

  const send = (type, ...options) => execFileSync(process.execPath, [cliPath, 'send', type, '--to', ready.webhookUrl, ...options], { stdio: 'ignore' });
  // A morning's traffic: valid events, a secret with a trailing newline on the sending side
  // (as `echo secret > file` leaves it), an unsigned one, then the same accession twice.
  for (const type of ['client/update', 'comment/create', 'invoice/create', 'leaf/match']) send(type, '--secret', secret);
  send('payment/create', '--secret', `${secret}\n`);
  send('attachment/process', '--unsigned');
  const accession = (status, by, at) =>
    JSON.stringify({ accession: { id: 48213, number: 'A24-0613', status, client: 'Riverside Vet Clinic', species: 'Canine' }, changed_by: by, changed_at: at });
  writeFileSync(join(work, 'pending.json'), accession('Pending', 'reception', '2024-06-13T08:41:07Z'));
  writeFileSync(join(work, 'received.json'), accession('Received', 'lab.tech', '2024-06-13T09:02:55Z'));
  send('accession/status_change', '--secret', secret, '--data', join(work, 'pending.json'));
  send('accession/status_change', '--secret', secret, '--data', join(work, 'received.json'));
  const last = await record((r) => r.kind === 'event' && r.event.seq === 8, 'eighth event');
  const payment = seen.find((r) => r.kind === 'event' && r.event.type === 'payment/create').event;

  browser = await launchChromium();
  const shots = [
    // Follow mode has the newest event selected: the Received one, diffed against Pending.
    { scheme: 'light', file: 'docs/web.png', seq: last.event.seq, key: '3', tab: 'diff', shows: '"Received"' },
    { scheme: 'dark', file: 'docs/web-dark.png', seq: payment.seq, key: '4', tab: 'signature', shows: 'secret-whitespace' },
  ];
  for (const shot of shots) {
    const context = await browser.newContext({ viewport: VIEWPORT, colorScheme: shot.scheme });
    const page = await context.newPage();
    await page.goto(ready.uiUrl);
    await page.locator('.status[data-connection="open"][data-history="loaded"]').waitFor({ timeout: WAIT_MS });
    await page.locator(`.row[data-seq="${shot.seq}"]`).click({ timeout: WAIT_MS });
    await page.keyboard.press(shot.key);
    await page.locator(`.pane[data-tab="${shot.tab}"]`, { hasText: shot.shows }).waitFor({ timeout: WAIT_MS });
    await page.mouse.move(0, 0); // no hover highlight on a row in the picture
    await page.screenshot({ path: join(root, shot.file) });
    await context.close();
    process.stdout.write(`web-screenshot: wrote ${shot.file} (${VIEWPORT.width}x${VIEWPORT.height}, ${shot.scheme})\n`);
  }
} finally {
  await browser?.close();
  listener.kill('SIGTERM');
  if (listener.exitCode === null && listener.signalCode === null) await new Promise((resolve) => listener.once('exit', resolve));
  rmSync(work, { recursive: true, force: true });
}
