// Secret handling of SPEC.md: flag, then file, then environment; a file loses exactly one
// trailing newline; stray whitespace is kept with a warning; unreadable files are one
// usage sentence; the fingerprint is the documented scrypt and shows nothing of the secret.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../../cli/errors.js';
import { SECRET_ENV, addSecretOptions, resolveSecret, type SecretOptions } from '../../../cli/options/secret.js';
import { secretInfo } from '../../../server/signature/secret-info.js';
import { PythonBatch, removeTempFiles } from '../../helpers/openssl.js';

const dir = mkdtempSync(path.join(tmpdir(), 'coreone-secret-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  removeTempFiles();
});

let files = 0;
function secretFile(content: string | Buffer): string {
  const file = path.join(dir, `secret-${files++}`);
  writeFileSync(file, content);
  return file;
}

/** resolveSecret with a recording warn and an explicit environment. */
function resolve(opts: SecretOptions, env: NodeJS.ProcessEnv = {}): { secret: string | null; warnings: string[] } {
  const warnings: string[] = [];
  const secret = resolveSecret(opts, (message) => warnings.push(message), env);
  return { secret, warnings };
}

describe('resolveSecret: the first source given wins', () => {
  it("resolveSecret({ secret: 'from-flag', secretFile }, env) uses the flag and says the file is ignored", () => {
    const { secret, warnings } = resolve({ secret: 'from-flag', secretFile: secretFile('from-file\n') }, { [SECRET_ENV]: 'from-env' });
    expect(secret).toBe('from-flag');
    expect(warnings).toEqual(['Both --secret and --secret-file are given: --secret is used.']);
  });

  it('resolveSecret({ secretFile }, env) uses the file', () => {
    expect(resolve({ secretFile: secretFile('from-file\n') }, { [SECRET_ENV]: 'from-env' })).toEqual({ secret: 'from-file', warnings: [] });
  });

  it('resolveSecret({}, env) uses COREONE_WEBHOOK_SECRET', () => {
    expect(resolve({}, { [SECRET_ENV]: 'from-env' })).toEqual({ secret: 'from-env', warnings: [] });
  });

  it('resolveSecret({}, {}) is null, silently', () => {
    expect(resolve({}, {})).toEqual({ secret: null, warnings: [] });
  });

  it('resolveSecret({}) reads process.env by default', () => {
    const before = process.env[SECRET_ENV];
    process.env[SECRET_ENV] = 'from-process-env';
    try {
      expect(resolveSecret({}, () => {})).toBe('from-process-env');
    } finally {
      if (before === undefined) delete process.env[SECRET_ENV];
      else process.env[SECRET_ENV] = before;
    }
  });
});

describe('an empty secret counts as none', () => {
  it("resolveSecret({ secret: '' }, env) is null, warns, and does not fall back to the environment", () => {
    const { secret, warnings } = resolve({ secret: '' }, { [SECRET_ENV]: 'from-env' });
    expect(secret).toBeNull();
    expect(warnings).toEqual(['The secret from --secret is empty, which counts as no secret.']);
  });

  it('resolveSecret({ secretFile: empty file }) is null with a warning naming the file', () => {
    const file = secretFile('');
    const { secret, warnings } = resolve({ secretFile: file });
    expect(secret).toBeNull();
    expect(warnings).toEqual([`The secret from the secret file ${file} is empty, which counts as no secret.`]);
  });

  it("resolveSecret({ secretFile: '\\n' }) is null: the one newline goes, nothing is left", () => {
    expect(resolve({ secretFile: secretFile('\n') }).secret).toBeNull();
  });

  it("resolveSecret({}, { COREONE_WEBHOOK_SECRET: '' }) is null", () => {
    expect(resolve({}, { [SECRET_ENV]: '' }).secret).toBeNull();
  });
});

