// `coreone-inspect schema`, run in-process over logs and fixture directories written by
// the test: JSON Schema (draft 2020-12), --drift NDJSON in log order, the bad input of
// issue 15 (torn lines, non-JSON bodies, an empty log, hostile nesting and width).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureOf } from '../../../server/store/fixtures.js';
import { MAX_DEPTH, MAX_KEYS } from '../../../server/schema/shape.js';
import { makeEvent } from '../../helpers/inspector-feed.js';
import { writeLog } from '../../helpers/log-file.js';
import { runCli } from '../../helpers/run-cli.js';

const TYPE = 'accession/status_change';
const events = [
  makeEvent({ seq: 1, body: JSON.stringify({ accession: { id: 7, status: 'Pending' }, client: { id: 1 } }) }),
  makeEvent({ seq: 2, type: 'invoice/close', body: JSON.stringify({ invoice: { total: '12.50' } }) }),
  makeEvent({ seq: 3, body: JSON.stringify({ accession: { id: 8, status: 'Received' }, client: { id: 2 } }) }),
  makeEvent({ seq: 4, body: 'not json at all' }),
  makeEvent({ seq: 5, body: JSON.stringify({ accession: { id: 9, status: 'Reviewed', priority: 'high' }, client: { id: '3' } }) }),
  makeEvent({ seq: 6, body: JSON.stringify({ accession: { id: 10, status: 'Finalized' } }) }),
];

let work: string;
let log: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'coreone-schema-'));
  log = path.join(work, 'events.ndjson');
  await writeLog(log, events, { tornTail: true });
});
afterAll(() => rm(work, { recursive: true, force: true }));

describe('schema --format json-schema', () => {
  it('maps each type to a draft 2020-12 schema, required being the keys every event had', async () => {
    const { code, stdout, stderr } = await runCli(['schema', '--log', log]);
    expect(code).toBe(0);
    const schemas = JSON.parse(stdout);
    expect(Object.keys(schemas)).toEqual([TYPE, 'invoice/close']);
    expect(schemas[TYPE]).toEqual({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      title: TYPE,
      type: 'object',
      properties: {
        accession: {
          type: 'object',
          properties: { id: { type: 'number' }, status: { type: 'string' }, priority: { type: 'string' } },
          required: ['id', 'status'],
        },
        client: { type: 'object', properties: { id: { type: ['string', 'number'] } }, required: ['id'] },
      },
      required: ['accession'],
    });
    expect(stderr).toContain('warning: Skipped the last line of the event log: it was cut short');
    expect(stderr).toContain('1 of the events in');
  });

  it('learns one type when given one', async () => {
    const { stdout } = await runCli(['schema', 'invoice/close', '--log', log]);
    expect(Object.keys(JSON.parse(stdout))).toEqual(['invoice/close']);
  });

  it('gives an empty schema for an empty log, and says so', async () => {
    const empty = path.join(work, 'empty.ndjson');
    await writeFile(empty, '');
    const { code, stdout, stderr } = await runCli(['schema', '--log', empty]);
    expect({ code, stdout }).toEqual({ code: 0, stdout: '{}\n' });
    expect(stderr).toContain(`No JSON events in ${empty}: the schema is empty.`);
  });

  it('exits 2 with one sentence for a log it cannot read, and for --log with --fixtures', async () => {
    const missing = await runCli(['schema', '--log', path.join(work, 'nope.ndjson')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^coreone-inspect: Cannot read the event log .*nope\.ndjson: .*\.\n/);
    expect((await runCli(['schema', '--log', log, '--fixtures', work])).code).toBe(2);
  });
});

describe('schema --drift', () => {
  it('prints one record per event with drift, in log order, per SPEC\'s definitions', async () => {
    const { code, stdout } = await runCli(['schema', '--drift', '--log', log]);
    expect(code).toBe(0);
    const records = stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(records).toEqual([
      {
        kind: 'drift',
        id: events[4]!.id,
        seq: 5,
        type: TYPE,
        changes: [
          { path: 'accession.priority', change: 'added' },
          { path: 'client.id', change: 'type-changed', was: 'number', now: 'string' },
        ],
      },
      {
        kind: 'drift',
        id: events[5]!.id,
        seq: 6,
        type: TYPE,
        changes: [
          { path: 'client', change: 'removed' },
          { path: 'client.id', change: 'removed' },
        ],
      },
    ]);
  });
});

describe('schema --fixtures', () => {
  it('learns from the fixture files of a directory, oldest first, skipping other JSON', async () => {
    const dir = path.join(work, 'fixtures');
    await mkdir(path.join(dir, 'accession'), { recursive: true });
    const at = (seq: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, seq));
    const early = makeEvent({ seq: 1, receivedAt: at(1), body: JSON.stringify({ id: 1 }) });
    const late = makeEvent({ seq: 2, receivedAt: at(2), body: JSON.stringify({ id: 'A-1' }) });
    // Named so that file order and time order differ: time order must win.
    await writeFile(path.join(dir, 'accession', 'a-late.json'), JSON.stringify(fixtureOf(late)));
    await writeFile(path.join(dir, 'accession', 'b-early.json'), JSON.stringify(fixtureOf(early)));
    await writeFile(path.join(dir, 'package.json'), '{"name":"not-a-fixture"}');
    const { code, stdout, stderr } = await runCli(['schema', '--drift', '--fixtures', dir]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      kind: 'drift',
      id: path.join('accession', 'a-late.json'),
      seq: 2,
      type: TYPE,
      changes: [{ path: 'id', change: 'type-changed', was: 'number', now: 'string' }],
    });
    expect(stderr).toContain('package.json is not a coreone-inspect fixture');
  });
});

describe('schema bounds', () => {
  it('learns a body nested 1,000 deep and an object of 10,000 keys within its bounds, and says so', async () => {
    const deep = '{"a":'.repeat(1000) + '1' + '}'.repeat(1000);
    const wide = JSON.stringify(Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i])));
    const file = path.join(work, 'hostile.ndjson');
    await writeLog(file, [makeEvent({ seq: 1, type: 'deep/one', body: deep }), makeEvent({ seq: 2, type: 'wide/one', body: wide })]);
    const { code, stdout, stderr } = await runCli(['schema', '--log', file]);
    expect(code).toBe(0);
    const schemas = JSON.parse(stdout);
    expect(schemas['deep/one'].$comment).toContain(`values nested deeper than ${MAX_DEPTH} levels were not looked into`);
    expect(schemas['wide/one'].$comment).toContain(`objects were looked at up to their first ${MAX_KEYS} keys`);
    expect(Object.keys(schemas['wide/one'].properties)).toHaveLength(MAX_KEYS);
    expect(stderr).toContain(`deep/one: coreone-inspect learnt this type within its bounds`);
  });
});
