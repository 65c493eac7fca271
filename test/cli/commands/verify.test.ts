// `coreone-inspect verify`, run in-process: verdicts and diagnoses for bodies and
// fixtures, hashes from openssl, the exit codes of SPEC.md (0 valid, 1 not valid, 2 bad
// usage / no secret / unreadable input), and the secret never printed.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli.js';
import { opensslHmac, removeTempFiles } from '../../helpers/openssl.js';

const SECRET = 'Zq9-verify-cli-secret';
const BODY = Buffer.from('{"type":"invoice/close", "invoice": {"id":88,"total":"120.50","client":"Ferme Müller"}}');
const NOT_UTF8 = Buffer.from([0x7b, 0x22, 0x78, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
const GOOD = opensslHmac('sha256', SECRET, BODY);
const NO_SECRET = { COREONE_WEBHOOK_SECRET: undefined };

let work: string;
let bodyFile: string;
let secretFile: string;
const outputs: string[] = [];

/** runCli that keeps every output, so the last test can check none holds the secret. */
async function verify(args: string[], options: { input?: Buffer; env?: NodeJS.ProcessEnv } = {}) {
  const result = await runCli(['verify', ...args], { input: options.input, env: { ...NO_SECRET, ...options.env } });
  outputs.push(result.stdout, result.stderr);
  return result;
}

async function fixture(name: string, fields: Record<string, unknown>): Promise<string> {
  const file = path.join(work, `${name}.json`);
  const base = {
    format: 'coreone-inspect/fixture@1',
    type: 'invoice/close',
    receivedAt: '2024-05-01T10:00:00.000Z',
    headers: { 'content-type': 'application/json' },
    body: BODY.toString(),
    bodyEncoding: 'utf8',
    signature: { status: 'valid', received: GOOD, expected: GOOD, diagnosis: [] },
  };
  await writeFile(file, JSON.stringify({ ...base, ...fields }, null, 2));
  return file;
}

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'coreone-verify-'));
  bodyFile = path.join(work, 'body.json');
  secretFile = path.join(work, 'secret.txt');
  await writeFile(bodyFile, BODY);
  await writeFile(secretFile, `${SECRET}\n`);
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
  removeTempFiles();
});

describe('verify --body <file> --hash <hex>', () => {
  it('verify --body body.json --hash GOOD --secret s: exit 0, "valid", both hashes shown', async () => {
    const { code, stdout, stderr } = await verify(['--body', bodyFile, '--hash', GOOD, '--secret', SECRET]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(/^valid: /);
    expect(stdout).toContain(`expected  ${GOOD}`);
    expect(stdout).toContain(`received  ${GOOD}`);
    expect(stdout).toMatch(/secret {4}21 characters, fingerprint [0-9a-f]{8}/);
  });

  it('verify --body - --hash <openssl with "secret\\n"> --secret-file: exit 1 with the diagnosis', async () => {
    const wrong = opensslHmac('sha256', `${SECRET}\n`, BODY);
    const { code, stdout, stderr } = await verify(['--body', '-', '--hash', wrong, '--secret-file', secretFile], { input: BODY });
    expect({ code, stderr }).toEqual({ code: 1, stderr: '' });
    expect(stdout).toMatch(/^invalid: /);
    expect(stdout).toContain('body      standard input, ');
    expect(stdout).toContain("  - secret-whitespace: The sender's secret has a trailing newline: strip it where the secret is read.\n");
  });

  it('verify --body body.json --hash GOOD.toUpperCase() --json (secret from the environment): the signature object', async () => {
    const upper = GOOD.toUpperCase();
    const { code, stdout, stderr } = await verify(['--body', bodyFile, '--hash', upper, '--json'], { env: { COREONE_WEBHOOK_SECRET: SECRET } });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(stdout)).toEqual({ status: 'valid', received: upper, expected: GOOD, diagnosis: [] });
    expect(stdout.trim().split('\n')).toHaveLength(1);
  });

  it("verify --body body.json --hash 'sha256=<openssl sha1 hex>' --json: exit 1, malformed, both causes", async () => {
    const received = `sha256=${opensslHmac('sha1', SECRET, BODY)}`;
    const { code, stdout, stderr } = await verify(['--body', bodyFile, '--hash', received, '--secret', SECRET, '--json']);
    expect({ code, stderr }).toEqual({ code: 1, stderr: '' });
    const signature = JSON.parse(stdout) as { status: string; received: string; diagnosis: Array<{ code: string }> };
    expect(signature.status).toBe('malformed');
    expect(signature.received).toBe(received);
    expect(signature.diagnosis.map((d) => d.code)).toEqual(['wrong-algorithm', 'hash-encoding']);
  });

  it('verify --body body.json --hash "<hash> " shows the received value quoted, so the space is visible', async () => {
    const { code, stdout, stderr } = await verify(['--body', bodyFile, '--hash', `${GOOD} `, '--secret', SECRET]);
    expect({ code, stderr }).toEqual({ code: 1, stderr: '' });
    expect(stdout).toContain(`received  "${GOOD} "`);
    expect(stdout).toContain('- hash-encoding: ');
  });
});

