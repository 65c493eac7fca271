// A write to the event log that fails part-way (here: the file size limit of `ulimit -f`,
// as a full disk would) is reported with its real cause, and leaves no line cut short in
// the log, so the next start has no torn line to misread as a crash.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI, startCli, type RunningCli } from '../../helpers/cli-process.js';
import { waitFor } from '../../helpers/wait.js';

let dir: string;
const running: RunningCli[] = [];
const children: Array<{ kill: (signal: NodeJS.Signals) => boolean }> = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'coreone-logfail-'));
});
afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await Promise.all(running.splice(0).map((cli) => cli.stop('SIGKILL')));
  await rm(dir, { recursive: true, force: true });
});

const args = (): string[] => ['--json', '--no-tunnel', '--port', '0', '--log', join(dir, 'events.ndjson')];

describe('a write to the log that fails part-way', () => {
  it('is refused with its cause, and the log keeps only whole lines', async () => {
    // Files this process writes may not pass 8 KiB; SIGXFSZ is ignored, so the write fails with EFBIG instead.
    const child = spawn('bash', ['-c', `trap '' XFSZ; ulimit -f 8; exec "$0" "$@"`, process.execPath, CLI, ...args()], { stdio: 'pipe' });
    children.push(child);
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const ready = await waitFor(() => (out.includes('\n') ? (JSON.parse(out.split('\n')[0]!) as { webhookUrl: string }) : undefined), { what: 'the ready record' });

    const body = JSON.stringify({ invoice: 'x'.repeat(3000) });
    const statuses: number[] = [];
    let refusal = '';
    while (!statuses.includes(503) && statuses.length < 5) {
      const response = await fetch(ready.webhookUrl, { method: 'POST', body });
      statuses.push(response.status);
      refusal = await response.text();
    }
    expect(statuses).toEqual([200, 200, 503]);
    expect(JSON.parse(refusal)).toEqual({ ok: false, error: `Cannot write to the event log ${join(dir, 'events.ndjson')}: the file has reached its size limit.` });
    await waitFor(() => err.includes('size limit'), { what: 'the warning' });

    const log = await readFile(join(dir, 'events.ndjson'), 'utf8');
    expect(log.endsWith('\n')).toBe(true);
    const lines = log.trimEnd().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as { kind: string }).kind)).toEqual(['event', 'event']);

    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('close', resolve));
    const restarted = startCli(args());
    running.push(restarted);
    await restarted.waitForRecord((r) => r.kind === 'ready');
    // Stopped first, so that everything it had to say is read.
    expect(await restarted.stop()).toEqual({ code: 0, signal: null });
    expect(restarted.stderr()).toBe('');
  });
});
