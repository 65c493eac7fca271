// The built CLI in a real terminal (tmux): the listener with its TUI, webhooks POSTed to
// it, the verdicts, the Diff and Signature tabs read off the screen, and a clean `q`.
// Then `attach` on a running `--json` listener shows that listener's history.
import { createHash, createHmac } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, runCli, startCli } from '../../helpers/cli-process.js';
import { processAlive, TmuxSession } from '../../helpers/tmux.js';
import { useTerminalWorkspace } from '../../helpers/terminal-workspace.js';

const SECRET = 'tui-test-secret-4Kp9';
const w = useTerminalWorkspace('coreone-tui-');

async function post(url: string, type: string, body: string, hash: string): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', 'x-coreone-webhook-type': type, 'x-coreone-webhook-hash': hash },
  });
  expect(response.status).toBe(200);
  await response.arrayBuffer();
}

const hmac = (body: string) => createHmac('sha256', SECRET).update(body).digest('hex');
const pending = JSON.stringify({ accession: { number: 'A-2041', status: 'Pending', client: 'Clinic 9' }, id: 7 });
const received = JSON.stringify({ accession: { number: 'A-2041', status: 'Received', client: 'Clinic 9' }, id: 7 });

/** PIDs of node processes whose command line mentions `text` (here: this test's temp dir). */
async function nodeProcessesMentioning(text: string): Promise<number[]> {
  const pids: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const argv = (await readFile(`/proc/${name}/cmdline`, 'utf8').catch(() => '')).split('\0');
    // The tmux server's own command line names the command it started; only node counts.
    if (/(^|\/)node$/.test(argv[0] ?? '') && argv.some((a) => a.includes(text))) pids.push(Number(name));
  }
  return pids;
}

