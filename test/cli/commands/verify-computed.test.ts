// `coreone-inspect verify --computed <hex>`, in-process: the receiving side's verdict on a
// hash the user's handler computed, from a body file or a fixture, readable or --json.
import { createHmac } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli.js';

const SECRET = 'whsec-computed-41aa';
const BODY = Buffer.from('{"accession_number":"A26-004512","status":"Finalized"}');
const RIGHT = createHmac('sha256', SECRET).update(BODY).digest('hex');
const RESERIALIZED = createHmac('sha256', SECRET).update(JSON.stringify(JSON.parse(BODY.toString()), null, 2)).digest('hex');

let work: string;
let bodyFile: string;
let fixtureFile: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'coreone-computed-'));
  bodyFile = path.join(work, 'body.json');
  fixtureFile = path.join(work, 'fixture.json');
  await writeFile(bodyFile, BODY);
  const fixture = {
    format: 'coreone-inspect/fixture@1',
    type: 'accession/status_change',
    receivedAt: '2026-11-28T14:02:38.123Z',
    headers: { 'content-type': 'application/json', 'x-coreone-webhook-hash': RIGHT },
    body: BODY.toString(),
    bodyEncoding: 'utf8',
    signature: { status: 'valid', received: RIGHT, expected: RIGHT, diagnosis: [] },
  };
  await writeFile(fixtureFile, JSON.stringify(fixture));
});
afterAll(() => rm(work, { recursive: true, force: true }));

describe('verify --computed', () => {
  it('says valid, exit 0, when the handler computed the right hash', async () => {
    const result = await runCli(['verify', '--body', bodyFile, '--computed', RIGHT, '--secret', SECRET]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^valid: the hash your handler computed is the right one /);
    expect(result.stdout).toContain(`  computed  ${RIGHT}\n`);
  });

  it("names the handler's mistake, exit 1, and never addresses the sender", async () => {
    const result = await runCli(['verify', '--body', bodyFile, '--computed', RESERIALIZED, '--secret', SECRET]);
    expect(result).toMatchObject({ code: 1, stderr: '' });
    expect(result.stdout).toMatch(/^invalid: the hash your handler computed is not the HMAC-SHA256 of this body/);
    expect(result.stdout).toContain('  - body-reserialized: Your handler hashed the JSON re-serialized, not the raw request bytes: ');
    expect(result.stdout).not.toMatch(/sender/i);
  });

  it('prints the signature object with side receiver and the computed hash as received, with --json', async () => {
    const result = await runCli(['verify', fixtureFile, '--computed', RESERIALIZED, '--json'], { env: { COREONE_WEBHOOK_SECRET: SECRET } });
    expect(result.code).toBe(1);
    const signature = JSON.parse(result.stdout);
    expect(signature).toEqual({
      status: 'invalid',
      received: RESERIALIZED,
      expected: RIGHT,
      diagnosis: [{ code: 'body-reserialized', message: expect.stringMatching(/^Your handler /) }],
      side: 'receiver',
    });
  });

  it.each([
    ['--hash and --computed', () => ['--body', bodyFile, '--hash', RIGHT, '--computed', RIGHT, '--secret', SECRET], 'Give --hash (the header that came with the body) or --computed (the hash your handler computed), not both.'],
    ['--computed without a body', () => ['--computed', RIGHT, '--secret', SECRET], '--computed needs --body <file> (or --body - for standard input), or a fixture.'],
    ['a fixture and --body', () => [fixtureFile, '--body', bodyFile, '--computed', RIGHT, '--secret', SECRET], 'Give either a fixture or --body with --computed, not both.'],
    ['no secret', () => ['--body', bodyFile, '--computed', RIGHT], 'No secret to verify with: give --secret-file, --secret or COREONE_WEBHOOK_SECRET.'],
  ])('exits 2 with one sentence for %s', async (_what, args, sentence) => {
    const result = await runCli(['verify', ...args()]);
    expect(result).toEqual({ code: 2, stdout: '', stderr: `coreone-inspect: ${sentence}\n` });
  });
});
