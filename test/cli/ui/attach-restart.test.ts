// `attach` without a URL, in a real terminal (tmux): it finds the inspector through the
// inspector.json beside the log, follows it across a restart (new port, new token) and
// says so on its header line; without a running inspector it refuses in one sentence.
// And the TUI of `listen` removes inspector.json when q closes it.
import { createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, runCli, startCli } from '../../helpers/cli-process.js';
import { TmuxSession } from '../../helpers/tmux.js';
import { useTerminalWorkspace } from '../../helpers/terminal-workspace.js';

const SECRET = 'attach-test-secret-7Hq2';
const w = useTerminalWorkspace('coreone-attach-');

const log = (): string => join(w.dir, 'events.ndjson');

async function startListener(): Promise<{ webhookUrl: string; inspectUrl: string }> {
  const listener = startCli(['--json', '--no-tunnel', '--port', '0', '--secret', SECRET, '--log', log()]);
  w.listeners.push(listener);
  const ready = await listener.waitForRecord((r) => r.kind === 'ready', 'the ready record');
  return { webhookUrl: ready.webhookUrl as string, inspectUrl: ready.inspectUrl as string };
}

async function post(url: string, body: string): Promise<void> {
  const hash = createHmac('sha256', SECRET).update(body).digest('hex');
  const response = await fetch(url, { method: 'POST', body, headers: { 'x-coreone-webhook-type': 'invoice/create', 'x-coreone-webhook-hash': hash } });
  expect(response.status).toBe(200);
  await response.arrayBuffer();
}

describe('attach without a URL', () => {
  it('attaches to the inspector named by inspector.json and follows it across a restart', async () => {
    const first = await startListener();
    await post(first.webhookUrl, '{"invoice":1}');
    const tui = await TmuxSession.start(['node', CLI, 'attach', '--log', log()], { columns: 160, rows: 30 });
    w.sessions.push(tui);
    await tui.waitForScreen(['● live', 'Events 1', first.webhookUrl]);

    await w.listeners[0]!.stop('SIGTERM');
    await tui.waitForScreen(['↻ reconnecting']);
    const second = await startListener();
    expect(second.inspectUrl).not.toBe(first.inspectUrl);
    await post(second.webhookUrl, '{"invoice":2}');
    const screen = await tui.waitForScreen(['● live · inspector restarted: reconnected with its new token', 'Events 2', second.webhookUrl]);
    expect(screen).not.toContain(first.webhookUrl);

    await tui.sendKeys('q');
    expect(await tui.waitForExit()).toBe(0);
  });

  it('with no inspector running there, exits 2 with one sentence saying how to start one', async () => {
    const result = await runCli(['attach', '--log', log()]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `coreone-inspect: No inspector is running with its log in ${w.dir}: start one there with \`coreone-inspect listen\`, or pass --log or an inspectUrl.\n`,
    );
  });
});

describe('the TUI of listen', () => {
  it('removes inspector.json when q closes it', async () => {
    const tui = await TmuxSession.start(['node', CLI, '--no-tunnel', '--port', '0', '--secret', SECRET, '--log', log()], { columns: 120, rows: 30 });
    w.sessions.push(tui);
    await tui.waitForScreen(['● live']);
    expect(existsSync(join(w.dir, 'inspector.json'))).toBe(true);
    await tui.sendKeys('q');
    expect(await tui.waitForExit()).toBe(0);
    expect(existsSync(join(w.dir, 'inspector.json'))).toBe(false);
  });
});
