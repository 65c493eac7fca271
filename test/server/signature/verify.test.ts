// Signature verdicts, octokit style: one known-good vector that openssl computes, then
// each test changes one thing from it. Every mistaken hash comes from a sender that is
// not our signing code (openssl, or python3's json/hmac/hashlib), and each cause must be
// diagnosed with exactly the codes listed, nothing more.
import { afterAll, describe, expect, it } from 'vitest';
import { computeSignature, uncheckedSignature, verifySignature } from '../../../server/signature/verify.js';
import { DIAGNOSIS_CODES } from '../../../server/signature/diagnosis/diagnose.js';
import type { SignatureStatus } from '../../../server/types.js';
import { opensslBase64, opensslDigest, opensslHmac, PythonBatch, removeTempFiles } from '../../helpers/openssl.js';

const SECRET = 'vdl-Kx7-webhook-secret';
// Spacing is irregular and keys unsorted, so every re-serialization differs from it; it
// has non-ASCII, <, >, & and / so every escaping style changes it.
const BODY = Buffer.from(
  '{"type":"accession/status_change", "accession": {"id":4711,"status":"Received","client":"Clinique vétérinaire <Nord> & Co","report":"https://lab.example/r/4711"},"at":"2024-05-01T10:00:00Z"}',
);
// `openssl dgst -sha256 -hmac vdl-Kx7-webhook-secret` over BODY.
const GOOD = 'c726fc109fc756e8c47f4ed2dbbde58775731f46cb3829a8cb1ff60405f43ba7';

afterAll(removeTempFiles);

describe('the known-good vector', () => {
  it('openssl dgst -sha256 -hmac secret body === GOOD', () => {
    expect(opensslHmac('sha256', SECRET, BODY)).toBe(GOOD);
  });

  it('computeSignature(body, secret) === GOOD', () => {
    expect(computeSignature(BODY, SECRET)).toBe(GOOD);
  });

  it('verifySignature(body, GOOD, secret) is valid with no diagnosis', () => {
    expect(verifySignature(BODY, GOOD, SECRET)).toEqual({ status: 'valid', received: GOOD, expected: GOOD, diagnosis: [] });
  });

  it('verifySignature(body, GOOD.toUpperCase(), secret) is valid: hex case is ignored', () => {
    const upper = GOOD.toUpperCase();
    expect(verifySignature(BODY, upper, SECRET)).toEqual({ status: 'valid', received: upper, expected: GOOD, diagnosis: [] });
  });

  it('verifySignature(body, mixed-case GOOD, secret) is valid', () => {
    const mixed = [...GOOD].map((c, i) => (i % 2 ? c.toUpperCase() : c)).join('');
    expect(verifySignature(BODY, mixed, SECRET).status).toBe('valid');
  });

  it('verifySignature(Uint8Array view into a larger buffer, GOOD, secret) is valid', () => {
    const backing = new Uint8Array(BODY.length + 10);
    backing.set(BODY, 5);
    expect(verifySignature(backing.subarray(5, 5 + BODY.length), GOOD, SECRET).status).toBe('valid');
  });
});

