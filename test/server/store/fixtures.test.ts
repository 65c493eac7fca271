// Fixture files: layout and format per SPEC.md, body byte-exact, owner-only permissions,
// no type header can place a file outside the fixtures dir, no save overwrites another,
// and a corrupt file is refused in one sentence.
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FIXTURE_FORMAT, FixtureError, fixtureStem, readFixture, saveFixture } from '../../../server/store/fixtures.js';
import { recordedBodyBytes } from '../../../server/delivery/post.js';
import { eventOf } from '../../helpers/delivery.js';

const BODY = Buffer.from('{"accession":{"accession_number":"A26-004512","status":"Finalized"}}');
const SECRET = 'fixture-secret';

let root: string;
let dir: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'coreone-fixtures-'));
  dir = path.join(root, 'fixtures');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Every file under `start`, as paths relative to it. */
async function filesUnder(start: string): Promise<string[]> {
  const entries = await readdir(start, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(start, path.join(e.parentPath, e.name)));
}

describe('saveFixture(dir, event)', () => {
  it('writes <dir>/<resource>/<action>-<seq>-<short id>.json in the SPEC format, body byte-exact', async () => {
    const event = eventOf(BODY, { hash: 'ab'.repeat(32), secret: SECRET, seq: 12, id: '3f9a0c1be27d4456' });
    const file = await saveFixture(dir, event);
    expect(file).toBe(path.join(dir, 'accession', 'status_change-12-3f9a0c1b.json'));
    const saved = JSON.parse(await readFile(file, 'utf8'));
    expect(Object.keys(saved)).toEqual(['format', 'type', 'receivedAt', 'headers', 'body', 'bodyEncoding', 'signature']);
    expect(saved).toEqual({
      format: FIXTURE_FORMAT,
      type: 'accession/status_change',
      receivedAt: event.receivedAt,
      headers: event.headers,
      body: BODY.toString('utf8'),
      bodyEncoding: 'utf8',
      signature: event.signature,
    });
    expect(saved.signature.status).toBe('invalid');
    expect(await readFile(file, 'utf8')).not.toContain(SECRET);
  });

  it('keeps a body that is not UTF-8 byte-exact through save and read', async () => {
    const bytes = Buffer.from([0x7b, 0xff, 0xfe, 0x00, 0x80, 0xc3, 0x28, 0x7d]);
    const file = await saveFixture(dir, eventOf(bytes));
    const fixture = await readFixture(file);
    expect(fixture.bodyEncoding).toBe('base64');
    expect(recordedBodyBytes(fixture).equals(bytes)).toBe(true);
  });

  it('creates files 0600 and directories 0700: fixtures may hold customer data', async () => {
    const file = await saveFixture(dir, eventOf(BODY));
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(file))).mode & 0o777).toBe(0o700);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
  });

  it('never overwrites: two saves of one event make two files, and a file already there is left alone', async () => {
    const event = eventOf(BODY, { seq: 3 });
    const taken = path.join(dir, 'accession', 'status_change-3-3f9a0c1b.json');
    await saveFixture(dir, eventOf(Buffer.from('{}'), { seq: 99 })); // creates the directories
    await writeFile(taken, 'written by hand\n');
    const first = await saveFixture(dir, event);
    const second = await saveFixture(dir, event);
    expect(first).toBe(path.join(dir, 'accession', 'status_change-3-3f9a0c1b-2.json'));
    expect(second).toBe(path.join(dir, 'accession', 'status_change-3-3f9a0c1b-3.json'));
    expect(await readFile(taken, 'utf8')).toBe('written by hand\n');
    expect((await readFixture(first)).body).toBe(BODY.toString('utf8'));
  });

  it('gives concurrent saves of one event distinct files', async () => {
    const event = eventOf(BODY);
    const files = await Promise.all(Array.from({ length: 8 }, () => saveFixture(dir, event)));
    expect(new Set(files).size).toBe(8);
    expect(await filesUnder(dir)).toHaveLength(8);
  });

  const hostile: Array<[string, string | null]> = [
    ['parent traversal', '../../x/y'],
    ['deeper traversal', 'a/../../../../../../tmp/evil'],
    ['absolute path', '/etc/passwd'],
    ['dots only', '../..'],
    ['single dot', './.'],
    ['Windows traversal', '..\\..\\windows\\system32'],
    ['drive letter', 'C:\\x/y'],
    ['NUL bytes', 'acc\0ession/sta\0tus'],
    ['NUL only', '\0/\0'],
    ['very long parts', `${'r'.repeat(5000)}/${'a'.repeat(5000)}`],
    ['many slashes', `${'x/'.repeat(400)}y`],
    ['URL-encoded dots', '%2e%2e/%2e%2e%2fetc'],
    ['unicode', 'accès/créé'],
    ['unicode lookalikes', '\u2025/\uFF0E\uFF0E\u2215etc'],
    ['emoji', '🦠/💉'],
    ['Windows device name', 'con/aux'],
    ['empty', ''],
    ['no slash', 'status_change'],
    ['missing header', null],
  ];
  it.each(hostile)('keeps a hostile type header inside the fixtures dir: %s', async (_name, type) => {
    const file = await saveFixture(dir, eventOf(BODY, { type }));
    const relative = path.relative(dir, file);
    expect(relative.startsWith('..') || path.isAbsolute(relative)).toBe(false);
    expect(relative.split(path.sep)).toHaveLength(2);
    for (const part of relative.split(path.sep)) {
      expect(part).toMatch(/^[a-z0-9_][a-z0-9_.-]*$/);
      expect(Buffer.byteLength(part)).toBeLessThanOrEqual(100);
    }
    expect(await filesUnder(root)).toEqual([path.join('fixtures', relative)]);
    expect((await readFixture(file)).type).toBe(type);
  });

  it('builds every path part from a-z, 0-9 and _ whatever the type header (property, any unicode)', () => {
    const typeHeader = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 300 }),
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.array(fc.constantFrom('..', '.', '/', '\\', '\0', 'a', 'É', '~', ':', ' '), { maxLength: 60 }).map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(fc.option(typeHeader), fc.string(), fc.integer(), (type, id, seq) => {
        const { dir: resource, name } = fixtureStem({ type, id, seq });
        expect(resource).toMatch(/^[a-z0-9_]{1,65}$/);
        expect(name).toMatch(/^[a-z0-9_]{1,64}-\d+-[A-Za-z0-9]{1,8}$/);
        const file = path.resolve('/fixtures', resource, `${name}.json`);
        expect(path.dirname(path.dirname(file))).toBe(path.resolve('/fixtures'));
      }),
      { numRuns: 2000 },
    );
  });

  it('puts events without a usable resource under unknown/', async () => {
    expect(path.relative(dir, await saveFixture(dir, eventOf(BODY, { type: null, seq: 1 })))).toBe(
      path.join('unknown', 'event-1-3f9a0c1b.json'),
    );
    expect(path.relative(dir, await saveFixture(dir, eventOf(BODY, { type: '../../x/y', seq: 2 })))).toBe(
      path.join('unknown', 'x_y-2-3f9a0c1b.json'),
    );
    expect(path.relative(dir, await saveFixture(dir, eventOf(BODY, { type: 'accès/créé', seq: 3 })))).toBe(
      path.join('acces', 'cree-3-3f9a0c1b.json'),
    );
  });

  it('refuses an event whose body was over --max-body, in one sentence', async () => {
    const event = { ...eventOf(Buffer.alloc(0)), truncated: true };
    await expect(saveFixture(dir, event)).rejects.toThrow(/^Event \w+ was over --max-body.*\.$/);
    await expect(filesUnder(root)).resolves.toEqual([]);
  });

  it('says in one sentence when the fixtures dir cannot be used', async () => {
    await writeFile(dir, 'a file, not a directory');
    const failure = saveFixture(dir, eventOf(BODY));
    await expect(failure).rejects.toBeInstanceOf(FixtureError);
    await expect(failure).rejects.toThrow(/^Cannot save a fixture in .*: a file stands where a directory should be\.$/);
  });
});

