// Properties over random input (fast-check), for the three places where a wrong answer
// would be silent: the signature verdict, the fixture path, and the Diff tab's summary of
// changed JSON paths. The oracles are independent of the code under test: node:crypto's
// HMAC for the verdict, the file system for the path, a leaf walk of our own for the diff.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { mkdir, mkdtemp, readdir, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { computeSignature, verifySignature } from '../../server/signature/verify.js';
import { fixtureStem, sanitizePathPart, saveFixture } from '../../server/store/fixtures.js';
import { changedPaths, diffBodies } from '../../cli/ui/model/diff.js';
import { eventOf } from '../helpers/delivery.js';

const oracle = (body: Uint8Array, secret: string): string => createHmac('sha256', secret).update(body).digest('hex');

describe('the signature verdict', () => {
  const body = fc.uint8Array({ maxLength: 512 });
  const secret = fc.string({ unit: 'binary', minLength: 1, maxLength: 64 });

  it('is always valid for the right hash, in any hex case, with no diagnosis', () => {
    fc.assert(
      fc.property(body, secret, fc.array(fc.boolean(), { minLength: 64, maxLength: 64 }), (bytes, key, upper) => {
        const right = oracle(bytes, key);
        expect(computeSignature(bytes, key)).toBe(right);
        const mixedCase = [...right].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join('');
        for (const received of [right, right.toUpperCase(), mixedCase]) {
          expect(verifySignature(bytes, received, key)).toEqual({ status: 'valid', received, expected: right, diagnosis: [] });
        }
      }),
      { numRuns: 500 },
    );
  });

  it('is never valid for a wrong hash, and then always explains itself', () => {
    // Wrong hashes of every kind: one digit changed, another secret, another body,
    // wrapped or padded, random hex, and any text at all.
    const wrong = (bytes: Uint8Array, key: string) => {
      const right = oracle(bytes, key);
      return fc.oneof(
        fc.tuple(fc.nat({ max: 63 }), fc.constantFrom(...'0123456789abcdef')).map(([i, d]) => right.slice(0, i) + d + right.slice(i + 1)),
        secret.map((other) => oracle(bytes, other)),
        fc.uint8Array({ maxLength: 64 }).map((other) => oracle(other, key)),
        fc.constantFrom(`sha256=${right}`, ` ${right}`, `${right}\n`, `${right}0`, right.slice(1), `"${right}"`, `${right}, ${right}`, Buffer.from(right, 'hex').toString('base64')),
        fc.stringMatching(/^[0-9a-f]{64}$/),
        fc.string({ unit: 'grapheme', maxLength: 80 }),
      );
    };
    fc.assert(
      fc.property(
        body.chain((bytes) => secret.chain((key) => wrong(bytes, key).map((received) => ({ bytes, key, received })))),
        ({ bytes, key, received }) => {
          const right = oracle(bytes, key);
          const isRight = /^[0-9a-fA-F]{64}$/.test(received) && received.toLowerCase() === right;
          const verdict = verifySignature(bytes, received, key);
          expect(verdict.status === 'valid').toBe(isRight);
          if (!isRight) {
            expect(['invalid', 'malformed']).toContain(verdict.status);
            expect(verdict.expected).toBe(right);
            expect(verdict.diagnosis.length).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('never quotes a secret of 8 characters or more in a diagnosis', () => {
    fc.assert(
      fc.property(body, fc.string({ unit: 'grapheme', minLength: 8, maxLength: 40 }), fc.constantFrom(' ', '\n', '\t', '\r\n'), (bytes, key, edge) => {
        // The sender's secret with whitespace: the diagnosis names the cause, not the secret.
        for (const received of [oracle(bytes, key + edge), oracle(bytes, edge + key), oracle(bytes, key.trim() || 'x')]) {
          const verdict = verifySignature(bytes, received, key);
          for (const d of verdict.diagnosis) expect(d.message).not.toContain(key);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('fixture paths', () => {
  let root: string;
  beforeAll(async () => {
    root = await realpath(await mkdtemp(path.join(tmpdir(), 'coreone-hardening-paths-')));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const hostileType = fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 200 }),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.array(fc.constantFrom('..', '.', '/', '\\', '\0', '%2e', '%2f', '\u2025', '\uFF0E', '\u2215', 'C:', '~', 'con', 'nul', 'lpt1', 'a', 'É', ' ', '\n'), { maxLength: 40 }).map((parts) => parts.join('')),
  );

  it('sanitizePathPart gives [a-z0-9_], no "_" at either end, at most 64 characters, and is idempotent', () => {
    fc.assert(
      fc.property(hostileType, (text) => {
        const part = sanitizePathPart(text);
        expect(part).toMatch(/^(?:[a-z0-9](?:[a-z0-9_]{0,62}[a-z0-9])?)?$/);
        expect(sanitizePathPart(part)).toBe(part);
      }),
      { numRuns: 2000 },
    );
  });

  it('fixtureStem never names a directory that leaves the fixtures dir', () => {
    fc.assert(
      fc.property(fc.option(hostileType), fc.string(), fc.oneof(fc.integer(), fc.double()), (type, id, seq) => {
        const { dir, name } = fixtureStem({ type, id, seq });
        const file = path.resolve('/fixtures', dir, `${name}.json`);
        expect(path.relative('/fixtures', file).split(path.sep)).toEqual([dir, `${name}.json`]);
        expect(dir).not.toMatch(/^\.+$/);
      }),
      { numRuns: 2000 },
    );
  });

  it('saveFixture with a hostile type writes exactly one file, two levels under the fixtures dir, and nothing outside it', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.option(hostileType), fc.nat(), async (type, seq) => {
        // Each run gets a fresh fixtures dir beside a sentinel dir that must stay empty.
        const base = path.join(root, `run-${run++}`);
        const fixtures = path.join(base, 'fixtures');
        await mkdir(path.join(base, 'outside'), { recursive: true });
        const file = await saveFixture(fixtures, eventOf(Buffer.from('{}'), { type, seq, id: 'abcdef0123456789' }));
        const real = await realpath(file);
        const relative = path.relative(fixtures, real);
        expect(relative.startsWith('..') || path.isAbsolute(relative)).toBe(false);
        expect(relative.split(path.sep)).toHaveLength(2);
        expect(await readdir(base)).toEqual(['fixtures', 'outside']);
        expect(await readdir(path.join(base, 'outside'))).toEqual([]);
        const all = await readdir(fixtures, { recursive: true, withFileTypes: true });
        expect(all.filter((e) => e.isFile()).map((e) => path.relative(fixtures, path.join(e.parentPath, e.name)))).toEqual([relative]);
      }),
      { numRuns: 150 },
    );
    // Nothing anywhere under the temporary root but the runs' own directories.
    expect((await readdir(root)).every((name) => /^run-\d+$/.test(name))).toBe(true);
  });
});

describe('the JSON diff summary', () => {
  // JSON text is the source of truth: parsing it gives own properties even for keys such
  // as "__proto__", the way a received body is parsed.
  const json = fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.parse(JSON.stringify(value)) as unknown);
  const container = fc.oneof(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 })), fc.array(fc.jsonValue({ maxDepth: 3 }))).map((value) => JSON.parse(JSON.stringify(value)) as unknown);
  const primitive = fc.oneof(fc.string(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null));

  type Key = string | number;
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

  /** The documented path notation: `a.b[2]`, a key that is no identifier as `["odd key"]`. */
  function pathText(keys: Key[]): string {
    let text = '';
    for (const key of keys) {
      if (typeof key === 'number') text += `[${key}]`;
      else if (/^[A-Za-z_$][\w$]*$/.test(key)) text += text ? `.${key}` : key;
      else text += `[${JSON.stringify(key)}]`;
    }
    return text || '(whole body)';
  }

  /** Every leaf (a primitive, or an empty object or array) with its keys from the root. */
  function leaves(value: unknown, keys: Key[] = []): { keys: Key[]; value: unknown }[] {
    if (Array.isArray(value) && value.length > 0) return value.flatMap((v, i) => leaves(v, [...keys, i]));
    if (isObject(value) && Object.keys(value).length > 0) return Object.keys(value).flatMap((k) => leaves(value[k], [...keys, k]));
    return [{ keys, value }];
  }

  function setAt(root: unknown, keys: Key[], value: unknown): unknown {
    if (keys.length === 0) return value;
    let parent = root as Record<string | number, unknown>;
    for (const key of keys.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
    // defineProperty, so that a "__proto__" key is set as data, as JSON.parse does.
    Object.defineProperty(parent, keys.at(-1)!, { value, enumerable: true, writable: true, configurable: true });
    return root;
  }

  const event = (value: unknown, seq: number) => eventOf(Buffer.from(JSON.stringify(value)), { seq });

  it('a body against itself: no changed paths, and the Diff tab says identical', () => {
    fc.assert(
      fc.property(json, (value) => {
        expect(changedPaths(value, JSON.parse(JSON.stringify(value)))).toEqual([]);
        expect(diffBodies(event(value, 1), event(value, 2))).toEqual({ kind: 'identical' });
      }),
      { numRuns: 500 },
    );
  });

  it('two bodies that differ in some leaves: exactly those paths, with their old and new values', () => {
    // A body, and up to six of its leaves each given a new primitive value unlike the old one.
    const edited = container
      .filter((value) => leaves(value).length > 0)
      .chain((before) => {
        const all = leaves(before);
        return fc
          .uniqueArray(fc.nat({ max: all.length - 1 }), { minLength: 1, maxLength: Math.min(all.length, 6) })
          .chain((picks) =>
            fc
              .tuple(...picks.map((i) => primitive.filter((p) => JSON.stringify(p) !== JSON.stringify(all[i]!.value))))
              .map((values) => ({ before, edits: picks.map((i, n) => ({ leaf: all[i]!, to: values[n] as unknown })) })),
          );
      });
    const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
    fc.assert(
      fc.property(edited, ({ before, edits }) => {
        let after = JSON.parse(JSON.stringify(before)) as unknown;
        for (const { leaf, to } of edits) after = setAt(after, leaf.keys, to);
        const expected = edits.map(({ leaf, to }) => ({ path: pathText(leaf.keys), before: JSON.stringify(leaf.value), after: JSON.stringify(to) }));
        expect(changedPaths(before, after).sort(byPath)).toEqual(expected.sort(byPath));
        const diff = diffBodies(event(before, 1), event(after, 2));
        expect(diff.kind).toBe('changed');
        if (diff.kind === 'changed') expect(diff.changes?.map((c) => c.path).sort()).toEqual(expected.map((c) => c.path).sort());
      }),
      { numRuns: 500 },
    );
  });

  it('keys that appear or go: named with only their new or only their old value', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 }), { minKeys: 1 }), fc.string(), fc.jsonValue({ maxDepth: 2 }), (raw, added, addedValue) => {
        const before = JSON.parse(JSON.stringify(raw)) as Record<string, unknown>;
        const gone = Object.keys(before)[0]!;
        const after = JSON.parse(JSON.stringify(before)) as Record<string, unknown>;
        delete after[gone];
        const expected = [{ path: pathText([gone]), before: JSON.stringify(before[gone]) }];
        if (!Object.hasOwn(before, added)) {
          setAt(after, [added], JSON.parse(JSON.stringify(addedValue)));
          expected.push({ path: pathText([added]), after: JSON.stringify(after[added]) } as never);
        }
        const sortByPath = (list: { path: string }[]) => [...list].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
        expect(sortByPath(changedPaths(before, after))).toEqual(sortByPath(expected));
      }),
      { numRuns: 500 },
    );
  });
});
