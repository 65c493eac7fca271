// `coreone-inspect curl <fixture>`: every printed command is run by `sh -c` against a real
// node:http receiver, which must get exactly the fixture's body bytes and headers, and a
// hash that verifies. Bodies and header values are chosen to break naive quoting.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeSignature } from '../../../server/signature/verify.js';
import { fixtureOf } from '../../../server/store/fixtures.js';
import { eventOf } from '../../helpers/delivery.js';
import { runCli } from '../../helpers/run-cli.js';

const SECRET = 'curl-test-secret';
const BODIES: Record<string, Buffer> = {
  quotes: Buffer.from(`{"note":"it's \\"quoted\\" \`backticks\`"}`),
  shell: Buffer.from('{"cmd":"$(touch pwned) $HOME ${PATH} %s %% %n"}'),
  backslashes: Buffer.from('{"path":"C:\\\\lab\\\\results","esc":"\\n\\u0000"}'),
  newlines: Buffer.from('{\n  "a": 1,\r\n  "b": "two"\n}\n\n'),
  nonAscii: Buffer.from('{"client":"Ferme Müller","species":"chèvre 🐐"}'),
  notUtf8: Buffer.from([0x2d, 0x7b, 0x22, 0x78, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x00, 0x27, 0x22, 0x7d]),
  empty: Buffer.alloc(0),
};

interface Received {
  headers: http.IncomingHttpHeaders;
  rawHeaders: string[];
  body: Buffer;
}

let work: string;
let server: http.Server;
let url: string;
const waiting: Array<(request: Received) => void> = [];

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'coreone-curl-'));
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      res.end('ok');
      waiting.shift()?.({ headers: req.headers, rawHeaders: req.rawHeaders, body: Buffer.concat(chunks) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(work, { recursive: true, force: true });
});

/** Writes a fixture of `body`, signed with SECRET, prints its command, runs it: what arrived. */
async function resend(name: string, body: Buffer, headers: Record<string, string> = {}): Promise<{ received: Received; command: string }> {
  const event = eventOf(body, { hash: computeSignature(body, SECRET), secret: SECRET, headers: { 'user-agent': 'CoreOne-Webhooks/1.0', ...headers } });
  const file = path.join(work, `${name}.json`);
  await writeFile(file, JSON.stringify(fixtureOf(event)));
  const { code, stdout } = await runCli(['curl', file, '--to', url]);
  expect(code).toBe(0);
  const arrived = new Promise<Received>((resolve) => waiting.push(resolve));
  const { stdout: reply } = await promisify(execFile)('sh', ['-c', stdout], { cwd: work });
  expect(reply).toBe('ok');
  return { received: await arrived, command: stdout };
}

describe('curl <fixture>', () => {
  for (const [name, body] of Object.entries(BODIES)) {
    it(`re-sends a body with ${name} byte for byte, with a hash that verifies`, async () => {
      const { received } = await resend(name, body);
      expect(received.body.equals(body)).toBe(true);
      expect(received.headers['x-coreone-webhook-hash']).toBe(computeSignature(received.body, SECRET));
      expect(received.headers['x-coreone-webhook-type']).toBe('accession/status_change');
      expect(received.headers['content-type']).toBe('application/json');
      expect(received.headers['user-agent']).toBe('CoreOne-Webhooks/1.0');
      // No header curl would have added of its own.
      expect(received.headers.accept).toBeUndefined();
      expect(received.headers.expect).toBeUndefined();
    });
  }

  it('quotes header values holding quotes, $ and non-ASCII bytes, and folds a line break into a space', async () => {
    const { received } = await resend('headers', BODIES.quotes!, {
      'x-quoted': `it's "here" $HOME \`id\``,
      'x-latin1': 'Müller'.replace('ü', '\u00fc'), // node:http hands header bytes over as latin1
      'x-folded': "a\nx-injected: yes\r\n'; touch pwned; '",
      'x-empty': '',
    });
    expect(received.headers['x-quoted']).toBe(`it's "here" $HOME \`id\``);
    expect(received.headers['x-latin1']).toBe('M\u00fcller');
    expect(received.headers['x-folded']).toBe("a x-injected: yes '; touch pwned; '");
    expect(received.headers['x-injected']).toBeUndefined();
    expect(received.headers['x-empty']).toBe('');
    expect(await readdir(work)).not.toContain('pwned');
  });

  it('is one line, and exits 2 with one sentence for a file that is not a fixture', async () => {
    const { command } = await resend('one-line', BODIES.newlines!);
    expect(command.trimEnd().split('\n')).toHaveLength(1);
    const bad = path.join(work, 'bad.json');
    await writeFile(bad, '{"name":"x"}');
    const { code, stderr } = await runCli(['curl', bad]);
    expect(code).toBe(2);
    expect(stderr).toContain('is not a coreone-inspect fixture');
  });
});