describe('a secret file loses exactly one trailing \\n or \\r\\n; other whitespace is kept with a warning', () => {
  const cases: Array<[string, string, string, string[]]> = [
    ['abc', 'no newline', 'abc', []],
    ['abc\n', 'one \\n', 'abc', []],
    ['abc\r\n', 'one \\r\\n', 'abc', []],
    ['abc\n\n', 'two \\n', 'abc\n', ['a line break at its end']],
    ['abc\r\n\r\n', 'two \\r\\n', 'abc\r\n', ['a line break at its end']],
    ['abc \n', 'a space before the newline', 'abc ', ['a space at its end']],
    [' abc\n', 'a leading space', ' abc', ['a space at its start']],
    ['\tabc\t\n', 'tabs at both ends', '\tabc\t', ['a tab at its start and a tab at its end']],
    ['\ufeffabc\n', 'a byte-order mark', '\ufeffabc', ['a byte-order mark at its start']],
  ];
  it.each(cases)('resolveSecret({ secretFile: %j }) (%s)', (content, _what, expected, described) => {
    const file = secretFile(content);
    const { secret, warnings } = resolve({ secretFile: file });
    expect(secret).toBe(expected);
    expect(warnings).toEqual(
      described.map((d) => `The secret from the secret file ${file} has ${d}, kept as part of the secret: remove it if it does not belong there.`),
    );
  });

  it("resolveSecret({ secret: ' abc' }) warns about the flag too", () => {
    expect(resolve({ secret: ' abc' }).warnings).toEqual([
      'The secret from --secret has a space at its start, kept as part of the secret: remove it if it does not belong there.',
    ]);
  });

  it('no warning ever contains the secret', () => {
    const secret = 'Zq9-distinctive-secret';
    const sources: SecretOptions[] = [{ secret: ` ${secret} ` }, { secretFile: secretFile(`${secret}\t\n`) }, { secret: secret, secretFile: 'x' }];
    for (const opts of sources) for (const warning of resolve(opts).warnings) expect(warning).not.toContain(secret);
  });
});

describe('an unreadable secret file is a usage error of one sentence', () => {
  const missing = path.join(dir, 'does-not-exist');
  it.each([
    ['a missing file', missing, `Cannot read the secret file ${missing}: no such file or directory.`],
    ['a directory', dir, `Cannot read the secret file ${dir}: it is a directory.`],
  ])('resolveSecret({ secretFile: %s }) throws UsageError', (_what, file, message) => {
    const call = () => resolve({ secretFile: file });
    expect(call).toThrow(UsageError);
    expect(call).toThrow(message);
  });

  it('resolveSecret({ secretFile: bytes that are not UTF-8 }) throws UsageError', () => {
    const file = secretFile(Buffer.from([0x73, 0xff, 0x0a]));
    expect(() => resolve({ secretFile: file })).toThrow(new UsageError(`The secret file ${file} is not UTF-8 text.`));
  });
});

describe('addSecretOptions', () => {
  it('adds --secret <value> and --secret-file <path>', () => {
    const command = addSecretOptions(new Command('x').exitOverride());
    command.parse(['--secret', 's3cret', '--secret-file', '/tmp/f'], { from: 'user' });
    expect(command.opts()).toEqual({ secret: 's3cret', secretFile: '/tmp/f' });
    expect(command.helpInformation()).toMatch(/--secret <value>[\s\S]*--secret-file <path>/);
  });
});

describe('secretInfo', () => {
  const batch = new PythonBatch();
  const scrypt = (secret: string) =>
    batch.add("print(hashlib.scrypt(secret.encode(), salt=b'coreone-inspect/secret-fingerprint@1', n=4096, r=8, p=1, dklen=4).hex())", '', secret);
  const vectors = ['s3cret', 'vdl-Kx7-webhook-secret', 'Grün-Geheimnis 🧪'].map((secret) => [secret, scrypt(secret)] as const);

  it.each(vectors)('secretInfo(%j) is its length and the documented scrypt fingerprint (computed by python)', (secret, fingerprint) => {
    expect(secretInfo(secret)).toEqual({ length: [...secret].length, fingerprint: fingerprint() });
  });

  it('the length counts characters, not bytes', () => {
    expect(secretInfo('Grün 🧪')?.length).toBe(6);
  });

  it('secretInfo of different secrets differs, and never contains the secret', () => {
    const a = secretInfo('abcdefgh');
    const b = secretInfo('abcdefgi');
    expect(a?.fingerprint).toMatch(/^[0-9a-f]{8}$/);
    expect(a?.fingerprint).not.toBe(b?.fingerprint);
    expect(JSON.stringify(a)).not.toContain('abcdefgh');
  });

  it.each([null, undefined, ''])('secretInfo(%j) is null', (secret) => {
    expect(secretInfo(secret)).toBeNull();
  });
});
