// `coreone-inspect replay`, run in-process against a real HTTP receiver, on fixtures
// written by saveFixture: the body arrives byte-exact; re-signed, the hash is what openssl
// computes with the current secret; --keep-hash reproduces the recorded (mismatching)
// hash; --edit runs a scripted $EDITOR and the edited body is signed.
import { access, chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveFixture } from '../../../server/store/fixtures.js';
import { eventOf, opensslHmac, startReceiver, type Receiver } from '../../helpers/delivery.js';
import { runCli } from '../../helpers/run-cli.js';

const SECRET = 'current-vdl-secret';
const OLD_SECRET = 'the-secret-before-rotation';
const BODY = Buffer.from('{"accession":{"accession_number":"A26-004512","status":"Finalized","species":"Bovine"}}');
const BINARY = Buffer.from([0x7b, 0xff, 0xfe, 0x00, 0x80, 0xc3, 0x28, 0x7d]);

let receiver: Receiver;
let work: string;
let signedWithOld: string; // a fixture whose recorded hash was made with another secret
let oldHash: string;
let binaryFixture: string;
let unsignedFixture: string;

beforeAll(async () => {
  receiver = await startReceiver((request, response) => {
    response.writeHead(request.url === '/fail' ? 422 : 200);
    response.end(request.url === '/fail' ? 'unprocessable' : 'ok');
  });
  work = await mkdtemp(path.join(tmpdir(), 'coreone-replay-test-'));
  const dir = path.join(work, 'fixtures');
  oldHash = await opensslHmac(BODY, OLD_SECRET);
  signedWithOld = await saveFixture(dir, eventOf(BODY, { hash: oldHash, secret: SECRET, seq: 1 }));
  binaryFixture = await saveFixture(dir, eventOf(BINARY, { type: 'attachment/process', hash: await opensslHmac(BINARY, SECRET), secret: SECRET, seq: 2 }));
  unsignedFixture = await saveFixture(dir, eventOf(BODY, { type: null, seq: 3 }));
});
afterAll(async () => {
  await receiver.close();
  await rm(work, { recursive: true, force: true });
});

async function replay(args: string[], env: NodeJS.ProcessEnv = {}) {
  const before = receiver.requests.length;
  const result = await runCli(['replay', ...args], { env: { EDITOR: '', VISUAL: '', ...env } });
  return { ...result, requests: receiver.requests.slice(before) };
}

