// Reading a whole event log: events in order, other records passed over, a line that is
// not a record and a torn last line skipped with the listener's own warnings.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invalidLineWarning, TORN_LAST_LINE } from '../../../server/store/event-log.js';
import { readLogEvents } from '../../../server/store/log-events.js';
import { makeEvent } from '../../helpers/inspector-feed.js';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'coreone-log-events-'));
});
afterAll(() => rm(work, { recursive: true, force: true }));

describe('readLogEvents', () => {
  it('gives every event in order and names each line it skips', async () => {
    const [a, b] = [makeEvent({ seq: 1 }), makeEvent({ seq: 2 })];
    const first = `${JSON.stringify({ kind: 'event', event: a })}\n`;
    const garbage = 'not a record\n';
    const lines = [first, garbage, `${JSON.stringify({ kind: 'forward', id: a.id, url: 'http://x/' })}\n`, `${JSON.stringify({ kind: 'event', event: b })}\n`, '{"kind":"ev'];
    const file = path.join(work, 'events.ndjson');
    await writeFile(file, lines.join(''));
    const { events, warnings } = await readLogEvents(file);
    expect(events.map((event) => event.id)).toEqual([a.id, b.id]);
    expect(warnings).toEqual([invalidLineWarning(garbage.length - 1, Buffer.byteLength(first)), TORN_LAST_LINE]);
  });

  it('keeps a last event whose newline is missing but whose record is whole', async () => {
    const file = path.join(work, 'no-newline.ndjson');
    await writeFile(file, JSON.stringify({ kind: 'event', event: makeEvent({ seq: 1 }) }));
    expect((await readLogEvents(file)).events).toHaveLength(1);
  });
});
