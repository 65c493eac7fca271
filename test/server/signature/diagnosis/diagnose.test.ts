// The diagnosis beyond one-test-per-cause (signature.test.ts): it never names a cause
// that does not reproduce the hash, each recipe is reported under its own causes, the
// causes come in a fixed order, and its cost stays bounded for large bodies.
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DIAGNOSIS_CODES, LARGE_BODY, LARGE_BODY_RECIPES, diagnose } from '../../../../server/signature/diagnosis/diagnose.js';
import { BYTE_RECIPE_PASSES, TEXT_RECIPE_LIMIT, recipes } from '../../../../server/signature/diagnosis/recipes.js';
import { verifySignature } from '../../../../server/signature/verify.js';
import { opensslHmac } from '../../../helpers/openssl.js';

const SECRET = 'vdl-Kx7-webhook-secret';
const BODY = Buffer.from('{"type":"client/update", "client": {"id":17,"name":"Tierarztpraxis Grün & Söhne","credit":"hold"}}');
const hmac = (secret: string, body: Uint8Array): Buffer => createHmac('sha256', secret).update(body).digest();
const codes = (received: string | null, body: Uint8Array = BODY, secret = SECRET): string[] =>
  verifySignature(body, received, secret).diagnosis.map((d) => d.code);

describe('diagnosis never lists a cause that does not reproduce the hash', () => {
  it('a random well-formed hash over random bytes is no-match alone', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.string({ minLength: 1, maxLength: 40 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), (body, secret, digest) => {
        expect(codes(Buffer.from(digest).toString('hex'), body, secret)).toEqual(['no-match']);
      }),
      { numRuns: 60 },
    );
  });

  it('a random well-formed hash over random JSON is no-match alone', () => {
    fc.assert(
      fc.property(fc.json({ maxDepth: 3 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), (json, digest) => {
        expect(codes(Buffer.from(digest).toString('hex'), Buffer.from(json))).toEqual(['no-match']);
      }),
      { numRuns: 60 },
    );
  });

  it('a random header that is not 64 hex digits is malformed-hash alone', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }).filter((s) => !/^[0-9a-fA-F]{64}$/.test(s)), (received) => {
        expect(codes(received)).toEqual(['malformed-hash']);
      }),
      { numRuns: 200 },
    );
  });

  it('random digests of every length, in every encoding, are never taken for a cause', () => {
    fc.assert(
      fc.property(fc.constantFrom(16, 20, 28, 32, 48, 64), fc.constantFrom('hex', 'base64', 'base64url'), fc.constantFrom('', 'sha256=', '"'), (length, encoding, wrap) => {
        const text = randomBytes(length).toString(encoding as BufferEncoding);
        const received = wrap === '"' ? `"${text}"` : wrap + text;
        const expected = /^[0-9a-fA-F]{64}$/.test(received) ? ['no-match'] : ['malformed-hash'];
        expect(codes(received)).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });
});

describe('each recipe is found under its own causes', () => {
  // Recomputing a recipe's own digest must lead back to it: an earlier recipe that
  // computes the same thing under other causes would be reported instead.
  const bodies: Array<[string, Buffer]> = [
    ['JSON with non-ASCII and &', BODY],
    ['JSON ending in a newline', Buffer.concat([BODY, Buffer.from('\n')])],
    ['text that is not JSON', Buffer.from('status=received&id=7')],
    ['bytes that are not UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0x7d])],
  ];
  const secrets = [SECRET, ' padded secret\t', '"quoted-secret-value"', '9f86d081884c7d659a2feaa0c55ad015'];
  it.each(bodies.flatMap(([name, body]) => secrets.map((secret) => [name, JSON.stringify(secret), body, secret] as const)))(
    'diagnose(%s, recipe digest, %s) names the recipe',
    (_name, _title, body, secret) => {
      const expected = hmac(secret, body);
      const all = [...recipes({ body, secret, expected })].slice(1);
      expect(all.length).toBeGreaterThan(20);
      for (const recipe of all) {
        const digest = recipe.digest();
        const status = digest.length === 32 ? 'invalid' : 'malformed';
        const diagnosis = diagnose(status, body, digest.toString('hex'), secret, expected);
        const own = [...new Set(recipe.causes.map((c) => c.code))];
        expect(diagnosis.map((d) => d.code)).toEqual(DIAGNOSIS_CODES.filter((code) => own.includes(code)));
      }
    },
  );
});

describe('combinations and order', () => {
  it('component causes are listed in DIAGNOSIS_CODES order, one entry per code', () => {
    const sha1 = createHmac('sha1', `${SECRET}\n`).update(BODY).digest('base64');
    // Not a recipe: two mistakes on the key side are not searched together.
    expect(codes(`sha1=${sha1}`)).toEqual(['malformed-hash']);
    const received = `sha256=${opensslHmac('sha256', `${SECRET}\n`, BODY)}`;
    expect(codes(`${received}, ${received}`)).toEqual(['secret-whitespace', 'hash-encoding', 'duplicate-header']);
  });

  it('a body given as a Uint8Array view (not a Buffer) is diagnosed from the right bytes', () => {
    const backing = new Uint8Array(BODY.length + 8);
    backing.set(BODY, 4);
    const view = backing.subarray(4, 4 + BODY.length);
    expect(codes(opensslHmac('sha256', `${SECRET}\n`, BODY), view)).toEqual(['secret-whitespace']);
  });

  it('the hash-encoding message says what arrived without echoing unknown labels', () => {
    const hex = hmac(SECRET, BODY).toString('hex');
    const [known] = verifySignature(BODY, `sha256=${hex}`, SECRET).diagnosis;
    expect(known?.message).toContain('prefixed with "sha256="');
    const [unknown] = verifySignature(BODY, `x-mine-7=${hex}`, SECRET).diagnosis;
    expect(unknown?.code).toBe('hash-encoding');
    expect(unknown?.message).toContain('prefixed with a label');
    expect(unknown?.message).not.toContain('x-mine-7');
  });
});

describe('docs/DIAGNOSIS.md', () => {
  it('has a row for every code, in DIAGNOSIS_CODES order', () => {
    const doc = readFileSync(new URL('../../../../docs/DIAGNOSIS.md', import.meta.url), 'utf8');
    const rows = [...doc.matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((m) => m[1]);
    expect(rows).toEqual([...DIAGNOSIS_CODES]);
  });
});

describe('cost stays bounded for large bodies', () => {
  const large = Buffer.alloc(TEXT_RECIPE_LIMIT + 1, 0x61);

  it.each(['plain-secret-value', ' padded both ends ', '"quoted-secret-value"', '9f86d081884c7d659a2feaa0c55ad015', 'q83vEjRWeJCrze8SNFZ4kBI0VniQq83v'])(
    'recipes over a body past TEXT_RECIPE_LIMIT with secret %j: at most BYTE_RECIPE_PASSES passes, none of them on text',
    (secret) => {
      const all = [...recipes({ body: large, secret, expected: hmac(secret, large), timestamp: '1714557600' })];
      // The first recipe reuses the verdict's digest and the empty-body one hashes no body.
      const passes = all.length - 2;
      expect(passes).toBeLessThanOrEqual(BYTE_RECIPE_PASSES);
      const textCodes = ['body-reserialized', 'body-unicode-escaped'];
      expect(all.flatMap((r) => r.causes).filter((c) => textCodes.includes(c.code))).toEqual([]);
    },
  );

  it('JSON re-serialization is diagnosed up to TEXT_RECIPE_LIMIT bytes and not past it', () => {
    const jsonOf = (size: number): Buffer => {
      const shell = '{"padding": ""}';
      return Buffer.from(`{"padding": "${'x'.repeat(size - shell.length)}"}`);
    };
    const atLimit = jsonOf(TEXT_RECIPE_LIMIT);
    expect(atLimit.length).toBe(TEXT_RECIPE_LIMIT);
    const compactHash = (body: Buffer): string => opensslHmac('sha256', SECRET, JSON.stringify(JSON.parse(body.toString())));
    expect(codes(compactHash(atLimit), atLimit)).toEqual(['body-reserialized']);
    const pastLimit = jsonOf(TEXT_RECIPE_LIMIT + 1);
    expect(codes(compactHash(pastLimit), pastLimit)).toEqual(['no-match']);
  });

  it('past LARGE_BODY only the likeliest recipes are tried: a trailing newline on the secret is found, a swapped key and body is not', () => {
    const huge = Buffer.alloc(LARGE_BODY + 1, 0x62);
    const newline = hmac(`${SECRET}\n`, huge).toString('hex');
    const swapped = createHmac('sha256', huge).update(SECRET).digest('hex');
    expect(codes(newline, huge)).toEqual(['secret-whitespace']);
    const [answer, ...more] = verifySignature(huge, swapped, SECRET).diagnosis;
    expect(more).toEqual([]);
    expect(answer?.code).toBe('no-match');
    expect(answer?.message).toContain(`only the ${LARGE_BODY_RECIPES} likeliest mistakes are tried`);
    // The same mistake on a body at the limit is still named.
    const atLimit = huge.subarray(0, LARGE_BODY);
    expect(codes(createHmac('sha256', atLimit).update(SECRET).digest('hex'), atLimit)).toEqual(['key-message-swapped']);
  });
});
