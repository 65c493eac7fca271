// makeDirectory (server/store/make-directory.ts): mkdir -p that answers for any path,
// /proc included, where Node's recursive mkdir never settles.
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDirectory } from '../../../server/store/make-directory.js';
import { EventLog, EventLogError } from '../../../server/store/event-log.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'coreone-mkdir-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('makeDirectory', () => {
  it('makes every missing level with the mode asked for, and accepts one that exists', async () => {
    const deep = join(dir, 'a', 'b', 'c');
    await makeDirectory(deep, 0o700);
    for (const level of [join(dir, 'a'), join(dir, 'a', 'b'), deep]) expect((await stat(level)).mode & 0o777).toBe(0o700);
    await expect(makeDirectory(deep, 0o700)).resolves.toBeUndefined();
  });

  it('fails at once with the real reason under /proc and under a file', async () => {
    await expect(makeDirectory('/proc/coreone-nope/x', 0o700)).rejects.toMatchObject({ code: 'ENOENT' });
    const file = join(dir, 'a-file');
    await writeFile(file, '');
    await expect(makeDirectory(join(file, 'x'), 0o700)).rejects.toMatchObject({ code: 'ENOTDIR' });
  });

  it('lets the event log refuse a log path under /proc in one sentence', async () => {
    const opening = EventLog.open('/proc/coreone-nope/events.ndjson', 10);
    await expect(opening).rejects.toBeInstanceOf(EventLogError);
    await expect(opening).rejects.toThrow('Cannot open the event log /proc/coreone-nope/events.ndjson: no such file or directory.');
  });
});
