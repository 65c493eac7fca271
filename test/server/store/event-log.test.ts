import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, stat, writeFile, appendFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventLog } from '../../../server/store/event-log.js';

const line = (seq: number, extra = ''): string =>
  JSON.stringify({ kind: 'event', event: { id: `id${seq}`, seq, body: `body ${seq}${extra}` } });
/** What the inspector appends: a line's bytes, newline included. */
const appended = (text: string): Buffer => Buffer.from(`${text}\n`);
/** An append, settled once the log says it was written (or why it was not). */
const appendEvent = (log: EventLog, seq: number, text: string): Promise<void> =>
  new Promise((resolve, reject) => log.appendEvent({ seq, id: `id${seq}` }, appended(text), (error) => (error ? reject(error) : resolve())));
const appendRecord = (log: EventLog, text: string): Promise<void> =>
  new Promise((resolve, reject) => log.appendRecord(appended(text), (error) => (error ? reject(error) : resolve())));

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'coreone-log-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('EventLog', () => {
  it('appends lines, owner-only, and reads each history entry back byte-exact', async () => {
    const path = join(dir, 'sub', 'events.ndjson');
    const { log, warnings } = await EventLog.open(path, 10);
    expect(warnings).toEqual([]);
    await Promise.all([1, 2, 3].map((seq) => appendEvent(log, seq, line(seq, ' é'))));
    const entries = log.history();
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect((await log.read(entries[1]!)).toString()).toBe(line(2, ' é'));
    await log.close();
    expect((await readFile(path, 'utf8')).split('\n')).toEqual([line(1, ' é'), line(2, ' é'), line(3, ' é'), '']);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('tells every append of a group even when one callback throws, then throws that error', async () => {
    const { log } = await EventLog.open(join(dir, 'events.ndjson'), 10);
    const told: number[] = [];
    log.appendEvent({ seq: 1, id: 'id1' }, appended(line(1)), () => {
      told.push(1);
      throw new Error('a consumer bug');
    });
    log.appendEvent({ seq: 2, id: 'id2' }, appended(line(2)), (error) => told.push(error ? -2 : 2));
    // close() writes the group at once, so the error comes back here rather than from a timer.
    await expect(log.close()).rejects.toThrow('a consumer bug');
    expect(told).toEqual([1, 2]);
    expect((await readFile(join(dir, 'events.ndjson'), 'utf8')).split('\n')).toEqual([line(1), line(2), '']);
  });

  it('groups appends made while a write is in flight into one write, in call order', async () => {
    const path = join(dir, 'events.ndjson');
    const { log } = await EventLog.open(path, 5000);
    const seqs = Array.from({ length: 2000 }, (_, i) => i + 1);
    await Promise.all(seqs.map((seq) => appendEvent(log, seq, line(seq))));
    await log.close();
    const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
    expect(lines).toEqual(seqs.map((seq) => line(seq)));
  });

  it('replays the last historyLimit events and finds the last `remembered`, before and after it trims what it holds', async () => {
    const { log } = await EventLog.open(join(dir, 'events.ndjson'), 3, 4);
    for (let seq = 1; seq <= 5; seq++) await appendEvent(log, seq, line(seq));
    expect(log.history().map((e) => e.seq)).toEqual([3, 4, 5]);
    expect(log.find('id1')).toBeUndefined();
    expect(log.find('id2')?.seq).toBe(2);
    for (let seq = 6; seq <= 9; seq++) await appendEvent(log, seq, line(seq));
    expect(log.history().map((e) => e.seq)).toEqual([7, 8, 9]);
    expect(log.find('id5')).toBeUndefined();
    expect(log.recent().map((e) => e.seq)).toEqual([6, 7, 8, 9]);
    expect((await log.read(log.find('id6')!)).toString()).toBe(line(6));
    await log.close();
  });

  it('reads the last historyLimit events back after a restart, skipping other records', async () => {
    const path = join(dir, 'events.ndjson');
    const first = await EventLog.open(path, 3);
    for (let seq = 1; seq <= 5; seq++) await appendEvent(first.log, seq, line(seq));
    await appendRecord(first.log, JSON.stringify({ kind: 'saved', id: 'id5', path: '/x' }));
    await first.log.close();

    const second = await EventLog.open(path, 3);
    expect(second.warnings).toEqual([]);
    expect(second.log.lastSeq).toBe(5);
    const history = second.log.history();
    expect(history.map((e) => e.seq)).toEqual([3, 4, 5]);
    expect(second.log.find('id4')).toEqual(history[1]);
    expect(second.log.find('id1')).toBeUndefined();
    expect((await second.log.read(history[0]!)).toString()).toBe(line(3));
    await second.log.close();
  });

  it('finds history across many read chunks (lines larger than the scan chunk)', async () => {
    const path = join(dir, 'events.ndjson');
    const big = 'x'.repeat(700 * 1024);
    await writeFile(path, [1, 2, 3, 4].map((seq) => line(seq, big)).join('\n') + '\n');
    const { log } = await EventLog.open(path, 3);
    const history = log.history();
    expect(history.map((e) => e.seq)).toEqual([2, 3, 4]);
    expect((await log.read(history[0]!)).toString()).toBe(line(2, big));
    await log.close();
  });

  it('skips a torn last line with a warning and starts the next record on its own line', async () => {
    const path = join(dir, 'events.ndjson');
    await writeFile(path, `${line(1)}\n${line(2).slice(0, 20)}`);
    const { log, warnings } = await EventLog.open(path, 10);
    expect(warnings).toEqual(['Skipped the last line of the event log: it was cut short (the process stopped, or a write failed, mid-line).']);
    expect(log.history().map((e) => e.seq)).toEqual([1]);
    await appendEvent(log, 3, line(3));
    await log.close();

    const again = await EventLog.open(path, 10);
    expect(again.log.history().map((e) => e.seq)).toEqual([1, 3]);
    expect(again.warnings).toHaveLength(1);
    expect(again.warnings[0]).toMatch(/not a valid record/);
    await again.log.close();
  });

  it('says in one sentence why a log that is a directory cannot be opened', async () => {
    const path = join(dir, 'is-a-dir');
    await mkdir(path);
    await expect(EventLog.open(path, 10)).rejects.toThrow(/^Cannot open the event log .*is-a-dir: it is a directory\.$/);
  });

  it('refuses a read-only log in one sentence', async () => {
    const path = join(dir, 'ro.ndjson');
    await appendFile(path, `${line(1)}\n`, { mode: 0o400 });
    if (process.getuid?.() === 0) {
      // root may write anyway: the sentence cannot be provoked here, but the log must still work.
      const { log } = await EventLog.open(path, 10);
      expect(log.history()).toHaveLength(1);
      await log.close();
      return;
    }
    await expect(EventLog.open(path, 10)).rejects.toThrow(/permission denied\.$/);
  });

  it('rejects appends after close', async () => {
    const { log } = await EventLog.open(join(dir, 'e.ndjson'), 10);
    await log.close();
    await expect(appendEvent(log, 1, line(1))).rejects.toThrow('The event log is closed.');
  });
});