describe('every status', () => {
  it('verifySignature(body, GOOD, null) is unchecked', () => {
    expect(verifySignature(BODY, GOOD, null)).toEqual({ status: 'unchecked', received: GOOD, expected: null, diagnosis: [] });
  });

  it("verifySignature(body, GOOD, '') is unchecked: an empty secret is none", () => {
    expect(verifySignature(BODY, GOOD, '')).toEqual({ status: 'unchecked', received: GOOD, expected: null, diagnosis: [] });
  });

  it('verifySignature(body, undefined, null) is unchecked with received null', () => {
    expect(verifySignature(BODY, undefined, null)).toEqual({ status: 'unchecked', received: null, expected: null, diagnosis: [] });
  });

  it('uncheckedSignature(GOOD) keeps the header as sent', () => {
    expect(uncheckedSignature(GOOD)).toEqual({ status: 'unchecked', received: GOOD, expected: null, diagnosis: [] });
  });

  it('uncheckedSignature(undefined) has received null', () => {
    expect(uncheckedSignature(undefined)).toEqual({ status: 'unchecked', received: null, expected: null, diagnosis: [] });
  });

  it('verifySignature(body, null, secret) is missing, with the expected hash', () => {
    const signature = verifySignature(BODY, null, SECRET);
    expect(signature).toMatchObject({ status: 'missing', received: null, expected: GOOD });
    expect(signature.diagnosis.map((d) => d.code)).toEqual(['missing-header']);
  });

  it('verifySignature(body, undefined, secret) is missing', () => {
    expect(verifySignature(BODY, undefined, SECRET).status).toBe('missing');
  });

  it("verifySignature(body, 'not a hash', secret) is malformed: malformed-hash", () => {
    const signature = verifySignature(BODY, 'not a hash', SECRET);
    expect(signature).toMatchObject({ status: 'malformed', received: 'not a hash', expected: GOOD });
    expect(signature.diagnosis.map((d) => d.code)).toEqual(['malformed-hash']);
  });

  it('verifySignature(body, GOOD with one digit changed, secret) is invalid: no-match', () => {
    const changed = (GOOD[0] === '0' ? '1' : '0') + GOOD.slice(1);
    const signature = verifySignature(BODY, changed, SECRET);
    expect(signature).toMatchObject({ status: 'invalid', received: changed, expected: GOOD });
    expect(signature.diagnosis.map((d) => d.code)).toEqual(['no-match']);
  });
});

describe('wrong argument types throw TypeError', () => {
  const calls: Array<[string, () => unknown]> = [
    ['verifySignature(string body, GOOD, secret)', () => verifySignature(BODY.toString() as never, GOOD, SECRET)],
    ['verifySignature(null, GOOD, secret)', () => verifySignature(null as never, GOOD, SECRET)],
    ['verifySignature(body, 42, secret)', () => verifySignature(BODY, 42 as never, SECRET)],
    ['verifySignature(body, GOOD, 42)', () => verifySignature(BODY, GOOD, 42 as never)],
    ['verifySignature(body, GOOD, Buffer secret)', () => verifySignature(BODY, GOOD, Buffer.from(SECRET) as never)],
    ['computeSignature(body, undefined)', () => computeSignature(BODY, undefined as never)],
    ['computeSignature([1, 2], secret)', () => computeSignature([1, 2] as never, SECRET)],
    ['uncheckedSignature(42)', () => uncheckedSignature(42 as never)],
  ];
  it.each(calls)('%s', (_title, call) => {
    expect(call).toThrow(TypeError);
  });
});

interface Cause {
  title: string;
  received: () => string;
  status: SignatureStatus;
  codes: string[];
  body?: Buffer;
  secret?: string;
}

// Every python sender runs in one interpreter; `py(...)` returns the getter of its answer.
const batch = new PythonBatch();
const py = (snippet: string, body: Uint8Array = BODY, secret = SECRET): (() => string) => batch.add(snippet, body, secret);
const pyHmac = (expression: string, body?: Buffer): (() => string) =>
  py(`signed = ${expression}\nprint(hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest())`, body);
const prefixed = (prefix: string, get: () => string) => (): string => prefix + get();
const obj = 'json.loads(body)';
const HEX_SECRET = '9f86d081884c7d659a2feaa0c55ad015';
const BASE64_SECRET = 'q83vEjRWeJCrze8SNFZ4kBI0VniQq83v';
const ASTRAL_BODY = Buffer.from('{"sample":"🧪 Blutbild", "lab": "Zürich"}');
const ESCAPED_BODY = Buffer.from('{"client": "Clinique v\\u00e9t\\u00e9rinaire", "report":"https:\\/\\/lab.example\\/r\\/1"}');
const BOM_BODY = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), BODY]);
const LATIN1_BODY = Buffer.from('{"client":"Clinique vétérinaire", "owner": "Müller"}');
const PRETTY_BODY = Buffer.from(`${JSON.stringify(JSON.parse(BODY.toString()), null, 2)}\n`);
const CRLF_BODY = Buffer.from(PRETTY_BODY.toString().replaceAll('\n', '\r\n'));
const NFD_BODY = Buffer.from(BODY.toString().normalize('NFD'));
const b64 = (hex: string): string => Buffer.from(hex, 'hex').toString('base64');