describe('verify <fixture>', () => {
  it('a fixture whose recorded hash matches: exit 0', async () => {
    const { code, stdout, stderr } = await verify([await fixture('valid', {}), '--secret', SECRET]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(/^valid: /);
    expect(stdout).toContain('(invoice/close, received 2024-05-01T10:00:00.000Z)');
  });

  it('a fixture with a base64 body that is not UTF-8, hashed by openssl over its bytes: exit 0', async () => {
    const file = await fixture('binary', {
      body: NOT_UTF8.toString('base64'),
      bodyEncoding: 'base64',
      signature: { status: 'valid', received: opensslHmac('sha256', SECRET, NOT_UTF8), expected: null, diagnosis: [] },
    });
    const { code, stdout, stderr } = await verify([file, '--secret', SECRET, '--json']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(stdout)).toMatchObject({ status: 'valid' });
  });

  it('a fixture recorded with a hash over the pretty-printed body: exit 1, body-reserialized', async () => {
    const pretty = opensslHmac('sha256', SECRET, JSON.stringify(JSON.parse(BODY.toString()), null, 2));
    const file = await fixture('pretty', { signature: { status: 'invalid', received: pretty, expected: GOOD, diagnosis: [] } });
    const { code, stdout, stderr } = await verify([file, '--secret', SECRET]);
    expect({ code, stderr }).toEqual({ code: 1, stderr: '' });
    expect(stdout).toMatch(/^invalid: /);
    expect(stdout).toContain('  - body-reserialized: The hash was computed over the JSON re-serialized pretty-printed with 2-space indents');
  });

  it('a fixture recorded without a hash: exit 1, missing', async () => {
    const file = await fixture('missing', { signature: { status: 'missing', received: null, expected: GOOD, diagnosis: [] } });
    const { code, stdout, stderr } = await verify([file, '--secret', SECRET, '--json']);
    expect({ code, stderr }).toEqual({ code: 1, stderr: '' });
    expect(JSON.parse(stdout)).toMatchObject({ status: 'missing', received: null, expected: GOOD });
  });
});

describe('exit 2: bad usage, no secret, unreadable input', () => {
  it.each([
    ['no secret at all', ['--body', 'BODY', '--hash', GOOD], 'No secret to verify with: give --secret-file, --secret or COREONE_WEBHOOK_SECRET.'],
    ["an empty --secret ''", ['--body', 'BODY', '--hash', GOOD, '--secret', ''], 'warning: The secret from --secret is empty, which counts as no secret.\ncoreone-inspect: No secret to verify with: give --secret-file, --secret or COREONE_WEBHOOK_SECRET.'],
    ['neither fixture nor --body', ['--secret', SECRET], 'Give a fixture file, or --body <file> and --hash <hex>.'],
    ['a fixture and --body', ['FIXTURE', '--body', 'BODY', '--hash', GOOD, '--secret', SECRET], 'Give either a fixture or --body with --hash, not both.'],
    ['--body without --hash', ['--body', 'BODY', '--secret', SECRET], '--body needs --hash <hex>, the hash header that came with the body.'],
    ['--hash without --body', ['--hash', GOOD, '--secret', SECRET], '--hash needs --body <file> (or --body - for standard input).'],
    ['a body file that does not exist', ['--body', 'MISSING', '--hash', GOOD, '--secret', SECRET], 'Cannot read the body file MISSING: no such file or directory.'],
    ['a secret file that does not exist', ['--body', 'BODY', '--hash', GOOD, '--secret-file', 'MISSING'], 'Cannot read the secret file MISSING: no such file or directory.'],
  ])('verify with %s', async (_what, template, message) => {
    const missing = path.join(work, 'does-not-exist.json');
    const substitute = (s: string) => s.replace('BODY', bodyFile).replace('FIXTURE', bodyFile).replace('MISSING', missing);
    const { code, stdout, stderr } = await verify(template.map(substitute));
    expect({ code, stdout, stderr }).toEqual({ code: 2, stdout: '', stderr: `coreone-inspect: ${substitute(message)}\n` });
  });

  it.each([
    ['not JSON', '{"format":', 'is not a fixture: it is not valid JSON'],
    ['another format', JSON.stringify({ format: 'something-else@2' }), 'has fixture format "something-else@2"'],
    ['a bad bodyEncoding', null, 'is a corrupt fixture: "bodyEncoding" must be "utf8" or "base64".'],
  ])('verify <a fixture that is %s>: one sentence on stderr', async (name, content, fragment) => {
    const file = content === null ? await fixture('bad-encoding', { bodyEncoding: 'latin1' }) : path.join(work, `${name}.json`);
    if (content !== null) await writeFile(file, content);
    const { code, stdout, stderr } = await verify([file, '--secret', SECRET]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(fragment);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

it('no output of any run above contains the secret', () => {
  expect(outputs.length).toBeGreaterThan(30);
  for (const output of outputs) expect(output).not.toContain(SECRET);
});
