// A crash never loses an acknowledged event: a burst of signed POSTs (50 at a time) to the
// BUILT CLI, SIGKILL in the middle of it, a restart on the same log, and every request
// that had been answered 200 is in the history a new inspector client is sent. And a log
// that cannot be written (the disk full) gets 503s, never an acknowledgement that lies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { CLI } from '../helpers/cli-process.js';
import { burst, loggedEvents, postSigned, startListening, STACK_TRACE, type Listening } from '../helpers/hardening-listener.js';
import { waitFor } from '../helpers/wait.js';

const SECRET = 'hardening-crash-secret-Pz4';
const PLANNED = 4000;
const CONCURRENCY = 50;
/** Killed once this many have been acknowledged: halfway, with ~50 requests in flight. */
const KILL_AFTER = 2000;
/** Large enough that the restarted history holds the whole burst. */
const HISTORY = 5000;

let dir: string;
const running: Listening[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'coreone-hardening-crash-'));
});
afterAll(async () => {
  for (const l of running) await l.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('SIGKILL in the middle of a burst', () => {
  it('loses no event that was answered 200', async () => {
    const first = await startListening(['--secret', SECRET, '--history', String(HISTORY)], {}, dir);
    running.push(first);
    let killed = false;
    const { sent, acknowledged, failed } = await burst({
      port: first.port,
      secret: SECRET,
      count: PLANNED,
      concurrency: CONCURRENCY,
      body: (n) => JSON.stringify({ accession: `A26-${String(n).padStart(6, '0')}`, status: 'Received', n }),
      afterReply: (_id, progress) => {
        if (!killed && progress.acknowledged.length >= KILL_AFTER) {
          killed = true;
          first.cli.child.kill('SIGKILL');
        }
        // Once the kill has landed, requests fail: stop starting new ones.
        return !(killed && progress.failed > 0);
      },
    });
    expect(await first.cli.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(acknowledged.length).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(failed).toBeGreaterThan(0); // the kill really landed mid-burst

    // Restart on the same log: the history a new client is sent holds every acknowledged id.
    const second = await startListening(['--secret', SECRET, '--history', String(HISTORY)], {}, dir);
    running.push(second);
    const ws = new WebSocket(second.inspectUrl);
    const history: { id: string; seq: number }[] = [];
    let ended = false;
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as { kind: string; event?: { id: string; seq: number } };
      if (message.kind === 'event' && !ended) history.push(message.event!);
      if (message.kind === 'history-end') ended = true;
    });
    await waitFor(() => ended, { timeoutMs: 20_000, what: 'the restarted history' });
    ws.close();
    const inHistory = new Set(history.map((e) => e.id));
    const lost = acknowledged.filter((id) => !inHistory.has(id));
    expect(lost).toEqual([]);
    // Recorded but never acknowledged (the kill came between the write and the reply) is allowed, not the reverse.
    const logged = await loggedEvents(second.logPath);
    expect(history.length).toBe(logged.length);
    expect(history.map((e) => e.seq)).toEqual(logged.map((e) => e.seq));

    // Numbering goes on after the last event that made it to the log, and the process serves.
    const { status, id } = await postSigned(second.webhookUrl, '{"after":"restart"}', SECRET);
    expect(status).toBe(200);
    const after = await waitFor(async () => (await loggedEvents(second.logPath)).find((e) => e.id === id));
    expect(after.seq).toBe(Math.max(...logged.map((e) => e.seq)) + 1);
    expect(second.cli.stderr()).not.toMatch(STACK_TRACE);
    // The killed inspector left its inspector.json too: taken over, with one warning.
    for (const line of second.cli.stderr().split('\n').filter(Boolean)) expect(line).toMatch(/^coreone-inspect: warning: (Skipped|Took over) .+\.$/);

    // The figures for the README and the issue note.
    console.log(
      `crash safety: ${sent} sent (${CONCURRENCY} at a time), ${acknowledged.length} answered 200 before SIGKILL, ` +
        `${failed} cut off by it, ${logged.length} in the restarted history, ${lost.length} acknowledged events lost`,
    );
  }, 90_000);
});

describe('a log that can no longer be written (the disk full)', () => {
  it('answers 503 with one sentence instead of 200, keeps serving, and a restart has every event answered 200', async () => {
    const full = join(dir, 'full');
    await mkdir(full);
    const logPath = join(full, 'events.ndjson');
    // The shell's file-size limit (64 blocks of 512 bytes) stands in for a full disk: past
    // 32 KiB a write fails (EFBIG; Node ignores the SIGXFSZ signal), part of it written.
    const child = spawn('sh', ['-c', 'ulimit -f 64 && exec "$0" "$@"', process.execPath, CLI, '--no-tunnel', '--json', '--port', '0', '--secret', SECRET, '--log', logPath], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      const webhookUrl = await waitFor(() => /"webhookUrl":"([^"]+)"/.exec(stdout)?.[1], { what: 'the ready record' });
      const answers: { status: number; id: string }[] = [];
      // ~1 KB each: the limit is reached after about thirty.
      for (let n = 0; n < 60; n++) answers.push(await postSigned(webhookUrl, JSON.stringify({ n, pad: 'f'.repeat(900) }), SECRET));
      const statuses = new Set(answers.map((a) => a.status));
      expect([...statuses].sort()).toEqual([200, 503]);
      // Once full, never a 200 again: no acknowledgement without the event on disk.
      const firstRefused = answers.findIndex((a) => a.status === 503);
      expect(answers.slice(firstRefused).every((a) => a.status === 503)).toBe(true);
      const response = await fetch(webhookUrl, { method: 'POST', body: '{}' });
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ ok: false, error: expect.stringMatching(/^Cannot write to the event log .+\.$/) });
      expect(child.exitCode).toBeNull();
      expect(stderr).not.toMatch(STACK_TRACE);
      expect(stderr).toMatch(/^coreone-inspect: warning: Cannot write to the event log /);

      child.kill('SIGKILL');
      const restarted = await startListening(['--secret', SECRET], {}, full);
      running.push(restarted);
      const logged = new Set((await loggedEvents(restarted.logPath)).map((e) => e.id));
      const acknowledged = answers.filter((a) => a.status === 200).map((a) => a.id);
      expect(acknowledged.filter((id) => !logged.has(id))).toEqual([]);
      const { status } = await postSigned(restarted.webhookUrl, '{"after":"space freed"}', SECRET);
      expect(status).toBe(200);
      // The write the limit cut short was taken back whole: no torn line to warn about.
      expect(restarted.cli.stderr()).not.toMatch(STACK_TRACE);
      expect(restarted.cli.stderr()).not.toContain('cut short');
      console.log(`full disk: ${acknowledged.length} answered 200 before the log filled, ${answers.length - acknowledged.length} answered 503, none of the 200s lost`);
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);
});