describe('coreone-inspect replay', () => {
  it('re-signs with the current secret: body byte-exact, hash valid under openssl', async () => {
    expect(JSON.parse(await readFile(signedWithOld, 'utf8')).signature.status).toBe('invalid');
    const run = await replay([signedWithOld, '--to', receiver.url, '--secret', SECRET]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.requests).toHaveLength(1);
    const [request] = run.requests;
    expect(request!.body.equals(BODY)).toBe(true);
    expect(request!.headers['x-coreone-webhook-hash']).toBe(await opensslHmac(BODY, SECRET));
    expect(request!.headers['x-coreone-webhook-type']).toBe('accession/status_change');
    expect(request!.headers['content-type']).toBe('application/json');
    expect(run.stdout).toContain(`→ ${signedWithOld} (accession/status_change, ${BODY.length} bytes, signed with the secret) to ${receiver.url}\n← 200 OK in `);
    expect(run.stdout + run.stderr).not.toContain(SECRET);
  });

  it('--keep-hash sends the recorded, mismatching hash and needs no secret', async () => {
    const run = await replay([signedWithOld, '--to', receiver.url, '--keep-hash']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.requests[0]!.body.equals(BODY)).toBe(true);
    expect(run.requests[0]!.headers['x-coreone-webhook-hash']).toBe(oldHash);
    expect(oldHash).not.toBe(await opensslHmac(BODY, SECRET));
    expect(run.stdout).toContain('with the recorded hash)');
  });

  it('--keep-hash on an event that arrived without type and hash sends neither', async () => {
    const run = await replay([unsignedFixture, '--to', receiver.url, '--keep-hash']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.requests[0]!.headers).not.toHaveProperty('x-coreone-webhook-hash');
    expect(run.requests[0]!.headers).not.toHaveProperty('x-coreone-webhook-type');
    expect(run.stdout).toContain('(no type, ');
  });

  it('replays a body that is not UTF-8 (recorded as base64) byte-exact', async () => {
    const run = await replay([binaryFixture, '--to', receiver.url], { COREONE_WEBHOOK_SECRET: SECRET });
    expect(run.code, run.stderr).toBe(0);
    expect(run.requests[0]!.body.equals(BINARY)).toBe(true);
    expect(run.requests[0]!.headers['x-coreone-webhook-hash']).toBe(await opensslHmac(BINARY, SECRET));
  });

  it('replays several fixtures in the order given', async () => {
    const run = await replay([binaryFixture, signedWithOld, '--to', receiver.url, '--secret', SECRET]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.requests.map((r) => r.headers['x-coreone-webhook-type'])).toEqual(['attachment/process', 'accession/status_change']);
  });

  it('--edit opens the body in $EDITOR (a shell command) and signs the edited body', async () => {
    const script = path.join(work, 'edit.mjs');
    const log = path.join(work, 'editor-saw.json');
    // A scripted editor: records what it was given, then rewrites the file in place.
    await writeFile(
      script,
      `import { readFileSync, statSync, writeFileSync } from 'node:fs';
const file = process.argv[2];
writeFileSync(${JSON.stringify(log)}, JSON.stringify({ file, mode: statSync(file).mode & 0o777, body: readFileSync(file, 'utf8') }));
writeFileSync(file, readFileSync(file, 'utf8').replace('Finalized', 'Amended'));
`,
    );
    const fixtureBefore = await readFile(signedWithOld, 'utf8');
    const run = await replay([signedWithOld, '--to', receiver.url, '--secret', SECRET, '--edit'], {
      EDITOR: `"${process.execPath}" "${script}"`,
    });
    expect(run.code, run.stderr).toBe(0);
    const edited = Buffer.from(BODY.toString('utf8').replace('Finalized', 'Amended'));
    expect(run.requests[0]!.body.equals(edited)).toBe(true);
    expect(run.requests[0]!.headers['x-coreone-webhook-hash']).toBe(await opensslHmac(edited, SECRET));
    expect(run.stdout).toContain(', signed with the secret, edited)');

    const saw = JSON.parse(await readFile(log, 'utf8'));
    expect(saw.body).toBe(BODY.toString('utf8'));
    expect(path.basename(saw.file)).toBe(path.basename(signedWithOld));
    expect(saw.mode).toBe(0o600); // the body may hold customer data
    await expect(access(saw.file)).rejects.toThrow(); // and the copy is gone afterwards
    expect(await readFile(signedWithOld, 'utf8')).toBe(fixtureBefore);
  });

  it('--edit with an editor that fails sends nothing (exit 2)', async () => {
    const failing = path.join(work, 'fail-editor.sh');
    await writeFile(failing, '#!/bin/sh\nexit 3\n');
    await chmod(failing, 0o700);
    const run = await replay([signedWithOld, '--to', receiver.url, '--secret', SECRET, '--edit'], { EDITOR: failing });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`coreone-inspect: The editor (${failing}) exited with status 3, so ${signedWithOld} was not sent.\n`);
    expect(run.requests).toHaveLength(0);
  });

  it('--edit without an editor is refused before anything is sent', async () => {
    const run = await replay([signedWithOld, binaryFixture, '--to', receiver.url, '--secret', SECRET, '--edit']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('coreone-inspect: --edit needs an editor: set EDITOR (for example EDITOR=nano).\n');
    expect(run.requests).toHaveLength(0);
  });

  it('refuses to replay without a secret unless --keep-hash or --unsigned', async () => {
    const refused = await replay([signedWithOld, '--to', receiver.url]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/No secret to sign with: .* or --unsigned to send without a hash, or --keep-hash to send the recorded hash\.\n$/);
    expect(refused.requests).toHaveLength(0);

    const unsigned = await replay([signedWithOld, '--to', receiver.url, '--unsigned']);
    expect(unsigned.code, unsigned.stderr).toBe(0);
    expect(unsigned.requests[0]!.headers).not.toHaveProperty('x-coreone-webhook-hash');

    const both = await replay([signedWithOld, '--to', receiver.url, '--unsigned', '--keep-hash']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/cannot be used with/);
  });

  it('refuses a corrupt fixture in one sentence, before sending any of the others', async () => {
    const corrupt = path.join(work, 'corrupt.json');
    await writeFile(corrupt, '{"format":"coreone-inspect/fixture@1","type":"accession/receive","body":');
    const run = await replay([signedWithOld, corrupt, '--to', receiver.url, '--secret', SECRET]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^coreone-inspect: .*corrupt\.json is not a fixture: it is not valid JSON \(.*\)\.\n$/);
    expect(run.requests).toHaveLength(0);

    const missing = await replay([path.join(work, 'nope.json'), '--to', receiver.url, '--secret', SECRET]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^coreone-inspect: Cannot read fixture .*nope\.json: no such file or directory\.\n$/);
  });

  it('exits 1 when a replay gets a non-2xx reply, after sending all of them', async () => {
    const run = await replay([signedWithOld, binaryFixture, '--to', new URL('/fail', receiver.url).href, '--secret', SECRET]);
    expect(run.code).toBe(1);
    expect(run.requests).toHaveLength(2);
    expect(run.stdout).toMatch(/← 422 Unprocessable Entity in \d+ ms\n {2}unprocessable\n/);
    expect(run.stderr).toMatch(/^coreone-inspect: 2 of 2 fixtures got no 2xx reply from http:\/\/127\.0\.0\.1:\d+\/fail\.\n$/);
  });
});
