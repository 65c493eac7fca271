// `coreone-inspect export --har`, run in-process over a log written by the test: the
// archive validates against har-schema (HAR 1.2) with ajv, holds one entry per event,
// and each body comes back byte-exact from postData (UTF-8 text, or base64 with encoding).
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventOf } from '../../helpers/delivery.js';
import { writeLog } from '../../helpers/log-file.js';
import { runCli } from '../../helpers/run-cli.js';

const BODIES = [
  Buffer.from('{"accession":{"id":7,"note":"Müller \\"quoted\\" $HOME \\\\ back"}}\n'),
  Buffer.from([0x7b, 0x22, 0x78, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), // not UTF-8
  Buffer.from('plain text, not JSON'),
];
const events = BODIES.map((body, i) => ({
  ...eventOf(body, { seq: i + 1, id: `event${i}`, type: i === 2 ? 'invoice/close' : 'accession/status_change' }),
  path: i === 0 ? '/hooks?source=coreone&x=1' : '/',
  responseStatus: i === 2 ? 500 : 200,
}));

let work: string;
let log: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'coreone-export-'));
  log = path.join(work, 'events.ndjson');
  await writeLog(log, events, { tornTail: true });
});
afterAll(() => rm(work, { recursive: true, force: true }));

// har-schema is CommonJS without types: one schema per HAR object, by name.
const require = createRequire(import.meta.url);
const harSchemas = require('har-schema') as Record<string, object>;

/** har-schema's validator for a whole archive (its schemas are draft-06 and refer to each other by $id). */
function harValidator() {
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json') as object);
  for (const schema of Object.values(harSchemas)) ajv.addSchema(schema);
  return ajv.getSchema('har.json#')!;
}

describe('export --har', () => {
  it('writes a valid HAR 1.2 archive, one entry per event, bodies byte-exact', async () => {
    const file = path.join(work, 'events.har');
    const { code, stdout, stderr } = await runCli(['export', '--har', file, '--log', log]);
    expect(code).toBe(0);
    expect(stdout).toBe(`Wrote 3 events to ${file} (HAR 1.2).\n`);
    expect(stderr).toContain('Skipped the last line of the event log');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const har = JSON.parse(await readFile(file, 'utf8'));
    const validate = harValidator();
    expect(validate(har), JSON.stringify(validate.errors)).toBe(true);
    // The validator has teeth: an entry without its request is refused.
    expect(validate({ log: { ...har.log, entries: [{ ...har.log.entries[0], request: undefined }] } })).toBe(false);
    expect(har.log.version).toBe('1.2');
    const entries = har.log.entries;
    expect(entries).toHaveLength(3);
    entries.forEach((entry: { request: { postData: { text: string; encoding?: 'base64' } } }, i: number) => {
      const { text, encoding } = entry.request.postData;
      expect(Buffer.from(text, encoding ?? 'utf8').equals(BODIES[i]!)).toBe(true);
    });
    expect(entries[1].request.postData.encoding).toBe('base64');
    expect(entries[0].request).toMatchObject({
      method: 'POST',
      url: 'http://example.loca.lt/hooks?source=coreone&x=1',
      queryString: [
        { name: 'source', value: 'coreone' },
        { name: 'x', value: '1' },
      ],
      bodySize: BODIES[0]!.length,
    });
    expect(entries[0].request.headers).toContainEqual({ name: 'x-coreone-webhook-type', value: 'accession/status_change' });
    expect(entries.map((entry: { response: { status: number } }) => entry.response.status)).toEqual([200, 200, 500]);
  });

  it('keeps only the events whose type starts with --type, and writes to stdout for -', async () => {
    const { code, stdout } = await runCli(['export', '--har', '-', '--log', log, '--type', 'invoice/']);
    expect(code).toBe(0);
    const har = JSON.parse(stdout);
    expect(harValidator()(har)).toBe(true);
    expect(har.log.entries.map((entry: { request: { postData: { text: string } } }) => entry.request.postData.text)).toEqual([BODIES[2]!.toString()]);
  });

  it('exits 2 with one sentence for a log it cannot read', async () => {
    const { code, stderr } = await runCli(['export', '--har', '-', '--log', path.join(work, 'missing.ndjson')]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^coreone-inspect: Cannot read the event log .*missing\.ndjson: no such file or directory\.\n$/);
  });
});
