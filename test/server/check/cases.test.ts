// What each case of the battery sends: the bytes that tell one handler mistake from
// another, checked against the real serializers (JavaScript's here, Python's by running
// python3), and the signing checked against openssl.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { SAMPLE_TYPES } from '../../../server/catalogue/samples.js';
import { buildCases, CASE_IDS, UNKNOWN_TYPE, type CaseId } from '../../../server/check/cases.js';
import { isKnownType } from '../../../server/catalogue/webhook-types.js';
import { opensslHmac } from '../../helpers/delivery.js';

const SECRET = 'whsec-cases-19d2';
const cases = new Map(buildCases(SECRET).map((testCase) => [testCase.id, testCase]));
const only = (id: CaseId) => cases.get(id)!.requests[0]!;
const text = (id: CaseId) => only(id).body.toString('utf8');
const roundTrip = (body: string) => JSON.stringify(JSON.parse(body));

/** What `json.dumps(json.loads(body))` writes, by Python itself. */
function pythonRoundTrip(body: string): string {
  const run = spawnSync('python3', ['-c', 'import json,sys; sys.stdout.write(json.dumps(json.loads(sys.stdin.read())))'], { input: body, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return run.stdout;
}

describe('check cases', () => {
  it('lists every id once, in the fixed order, replayed after valid', () => {
    expect([...cases.keys()]).toEqual([...CASE_IDS]);
    expect(CASE_IDS.indexOf('replayed')).toBeGreaterThan(CASE_IDS.indexOf('valid'));
  });

  it('signs each request with the secret, as openssl computes it, except the cases about the hash', async () => {
    const signedRight: CaseId[] = ['valid', 'valid-pretty', 'valid-spaced', 'valid-unicode', 'valid-escapes', 'valid-large', 'unknown-type', 'replayed'];
    for (const id of signedRight) {
      expect(only(id).headers['x-coreone-webhook-hash'], id).toBe(await opensslHmac(only(id).body, SECRET));
    }
    const upper = only('uppercase-hash');
    expect(upper.headers['x-coreone-webhook-hash']).toBe((await opensslHmac(upper.body, SECRET)).toUpperCase());
    expect(only('missing-hash').headers).not.toHaveProperty('x-coreone-webhook-hash');
    expect(only('malformed-hash').headers['x-coreone-webhook-hash']).toMatch(/^[0-9a-f]{40}$/);
    expect(only('wrong-secret').headers['x-coreone-webhook-hash']).not.toBe(await opensslHmac(only('wrong-secret').body, SECRET));
    expect(only('tampered-body').headers['x-coreone-webhook-hash']).toBe(only('valid').headers['x-coreone-webhook-hash']);
    expect(text('tampered-body')).not.toBe(text('valid'));
  });

  it('writes valid as JSON.stringify does, ASCII only, and valid-spaced as Python does', () => {
    expect(roundTrip(text('valid'))).toBe(text('valid'));
    expect(text('valid')).toMatch(/^[\x20-\x7e]+$/);
    expect(pythonRoundTrip(text('valid'))).toBe(text('valid-spaced'));
    expect(JSON.parse(text('valid-pretty'))).toEqual(JSON.parse(text('valid')));
    expect(text('valid-pretty')).not.toBe(text('valid'));
  });

  it('has bodies that a round trip changes (escapes) and keeps (unicode) as each serializer does', () => {
    expect(roundTrip(text('valid-escapes'))).not.toBe(text('valid-escapes'));
    expect(pythonRoundTrip(text('valid-escapes'))).not.toBe(text('valid-escapes'));
    expect(text('valid-escapes')).toContain('\\/');
    expect(text('valid-unicode')).toMatch(/[^\x00-\x7f]/u);
    expect(text('valid-unicode')).toMatch(/\p{Extended_Pictographic}/u);
    expect(roundTrip(text('valid-unicode'))).toBe(text('valid-unicode'));
    expect(pythonRoundTrip(text('valid-unicode'))).not.toBe(text('valid-unicode'));
  });

  it('sends about 1 MiB for valid-large, one event of each type for every-type, and an unknown type', () => {
    expect(only('valid-large').body.length).toBeGreaterThan(900 * 1024);
    expect(only('valid-large').body.length).toBeLessThan(1200 * 1024);
    expect(cases.get('every-type')!.requests.map((request) => request.type)).toEqual([...SAMPLE_TYPES]);
    expect(only('unknown-type').headers['x-coreone-webhook-type']).toBe(UNKNOWN_TYPE);
    expect(isKnownType(UNKNOWN_TYPE)).toBe(false);
  });

  it('sends the same bytes twice only for valid and replayed, so a de-duplicating handler trips on replayed alone', () => {
    const accepted = [...cases.values()].filter((testCase) => testCase.expect === 'accept');
    const bodies = accepted.flatMap((testCase) => testCase.requests.map((request) => request.body.toString('base64')));
    expect(new Set(bodies).size).toBe(bodies.length - 1);
    expect(only('replayed')).toEqual(only('valid'));
  });

  it('signs wrong-secret with another key even when the given secret is the one it would use', () => {
    const collide = new Map(buildCases('coreone-inspect-check-not-your-secret').map((testCase) => [testCase.id, testCase.requests[0]!]));
    expect(collide.get('wrong-secret')!.headers['x-coreone-webhook-hash']).not.toBe(collide.get('valid')!.headers['x-coreone-webhook-hash']);
  });
});
