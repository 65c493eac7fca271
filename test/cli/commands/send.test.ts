// `coreone-inspect send`, run in-process against a real HTTP receiver: every catalogued
// type goes out as valid JSON with a hash that openssl agrees with; the exit codes and
// messages of SPEC.md for unknown types, missing secrets, bad input and bad replies.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEBHOOK_TYPES } from '../../../server/catalogue/webhook-types.js';
import { SAMPLE_TYPES } from '../../../server/catalogue/samples.js';
import { closedPort, opensslHmac, startReceiver, type Receiver } from '../../helpers/delivery.js';
import { runCli, type CliRun } from '../../helpers/run-cli.js';

const SECRET = 'vdl-s3cret-for-send';

let receiver: Receiver;
let work: string;
beforeAll(async () => {
  receiver = await startReceiver((request, response) => {
    if (request.url === '/fail') {
      response.writeHead(500, { 'content-type': 'text/plain' });
      response.end('handler exploded:\nNoMethodError\n\u001b[31mred\u001b[0m');
    } else {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"received":true}');
    }
  });
  work = await mkdtemp(path.join(tmpdir(), 'coreone-send-'));
});
afterAll(async () => {
  await receiver.close();
  await rm(work, { recursive: true, force: true });
});

/** The requests the receiver gets while `action` runs. */
async function captured<T>(action: () => Promise<T>) {
  const before = receiver.requests.length;
  const result = await action();
  return { result, requests: receiver.requests.slice(before) };
}

