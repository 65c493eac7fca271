// `coreone-inspect/testing` as a user gets it: the package is packed with `npm pack`,
// installed from the tarball into a scratch project (offline, from npm's cache), and
// imported there by a plain .mjs script that loads a fixture, signs and delivers it to a
// real receiver. Its declarations are type-checked from the scratch project too, and the
// bin must still run with the "exports" map in place.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeSignature } from '../../server/signature/verify.js';
import { fixtureOf } from '../../server/store/fixtures.js';
import { eventOf } from '../helpers/delivery.js';

const run = promisify(execFile);
const ROOT = path.resolve('.');
const TSC = path.join(ROOT, 'node_modules/typescript/bin/tsc');
const SECRET = 'scratch-project-secret';
const BODY = Buffer.from('{"accession":{"id":7,"client":"Ferme Müller"}}');
// Under `npm test`, npm exports npm_config_* (its prefix among them) to its children: they
// would point the scratch project's install somewhere else.
const npmEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_')));

let work: string;
let scratch: string;
let fixtureFile: string;
let server: http.Server;
let url: string;
const received: Array<{ headers: http.IncomingHttpHeaders; body: Buffer }> = [];

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'coreone-testing-entry-'));
  scratch = path.join(work, 'scratch');
  await mkdir(scratch);
  // The global setup built the JavaScript; the declarations are the build's extra step.
  await run(process.execPath, [TSC, '-p', 'tsconfig.testing.json'], { cwd: ROOT });
  const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', work], { cwd: ROOT, env: npmEnv });
  const tarball = path.join(work, stdout.trim().split('\n').at(-1)!);
  await writeFile(path.join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', version: '1.0.0', type: 'module', private: true }));
  await run('npm', ['install', tarball, '--no-save', '--ignore-scripts', '--offline', '--no-audit', '--no-fund'], { cwd: scratch, env: npmEnv });

  fixtureFile = path.join(work, 'status_change-1-abc.json');
  await writeFile(fixtureFile, JSON.stringify(fixtureOf(eventOf(BODY, { hash: computeSignature(BODY, 'an-old-secret') }))));
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(202, { 'content-type': 'application/json' }).end('{"queued":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`;
}, 180_000);
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await rm(work, { recursive: true, force: true });
});

describe('coreone-inspect/testing, installed from the packed package', () => {
  it('loads a fixture, signs and delivers it from a plain .mjs script', async () => {
    const script = `
import { deliver, loadFixture, sign } from 'coreone-inspect/testing';
const fixture = await loadFixture(${JSON.stringify(fixtureFile)});
const reply = await deliver(fixture, ${JSON.stringify(url)}, { secret: ${JSON.stringify(SECRET)} });
console.log(JSON.stringify({
  type: fixture.type,
  isBuffer: Buffer.isBuffer(fixture.body),
  body: fixture.body.toString('utf8'),
  status: fixture.signature.status,
  hash: sign(fixture.body, ${JSON.stringify(SECRET)}),
  reply,
}));`;
    await writeFile(path.join(scratch, 'use.mjs'), script);
    const { stdout } = await run(process.execPath, ['use.mjs'], { cwd: scratch });
    const out = JSON.parse(stdout);
    expect(out).toEqual({
      type: 'accession/status_change',
      isBuffer: true,
      body: BODY.toString('utf8'),
      status: 'unchecked',
      hash: computeSignature(BODY, SECRET),
      reply: { status: 202, body: '{"queued":true}' },
    });
    // Delivered as CoreOne would: the exact bytes, re-signed with the secret given.
    expect(received).toHaveLength(1);
    expect(received[0]!.body.equals(BODY)).toBe(true);
    expect(received[0]!.headers['x-coreone-webhook-hash']).toBe(computeSignature(BODY, SECRET));
    expect(received[0]!.headers['x-coreone-webhook-type']).toBe('accession/status_change');
  });

  it('comes with declarations that type-check a user\'s strict TypeScript', async () => {
    const good = `import { deliver, loadFixture, sign, type LoadedFixture } from 'coreone-inspect/testing';
const fixture: LoadedFixture = await loadFixture('x.json');
const hash: string = sign(fixture.body, 'secret');
const { status, body }: { status: number; body: string } = await deliver(fixture, 'http://localhost:3000/', { secret: hash });
export { status, body };
// @ts-expect-error: a secret is required
await deliver(fixture, 'http://localhost:3000/', {});
`;
    await writeFile(path.join(scratch, 'use.mts'), good);
    const args = [TSC, '--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext', '--typeRoots', path.join(ROOT, 'node_modules/@types'), '--types', 'node', 'use.mts'];
    const result = await run(process.execPath, args, { cwd: scratch }).then(
      () => '',
      (error: { stdout: string }) => error.stdout,
    );
    expect(result).toBe('');
  }, 60_000);

  it('leaves the bin working beside the exports map', async () => {
    const { stdout } = await run(path.join(scratch, 'node_modules/.bin/coreone-inspect'), ['--version'], { cwd: scratch });
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