// One entry per cause: the title is the call, the sender is openssl or python3.
const causes: Cause[] = [
  // secret-whitespace
  { title: 'openssl -hmac "secret\\n"', received: () => opensslHmac('sha256', `${SECRET}\n`, BODY), status: 'invalid', codes: ['secret-whitespace'] },
  { title: 'openssl -hmac "secret\\r\\n"', received: () => opensslHmac('sha256', `${SECRET}\r\n`, BODY), status: 'invalid', codes: ['secret-whitespace'] },
  { title: 'openssl -hmac "secret "', received: () => opensslHmac('sha256', `${SECRET} `, BODY), status: 'invalid', codes: ['secret-whitespace'] },
  { title: 'openssl -hmac "secret\\t"', received: () => opensslHmac('sha256', `${SECRET}\t`, BODY), status: 'invalid', codes: ['secret-whitespace'] },
  { title: 'openssl -hmac " secret"', received: () => opensslHmac('sha256', ` ${SECRET}`, BODY), status: 'invalid', codes: ['secret-whitespace'] },
  { title: 'openssl -hmac " secret " (pasted with a space at both ends)', received: () => opensslHmac('sha256', ` ${SECRET} `, BODY), status: 'invalid', codes: ['secret-whitespace'] },
  { title: 'openssl -hmac "\\nsecret\\n"', received: () => opensslHmac('sha256', `\n${SECRET}\n`, BODY), status: 'invalid', codes: ['secret-whitespace'] },
  { title: 'openssl -hmac secret, while the secret here is "secret " (the sender trimmed it)', secret: `${SECRET} `, received: () => opensslHmac('sha256', SECRET, BODY), status: 'invalid', codes: ['secret-whitespace'] },
  { title: 'openssl -hmac secret, while the secret here is "  secret" (the sender trimmed it)', secret: `  ${SECRET}`, received: () => opensslHmac('sha256', SECRET, BODY), status: 'invalid', codes: ['secret-whitespace'] },
  // secret-quoted, secret-empty, secret-decoded
  { title: 'openssl -hmac \'"secret"\' (a .env value with its quotes)', received: () => opensslHmac('sha256', `"${SECRET}"`, BODY), status: 'invalid', codes: ['secret-quoted'] },
  { title: "openssl -hmac \"'secret'\"", received: () => opensslHmac('sha256', `'${SECRET}'`, BODY), status: 'invalid', codes: ['secret-quoted'] },
  { title: 'openssl -hmac secret, while the secret here is \'"secret"\'', secret: `"${SECRET}"`, received: () => opensslHmac('sha256', SECRET, BODY), status: 'invalid', codes: ['secret-quoted'] },
  { title: "openssl -hmac '' (the sender's secret is unset)", received: () => opensslHmac('sha256', '', BODY), status: 'invalid', codes: ['secret-empty'] },
  { title: 'openssl -macopt hexkey:<hex secret> (the hex-decoded secret as key)', secret: HEX_SECRET, received: () => opensslHmac('sha256', '', BODY, { keyBytes: Buffer.from(HEX_SECRET, 'hex') }), status: 'invalid', codes: ['secret-decoded'] },
  { title: 'python hmac.new(base64.b64decode(secret), body)', secret: BASE64_SECRET, received: py('print(hmac.new(base64.b64decode(secret), body, hashlib.sha256).hexdigest())', BODY, BASE64_SECRET), status: 'invalid', codes: ['secret-decoded'] },
  // body-reserialized
  { title: "python json.dumps(obj, separators=(',', ':'), ensure_ascii=False)", received: pyHmac(`json.dumps(${obj}, separators=(',', ':'), ensure_ascii=False).encode()`), status: 'invalid', codes: ['body-reserialized'] },
  { title: 'python json.dumps(obj, indent=2, ensure_ascii=False)', received: pyHmac(`json.dumps(${obj}, indent=2, ensure_ascii=False).encode()`), status: 'invalid', codes: ['body-reserialized'] },
  { title: 'python json.dumps(obj, indent=4, ensure_ascii=False)', received: pyHmac(`json.dumps(${obj}, indent=4, ensure_ascii=False).encode()`), status: 'invalid', codes: ['body-reserialized'] },
  { title: "python json.dumps(obj, indent='\\t', ensure_ascii=False)", received: pyHmac(`json.dumps(${obj}, indent='\\t', ensure_ascii=False).encode()`), status: 'invalid', codes: ['body-reserialized'] },
  { title: "python json.dumps(obj, sort_keys=True, separators=(',', ':'), ensure_ascii=False)", received: pyHmac(`json.dumps(${obj}, sort_keys=True, separators=(',', ':'), ensure_ascii=False).encode()`), status: 'invalid', codes: ['body-reserialized'] },
  { title: 'python json.dumps(obj, sort_keys=True, indent=2, ensure_ascii=False)', received: pyHmac(`json.dumps(${obj}, sort_keys=True, indent=2, ensure_ascii=False).encode()`), status: 'invalid', codes: ['body-reserialized'] },
  { title: 'python json.dumps(obj, ensure_ascii=False) (default separators)', received: pyHmac(`json.dumps(${obj}, ensure_ascii=False).encode()`), status: 'invalid', codes: ['body-reserialized'] },
  { title: 'python json.dumps(obj, sort_keys=True, ensure_ascii=False)', received: pyHmac(`json.dumps(${obj}, sort_keys=True, ensure_ascii=False).encode()`), status: 'invalid', codes: ['body-reserialized'] },
  // re-serialized and escaped together
  { title: 'python json.dumps(obj) (all defaults)', received: pyHmac(`json.dumps(${obj}).encode()`), status: 'invalid', codes: ['body-reserialized', 'body-unicode-escaped'] },
  { title: 'python json.dumps(obj, sort_keys=True)', received: pyHmac(`json.dumps(${obj}, sort_keys=True).encode()`), status: 'invalid', codes: ['body-reserialized', 'body-unicode-escaped'] },
  { title: 'python json.dumps(obj) of a body with an emoji (surrogate-pair escapes)', body: ASTRAL_BODY, received: pyHmac(`json.dumps(${obj}).encode()`, ASTRAL_BODY), status: 'invalid', codes: ['body-reserialized', 'body-unicode-escaped'] },
  { title: "python json.dumps(obj, separators=(',', ':')) (compact, ensure_ascii)", received: pyHmac(`json.dumps(${obj}, separators=(',', ':')).encode()`), status: 'invalid', codes: ['body-reserialized', 'body-unicode-escaped'] },
  { title: 'python Rails-style to_json: compact with <, >, & as \\u003c \\u003e \\u0026', received: pyHmac(`json.dumps(${obj}, separators=(',', ':'), ensure_ascii=False).replace('<', '\\\\u003c').replace('>', '\\\\u003e').replace('&', '\\\\u0026').encode()`), status: 'invalid', codes: ['body-reserialized', 'body-unicode-escaped'] },
  { title: 'python PHP-style json_encode: compact, ensure_ascii, / as \\/', received: pyHmac(`json.dumps(${obj}, separators=(',', ':')).replace('/', '\\\\/').encode()`), status: 'invalid', codes: ['body-reserialized', 'body-unicode-escaped'] },
  // body-unicode-escaped on the text as sent
  { title: 'python re.sub non-ASCII to \\uXXXX over the body text', received: pyHmac(`re.sub(r'[^\\x00-\\x7e]', lambda m: '\\\\u%04x' % ord(m[0]), body.decode()).encode()`), status: 'invalid', codes: ['body-unicode-escaped'] },
  { title: 'python re.sub <, >, & to \\uXXXX over the body text', received: pyHmac(`re.sub(r'[<>&]', lambda m: '\\\\u%04x' % ord(m[0]), body.decode()).encode()`), status: 'invalid', codes: ['body-unicode-escaped'] },
  { title: 'python the escaped body with \\uXXXX and \\/ written out', body: ESCAPED_BODY, received: pyHmac(`re.sub(r'\\\\u([0-9a-f]{4})', lambda m: chr(int(m[1], 16)), body.decode()).replace('\\\\/', '/').encode()`, ESCAPED_BODY), status: 'invalid', codes: ['body-unicode-escaped'] },
  // body-trailing-newline
  { title: 'openssl -hmac secret over body + "\\n"', received: () => opensslHmac('sha256', SECRET, Buffer.concat([BODY, Buffer.from('\n')])), status: 'invalid', codes: ['body-trailing-newline'] },
  { title: 'openssl -hmac secret over body + "\\r\\n"', received: () => opensslHmac('sha256', SECRET, Buffer.concat([BODY, Buffer.from('\r\n')])), status: 'invalid', codes: ['body-trailing-newline'] },
  { title: 'openssl -hmac secret over the body without the "\\n" it arrived with', body: Buffer.concat([BODY, Buffer.from('\n')]), received: () => opensslHmac('sha256', SECRET, BODY), status: 'invalid', codes: ['body-trailing-newline'] },
  // body-line-endings, body-unicode-normalized
  { title: "python body with b'\\n' replaced by b'\\r\\n' (a Windows editor)", body: PRETTY_BODY, received: pyHmac(`body.replace(b'\\n', b'\\r\\n')`, PRETTY_BODY), status: 'invalid', codes: ['body-line-endings'] },
  { title: "python body with b'\\r\\n' replaced by b'\\n'", body: CRLF_BODY, received: pyHmac(`body.replace(b'\\r\\n', b'\\n')`, CRLF_BODY), status: 'invalid', codes: ['body-line-endings'] },
  { title: "python unicodedata.normalize('NFD', body) (macOS)", received: pyHmac(`__import__('unicodedata').normalize('NFD', body.decode()).encode()`), status: 'invalid', codes: ['body-unicode-normalized'] },
  { title: "python unicodedata.normalize('NFC', body) of a decomposed body", body: NFD_BODY, received: pyHmac(`__import__('unicodedata').normalize('NFC', body.decode()).encode()`, NFD_BODY), status: 'invalid', codes: ['body-unicode-normalized'] },
  // body-encoding
  { title: "python body.decode('utf-8').encode('utf-16-le')", received: pyHmac(`body.decode('utf-8').encode('utf-16-le')`), status: 'invalid', codes: ['body-encoding'] },
  { title: "python body.decode('latin-1').encode('utf-8') (double encoding)", received: pyHmac(`body.decode('latin-1').encode('utf-8')`), status: 'invalid', codes: ['body-encoding'] },
  { title: "python body.decode('utf-8').encode('latin-1')", body: LATIN1_BODY, received: pyHmac(`body.decode('utf-8').encode('latin-1')`, LATIN1_BODY), status: 'invalid', codes: ['body-encoding'] },
  { title: "python b'\\xef\\xbb\\xbf' + body (a BOM added)", received: pyHmac(`b'\\xef\\xbb\\xbf' + body`), status: 'invalid', codes: ['body-encoding'] },
  { title: 'openssl -hmac secret over the body without the BOM it arrived with', body: BOM_BODY, received: () => opensslHmac('sha256', SECRET, BODY), status: 'invalid', codes: ['body-encoding'] },
  // empty-body-signed
  { title: 'openssl -hmac secret over an empty file', received: () => opensslHmac('sha256', SECRET, ''), status: 'invalid', codes: ['empty-body-signed'] },
  // wrong-algorithm: lengths other than 64 hex digits arrive as malformed
  ...(
    [
      ['sha1', 'malformed'],
      ['sha224', 'malformed'],
      ['sha384', 'malformed'],
      ['sha512', 'malformed'],
      ['md5', 'malformed'],
      ['sha512-256', 'invalid'],
      ['sha3-256', 'invalid'],
    ] as const
  ).map(([algorithm, status]): Cause => ({
    title: `openssl dgst -${algorithm} -hmac secret`,
    received: () => opensslHmac(algorithm, SECRET, BODY),
    status,
    codes: ['wrong-algorithm'],
  })),
  // unkeyed-digest
  { title: 'openssl dgst -sha256 body (no key)', received: () => opensslDigest('sha256', BODY), status: 'invalid', codes: ['unkeyed-digest'] },
  { title: 'openssl dgst -sha1 body (no key)', received: () => opensslDigest('sha1', BODY), status: 'malformed', codes: ['wrong-algorithm', 'unkeyed-digest'] },
  { title: 'openssl dgst -md5 body (no key)', received: () => opensslDigest('md5', BODY), status: 'malformed', codes: ['wrong-algorithm', 'unkeyed-digest'] },
  { title: 'openssl dgst -sha512 body (no key)', received: () => opensslDigest('sha512', BODY), status: 'malformed', codes: ['wrong-algorithm', 'unkeyed-digest'] },
  // naive-keyed-digest, key-message-swapped
  { title: 'openssl dgst -sha256 over secret + body', received: () => opensslDigest('sha256', Buffer.concat([Buffer.from(SECRET), BODY])), status: 'invalid', codes: ['naive-keyed-digest'] },
  { title: 'openssl dgst -sha256 over body + secret', received: () => opensslDigest('sha256', Buffer.concat([BODY, Buffer.from(SECRET)])), status: 'invalid', codes: ['naive-keyed-digest'] },
  { title: 'python hmac.new(body, secret) (key and message swapped)', received: py('print(hmac.new(body, secret.encode(), hashlib.sha256).hexdigest())'), status: 'invalid', codes: ['key-message-swapped'] },
  // hash-encoding
  { title: 'openssl dgst -sha256 -hmac secret -binary | openssl base64', received: () => opensslBase64(opensslHmac('sha256', SECRET, BODY, { binary: true })), status: 'malformed', codes: ['hash-encoding'] },
  { title: 'python base64.urlsafe_b64encode(hmac digest) without padding', received: py("print(base64.urlsafe_b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode().rstrip('='))"), status: 'malformed', codes: ['hash-encoding'] },
  { title: 'openssl hex | base64 (the hex text base64-encoded)', received: () => Buffer.from(opensslHmac('sha256', SECRET, BODY)).toString('base64'), status: 'malformed', codes: ['hash-encoding'] },
  { title: "'sha256=' + openssl hex", received: () => `sha256=${opensslHmac('sha256', SECRET, BODY)}`, status: 'malformed', codes: ['hash-encoding'] },
  { title: "'sha256:' + openssl hex", received: () => `sha256:${opensslHmac('sha256', SECRET, BODY)}`, status: 'malformed', codes: ['hash-encoding'] },
  { title: "'HMAC-SHA256 ' + openssl hex", received: () => `HMAC-SHA256 ${opensslHmac('sha256', SECRET, BODY)}`, status: 'malformed', codes: ['hash-encoding'] },
  { title: 'openssl hex in double quotes', received: () => `"${opensslHmac('sha256', SECRET, BODY)}"`, status: 'malformed', codes: ['hash-encoding'] },
  { title: 'openssl hex with whitespace around it', received: () => ` ${opensslHmac('sha256', SECRET, BODY)}\t`, status: 'malformed', codes: ['hash-encoding'] },
  // timestamp-signed: a Stripe-style header, signed Stripe's way or over the body alone
  { title: "python Stripe-style 't=<ts>,v1=' + hmac over '<ts>.' + body", received: py("t = '1714557600'\nprint(f't={t},v1=' + hmac.new(secret.encode(), f'{t}.'.encode() + body, hashlib.sha256).hexdigest())"), status: 'malformed', codes: ['timestamp-signed', 'hash-encoding'] },
  { title: "'t=<ts>,v1=' + openssl hex (the body alone)", received: () => `t=1714557600,v1=${opensslHmac('sha256', SECRET, BODY)}`, status: 'malformed', codes: ['hash-encoding'] },
  // duplicate-header
  { title: 'openssl hex sent twice (joined "a, a")', received: () => `${opensslHmac('sha256', SECRET, BODY)}, ${opensslHmac('sha256', SECRET, BODY)}`, status: 'malformed', codes: ['duplicate-header'] },
  // combinations: each component cause is reported
  { title: 'openssl dgst -sha1 -hmac secret -binary | openssl base64', received: () => opensslBase64(opensslHmac('sha1', SECRET, BODY, { binary: true })), status: 'malformed', codes: ['wrong-algorithm', 'hash-encoding'] },
  { title: 'openssl dgst -md5 -hmac secret -binary | openssl base64 (ends in "==")', received: () => opensslBase64(opensslHmac('md5', SECRET, BODY, { binary: true })), status: 'malformed', codes: ['wrong-algorithm', 'hash-encoding'] },
  { title: "'sha256=' + python hmac over json.dumps(obj, indent=2, ensure_ascii=False)", received: prefixed('sha256=', pyHmac(`json.dumps(${obj}, indent=2, ensure_ascii=False).encode()`)), status: 'malformed', codes: ['body-reserialized', 'hash-encoding'] },
  { title: 'openssl dgst -sha256 -hmac "secret\\n" -binary | openssl base64', received: () => opensslBase64(opensslHmac('sha256', `${SECRET}\n`, BODY, { binary: true })), status: 'malformed', codes: ['secret-whitespace', 'hash-encoding'] },
  { title: "'sha1=' + openssl dgst -sha1 body, sent twice", received: () => `sha1=${opensslDigest('sha1', BODY)}, sha1=${opensslDigest('sha1', BODY)}`, status: 'malformed', codes: ['wrong-algorithm', 'unkeyed-digest', 'hash-encoding', 'duplicate-header'] },
  // nothing reproduces it
  { title: 'openssl -hmac another-secret', received: () => opensslHmac('sha256', 'another-secret', BODY), status: 'invalid', codes: ['no-match'] },
  { title: 'openssl -hmac secret over a body changed in transit', received: () => opensslHmac('sha256', SECRET, BODY.toString().replace('4711', '4712')), status: 'invalid', codes: ['no-match'] },
  { title: 'openssl hex cut to 63 digits', received: () => opensslHmac('sha256', SECRET, BODY).slice(0, 63), status: 'malformed', codes: ['malformed-hash'] },
  { title: "'' (an empty header)", received: () => '', status: 'malformed', codes: ['malformed-hash'] },
];

describe('one test per cause: the diagnosis names exactly the mistake the sender made', () => {
  it.each(causes.map((c) => [c.secret === undefined ? `verifySignature(body, ${c.title}, secret)` : `verifySignature(body, ${c.title})`, c] as const))(
    '%s',
    (_title, c) => {
      const secret = c.secret ?? SECRET;
      const received = c.received();
      const signature = verifySignature(c.body ?? BODY, received, secret);
      expect(signature.status).toBe(c.status);
      expect(signature.received).toBe(received);
      expect(signature.expected).toBe(opensslHmac('sha256', secret, c.body ?? BODY));
      expect(signature.diagnosis.map((d) => d.code)).toEqual(c.codes);
      for (const { message } of signature.diagnosis) {
        // One sentence that says what to fix, never the secret.
        expect(message).toMatch(/^[A-Z].*: .*\.$/s);
        expect(message.slice(0, -1)).not.toMatch(/\.\s/);
        expect(message).not.toContain(secret.trim());
      }
    },
  );

  it('the table covers every diagnosis code', () => {
    const covered = new Set([...causes.flatMap((c) => c.codes), 'missing-header']);
    expect([...DIAGNOSIS_CODES].filter((code) => !covered.has(code))).toEqual([]);
  });
});
