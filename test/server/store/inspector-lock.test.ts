// Taking over a stale inspector.json is itself exclusive: inspectors starting at once after
// a crash all find the same stale file, and exactly one of them may end up holding the
// directory (before, two in ten rounds of four processes both did, and numbered the same
// log). Run here as concurrent acquires in one process, which interleave at every file
// operation; test/cli/commands/inspector-lock.test.ts has the single takeover with real
// processes.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deadPid } from '../../helpers/pids.js';
import { InspectorLock, InspectorLockError } from '../../../server/store/inspector-lock.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'coreone-takeover-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('taking over a stale inspector.json', () => {
  it('lets exactly one of several inspectors starting at once hold the directory; the others are refused naming it', async () => {
    const log = join(dir, 'events.ndjson');
    for (let round = 0; round < 20; round++) {
      const stale = { pid: deadPid(), webhookUrl: null, inspectUrl: null, uiUrl: null, logPath: log, startedAt: new Date().toISOString() };
      await writeFile(join(dir, 'inspector.json'), JSON.stringify(stale), { mode: 0o600 });
      const warnings: string[] = [];
      const outcomes = await Promise.allSettled(Array.from({ length: 6 }, () => InspectorLock.acquire(log, (message) => warnings.push(message))));
      const held = outcomes.filter((o): o is PromiseFulfilledResult<InspectorLock> => o.status === 'fulfilled').map((o) => o.value);
      const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected').map((o) => o.reason as unknown);
      expect(held).toHaveLength(1);
      expect(refused.every((e) => e instanceof InspectorLockError && e.message.startsWith(`Another inspector (pid ${process.pid}) is running`))).toBe(true);
      expect(warnings).toEqual([expect.stringContaining(`(pid ${stale.pid}) is no longer running`)]);
      held[0]!.releaseSync();
      expect(await readdir(dir)).toEqual([]); // no marker or file left behind
    }
  });
});