describe('coreone-inspect send', () => {
  it('has a sample for exactly the 33 catalogued types', () => {
    expect([...SAMPLE_TYPES].sort()).toEqual(WEBHOOK_TYPES.map((t) => t.type).sort());
    expect(SAMPLE_TYPES).toHaveLength(33);
  });

  it('sends every catalogued type as valid JSON, signed with a hash openssl agrees with', async () => {
    const types = WEBHOOK_TYPES.map((t) => t.type);
    const results = new Map<string, CliRun>();
    await Promise.all(
      types.map(async (type) => {
        results.set(type, await runCli(['send', type, '--to', `${receiver.url}?type=${type}`], { env: { COREONE_WEBHOOK_SECRET: SECRET } }));
      }),
    );
    for (const type of types) {
      const run = results.get(type)!;
      expect(run.code, `${type}: ${run.stderr}`).toBe(0);
      expect(run.stdout).toContain(`→ ${type} to ${receiver.url}?type=${type} (illustrative sample,`);
      expect(run.stdout).toMatch(/← 200 OK in \d+ ms\n {2}\{"received":true\}\n/);
      const request = receiver.requests.find((r) => r.url.endsWith(`?type=${type}`));
      expect(request, type).toBeDefined();
      expect(request!.method).toBe('POST');
      expect(request!.headers['x-coreone-webhook-type']).toBe(type);
      expect(request!.headers['content-type']).toBe('application/json');
      const parsed = JSON.parse(request!.body.toString('utf8'));
      expect(typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed), type).toBe(true);
      expect(request!.headers['x-coreone-webhook-hash']).toBe(await opensslHmac(request!.body, SECRET));
      expect(run.stdout + run.stderr).not.toContain(SECRET);
    }
  });

  it('sends only the instrument name and file name for instrument/generate_instrument_file', async () => {
    const { requests } = await captured(() => runCli(['send', 'instrument/generate_instrument_file', '--to', receiver.url, '--secret', SECRET]));
    expect(Object.keys(JSON.parse(requests[0]!.body.toString('utf8'))).sort()).toEqual(['file_name', 'instrument']);
  });

  it('refuses an unknown type with exit 2 and sends nothing', async () => {
    const { result, requests } = await captured(() => runCli(['send', 'accession/teleport', '--to', receiver.url, '--secret', SECRET]));
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'coreone-inspect: "accession/teleport" is not a catalogued webhook type: run `coreone-inspect types` for the 33, or give a body with --data.\n',
    );
    expect(requests).toHaveLength(0);
  });

  it('sends an unknown type with --data, byte-exact, after a warning', async () => {
    const file = path.join(work, 'custom.json');
    const body = Buffer.from('{ "accession_number": "A26-004999",\r\n  "note": "Müller 🐄" }\n');
    await writeFile(file, body);
    const { result, requests } = await captured(() => runCli(['send', 'accession/teleport', '--to', receiver.url, '--data', file, '--secret', SECRET]));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('coreone-inspect: warning: "accession/teleport" is not one of the 33 catalogued webhook types; sending it anyway.\n');
    expect(requests[0]!.body.equals(body)).toBe(true);
    expect(requests[0]!.headers['x-coreone-webhook-type']).toBe('accession/teleport');
    expect(requests[0]!.headers['x-coreone-webhook-hash']).toBe(await opensslHmac(body, SECRET));
  });

  it('reads the body from standard input with --data -, and warns when it is not JSON', async () => {
    const body = Buffer.from([0x7b, 0xff, 0x00, 0x7d]);
    const { result, requests } = await captured(() =>
      runCli(['send', 'client/update', '--to', receiver.url, '--data', '-', '--secret', SECRET], { input: body }),
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('coreone-inspect: warning: The body from standard input is not valid JSON; sending it anyway.\n');
    expect(requests[0]!.body.equals(body)).toBe(true);
    expect(requests[0]!.headers['x-coreone-webhook-hash']).toBe(await opensslHmac(body, SECRET));
  });

  it('refuses to send without a secret (exit 2), and sends no hash with --unsigned', async () => {
    const refused = await captured(() => runCli(['send', 'payment/create', '--to', receiver.url]));
    expect(refused.result.code).toBe(2);
    expect(refused.result.stderr).toMatch(/^coreone-inspect: No secret to sign with: .* or --unsigned to send without a hash\.\n$/);
    expect(refused.requests).toHaveLength(0);

    const empty = await captured(() => runCli(['send', 'payment/create', '--to', receiver.url, '--secret', '']));
    expect(empty.result.code).toBe(2); // an empty secret counts as none
    expect(empty.requests).toHaveLength(0);

    const unsigned = await captured(() => runCli(['send', 'payment/create', '--to', receiver.url, '--unsigned']));
    expect(unsigned.result.code, unsigned.result.stderr).toBe(0);
    expect(unsigned.result.stdout).toContain('(illustrative sample, ');
    expect(unsigned.result.stdout).toContain(', unsigned)');
    expect(unsigned.requests[0]!.headers).not.toHaveProperty('x-coreone-webhook-hash');
    expect(unsigned.requests[0]!.headers['x-coreone-webhook-type']).toBe('payment/create');
  });

  it('takes the secret from --secret-file', async () => {
    const file = path.join(work, 'secret.txt');
    await writeFile(file, `${SECRET}\n`);
    const { result, requests } = await captured(() => runCli(['send', 'invoice/close', '--to', receiver.url, '--secret-file', file]));
    expect(result.code, result.stderr).toBe(0);
    expect(requests[0]!.headers['x-coreone-webhook-hash']).toBe(await opensslHmac(requests[0]!.body, SECRET));
  });

  it('exits 1 on a non-2xx reply, showing its status and the start of its body (control characters escaped)', async () => {
    const { result } = await captured(() => runCli(['send', 'leaf/match', '--to', new URL('/fail', receiver.url).href, '--secret', SECRET]));
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/← 500 Internal Server Error in \d+ ms\n {2}handler exploded:\n {2}NoMethodError\n {2}\\x1b\[31mred\\x1b\[0m\n$/);
    expect(result.stderr).toMatch(/^coreone-inspect: No 2xx reply from http:\/\/127\.0\.0\.1:\d+\/fail\.\n$/);
  });

  it('exits 1 with the reason in one sentence when nothing listens', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/`;
    const result = await runCli(['send', 'leaf/match', '--to', url, '--secret', SECRET]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/← no reply after \d+ ms\n {2}Connection refused by 127\.0\.0\.1:\d+: nothing is listening there \(is the app running\?\)\.\n$/);
  });

  it.each([
    ['a URL that is not one', ['--to', 'localhost:3000'], /not an http:\/\/ or https:\/\/ URL/],
    ['no --to', [], /required option '--to <url>' not specified/],
    ['an unreadable --data file', ['--to', 'http://127.0.0.1:9/', '--data', '/no/such/file.json'], /^coreone-inspect: Cannot read --data \/no\/such\/file\.json: no such file or directory\.\n$/],
    ['a bad --timeout', ['--to', 'http://127.0.0.1:9/', '--timeout', 'soon'], /A time in milliseconds must be a whole number/],
  ])('exits 2 on bad usage: %s', async (_name, args, message) => {
    const result = await runCli(['send', 'leaf/match', '--secret', SECRET, ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('says in --help that the samples are illustrative', async () => {
    const result = await runCli(['send', '--help']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/illustrative sample body/);
    expect(result.stdout).toMatch(/The built-in sample bodies are ILLUSTRATIVE/);
  });
});