describe('the TUI in a real terminal', () => {
  it('shows verdicts, the changed field in Diff and a diagnosis in Signature; saves, sends a test; q exits 0 and leaves nothing running', async () => {
    const log = join(w.dir, 'events.ndjson');
    const tui = await TmuxSession.start(['node', CLI, '--no-tunnel', '--port', '0', '--secret', SECRET, '--log', log], {
      columns: 120,
      rows: 40,
      cwd: w.dir,
    });
    w.sessions.push(tui);
    const first = await tui.waitForScreen([/webhook (http:\/\/127\.0\.0\.1:\d+\/)/, '● live']);
    const webhookUrl = /webhook (http:\/\/127\.0\.0\.1:\d+\/)/.exec(first)?.[1] as string;
    const pid = await tui.pid();

    await post(webhookUrl, 'accession/status_change', pending, hmac(pending));
    await post(webhookUrl, 'accession/status_change', received, hmac(received));
    const comment = JSON.stringify({ comment: 'sample received' });
    // A plain SHA-256 of the body, no secret: a wrong hash with a known cause.
    await post(webhookUrl, 'comment/create', comment, createHash('sha256').update(comment).digest('hex'));

    const list = await tui.waitForScreen(['✓ valid 2', '✗ invalid 1', /#3 .*✗ invalid\s+comment\/create/]);
    expect(list).toMatch(/#1 .*✓ valid\s+accession\/status_change/);
    expect(list).toMatch(/#2 .*✓ valid\s+accession\/status_change/);
    expect(list).toMatch(/secret 20 chars #[0-9a-f]+/);
    expect(list).not.toContain(SECRET);

    // Follow mode has #3 selected: its Signature tab explains the wrong hash.
    await tui.sendKeys('4');
    const signature = await tui.waitForScreen(['Verdict   ✗ invalid', 'Diagnosis', '• unkeyed-digest:']);
    expect(signature).toContain(hmac(comment).slice(0, 40));

    // Up to #2, Diff tab: against #1, the one field that changed.
    await tui.sendKeys('k');
    await tui.waitForScreen(['follow off']);
    await tui.sendKeys('3');
    const diff = await tui.waitForScreen(['Against #1', 'accession.status: "Pending" -> "Received"']);
    expect(diff).toMatch(/-\s+"status": "Pending",/);
    expect(diff).toMatch(/\+\s+"status": "Received",/);

    // s: the listener saves #2 as a fixture file; t: it sends itself a test event.
    await tui.sendKeys('s');
    const saved = await tui.waitForScreen([/Saved #2 as (\S+\.json)/]);
    const fixture = /Saved #2 as (\S+\.json)/.exec(saved)?.[1] as string;
    expect(resolve(w.dir, fixture).startsWith(join(w.dir, 'fixtures'))).toBe(true);
    const written = JSON.parse(await readFile(resolve(w.dir, fixture), 'utf8')) as { type: string; body: string };
    expect(written).toMatchObject({ type: 'accession/status_change', body: received });
    await tui.sendKeys('t');
    await tui.waitForScreen(['Events 4', /#4[ ~].*✓ valid\s+accession\/status_change/]);
    // r without --forward-to: the listener's one-sentence refusal, in the footer.
    await tui.sendKeys('r');
    await tui.waitForScreen(['--forward-to']);

    await tui.sendKeys('q');
    expect(await tui.waitForExit()).toBe(0);
    expect(processAlive(pid)).toBe(false);
    expect(await nodeProcessesMentioning(w.dir)).toEqual([]);
  });

  it('attach shows the history of a running --json listener, draws no colour under NO_COLOR, ends on Ctrl-C or SIGTERM', async () => {
    const listener = startCli(['--json', '--no-tunnel', '--port', '0', '--secret', SECRET, '--log', join(w.dir, 'events.ndjson')]);
    w.listeners.push(listener);
    const ready = await listener.waitForRecord((r) => r.kind === 'ready', 'the ready record');
    await post(ready.webhookUrl as string, 'accession/status_change', pending, hmac(pending));
    await post(ready.webhookUrl as string, 'invoice/create', '{"invoice":1}', 'not-a-hash');
    await listener.waitForRecord((r) => r.kind === 'event' && (r.event as { seq: number }).seq === 2, 'the second event');

    const tui = await TmuxSession.start(['node', CLI, 'attach', ready.inspectUrl as string], {
      columns: 100,
      rows: 30,
      env: { NO_COLOR: '1' },
    });
    w.sessions.push(tui);
    const screen = await tui.waitForScreen(['● live', 'Events 2', /#1 ✓ accession\/status_change/, /#2 ! invoice\/create/]);
    expect(screen).toContain(ready.webhookUrl as string);
    // No foreground/background colour codes; bold, dim and inverse are not colour.
    const coloured = await tui.capture(true);
    expect(coloured).not.toMatch(/\u001b\[[0-9;]*(3[0-7]|9[0-7]|4[0-7]|38;[25])[;m]/);

    await tui.sendKeys('C-c');
    expect(await tui.waitForExit()).toBe(0);
    // The listener is untouched by a client leaving.
    expect(listener.child.exitCode).toBeNull();

    // Stopped from outside, attach closes its screen and exits 0 as well.
    const again = await TmuxSession.start(['node', CLI, 'attach', ready.inspectUrl as string], { columns: 100, rows: 30 });
    w.sessions.push(again);
    await again.waitForScreen(['● live', 'Events 2']);
    process.kill(await again.pid(), 'SIGTERM');
    expect(await again.waitForExit()).toBe(0);
  });
});

describe('attach outside a terminal', () => {
  it('refuses a URL that is not ws:// with one sentence and exit 2', async () => {
    const result = await runCli(['attach', 'http://127.0.0.1:4747/']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      'coreone-inspect: The inspect URL must start with ws:// or wss://, not http:// (the webhook URL is not the inspect URL).',
    );
  });

  it('says it needs a terminal and exits 2 when stdin and stdout are pipes', async () => {
    const result = await runCli(['attach', 'ws://127.0.0.1:9/stream?token=x']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('needs a terminal');
  });
});