describe('readFixture(path)', () => {
  async function corrupt(content: string): Promise<string> {
    const file = path.join(root, 'bad.json');
    await writeFile(file, content);
    return file;
  }
  const good = () => JSON.parse(JSON.stringify({ format: FIXTURE_FORMAT, ...eventOf(BODY) }));

  it('reads back what saveFixture wrote', async () => {
    const event = eventOf(BODY, { hash: 'cd'.repeat(32), secret: SECRET });
    const fixture = await readFixture(await saveFixture(dir, event));
    expect(fixture).toMatchObject({ type: event.type, body: event.body, headers: event.headers, signature: event.signature });
  });

  const cases: Array<[string, () => Promise<string>, RegExp]> = [
    ['a missing file', async () => path.join(root, 'nope.json'), /^Cannot read fixture .*nope\.json: no such file or directory\.$/],
    ['a directory', async () => root, /^Cannot read fixture .*: it is a directory\.$/],
    ['text that is not JSON', () => corrupt('{"format": '), /bad\.json is not a fixture: it is not valid JSON \(.*\)\.$/],
    ['JSON that is not a fixture', () => corrupt('[1,2,3]'), /bad\.json is not a coreone-inspect fixture/],
    ['another format version', () => corrupt(JSON.stringify({ ...good(), format: 'coreone-inspect/fixture@9' })), /has fixture format "coreone-inspect\/fixture@9"; this version reads/],
    ['a body that is not a string', () => corrupt(JSON.stringify({ ...good(), body: { a: 1 } })), /corrupt fixture: "body" must be a string\.$/],
    ['an unknown body encoding', () => corrupt(JSON.stringify({ ...good(), bodyEncoding: 'hex' })), /"bodyEncoding" must be "utf8" or "base64"\.$/],
    ['invalid base64', () => corrupt(JSON.stringify({ ...good(), bodyEncoding: 'base64', body: 'not base64!' })), /"body" is not valid base64\.$/],
    ['a lone surrogate', () => corrupt(JSON.stringify({ ...good(), body: 'ok \ud800' })), /"body" holds text that is not valid UTF-8\.$/],
    ['headers that are not strings', () => corrupt(JSON.stringify({ ...good(), headers: { a: 1 } })), /"headers" must be an object of strings\.$/],
    ['no signature', () => corrupt(JSON.stringify({ ...good(), signature: undefined })), /"signature" is missing or not a signature verdict\.$/],
  ];
  it.each(cases)('refuses %s with one sentence naming the file', async (_name, make, message) => {
    const file = await make();
    const failure = readFixture(file);
    await expect(failure).rejects.toBeInstanceOf(FixtureError);
    const error = (await failure.catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('\n');
  });
});
