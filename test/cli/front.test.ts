// The bin is a CommonJS bundle of the program's front (rolldown.config.mjs): `--help`,
// `--version` and a usage error must start without loading any ES module and without any
// package but commander, which is what keeps them near `node -e 0` (npm run bench). A
// command's job is imported from tsc's ES modules only when the command runs. The
// command tests run in-process (test/helpers/run-cli.ts); the end-to-end set below runs
// the real bin: help, version, a usage error, one send and one verify.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VERSION } from '../../cli/version.js';
import { runCli } from '../helpers/cli-process.js';
import { opensslHmac, startReceiver } from '../helpers/delivery.js';

interface Loaded {
  /** Files loaded through require(). */
  required: string[];
  /** ES modules (ours or a package's), as URLs. */
  esm: string[];
}

let dir: string;
let recorder: string;
let hooks: string;
let record: string;
let esmRecord: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'coreone-front-'));
  recorder = join(dir, 'recorder.cjs');
  hooks = join(dir, 'hooks.mjs');
  record = join(dir, 'loaded.json');
  esmRecord = join(dir, 'esm.txt');
  // Preloaded into the CLI (NODE_OPTIONS), it writes down what was required when the process ends.
  await writeFile(
    recorder,
    `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(record)}, ` +
      `JSON.stringify({ required: Object.keys(require.cache) })));\n`,
  );
  // Imported into the CLI first, it registers a load hook that writes down every ES module
  // loaded after it. Node's own list of its internals cannot tell: since Node 22 a plain
  // CommonJS script loads the ESM loader too, and importing a module adds nothing to it.
  const loadHook =
    `import { appendFileSync } from 'node:fs';\n` +
    `export async function load(url, context, next) {\n` +
    `  const result = await next(url, context);\n` +
    `  if (result.format === 'module') appendFileSync(${JSON.stringify(esmRecord)}, url + '\\n');\n` +
    `  return result;\n}\n`;
  await writeFile(hooks, `import { register } from 'node:module';\nregister(${JSON.stringify(`data:text/javascript,${encodeURIComponent(loadHook)}`)});\n`);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function loadedBy(args: string[]): Promise<{ code: number | null; loaded: Loaded }> {
  await Promise.all([rm(record, { force: true }), writeFile(esmRecord, '')]);
  const { code } = await runCli(args, { env: { NODE_OPTIONS: `--require ${recorder} --import ${hooks}` } });
  const { required } = JSON.parse(await readFile(record, 'utf8')) as Pick<Loaded, 'required'>;
  return { code, loaded: { required, esm: (await readFile(esmRecord, 'utf8')).split('\n').filter(Boolean) } };
}

const packagesIn = (files: string[]): string[] => [
  ...new Set(files.filter((file) => file.includes('/node_modules/')).map((file) => file.split('/node_modules/').at(-1)!.split('/')[0]!)),
];

describe('the bin', () => {
  it.each([
    [['--help'], 0],
    [['--version'], 0],
    [['verify', '--help'], 0],
    [['--no-such-flag'], 2],
  ])('%j starts without loading an ES module, loading no package but commander', async (args, exitCode) => {
    const { code, loaded } = await loadedBy(args);
    expect(code).toBe(exitCode);
    expect(loaded.esm).toEqual([]);
    expect(packagesIn(loaded.required)).toEqual(['commander']);
  });

  it('imports a command\'s job (an ES module) when the command runs', async () => {
    const { code, loaded } = await loadedBy(['types']);
    expect(code).toBe(0);
    expect(loaded.esm.filter((url) => url.endsWith('/dist/cli/commands/types/job.js'))).toHaveLength(1);
  });
});

describe('the bin, end to end', () => {
  const SECRET = 'end-to-end-secret';

  it('--help and --version: exit 0, on stdout', async () => {
    const help = await runCli(['--help']);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toMatch(/^Usage: coreone-inspect \[options\] \[command\]\n/);
    expect(await runCli(['--version'])).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
  });

  it('a usage error: exit 2, commander\'s sentence, no stack', async () => {
    const { code, stdout, stderr } = await runCli(['send', 'leaf/match']);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toMatch(/^error: required option '--to <url>' not specified\n/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('send: signs and posts a sample, exit 0', async () => {
    const receiver = await startReceiver();
    try {
      const { code, stdout, stderr } = await runCli(['send', 'payment/create', '--to', receiver.url], { env: { COREONE_WEBHOOK_SECRET: SECRET } });
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      expect(stdout).toMatch(/← 200 OK in \d+ ms\n/);
      const [request] = receiver.requests;
      expect(request!.headers['x-coreone-webhook-hash']).toBe(await opensslHmac(request!.body, SECRET));
    } finally {
      await receiver.close();
    }
  });

  it('verify: a hash made with another secret, from standard input: exit 1, the verdict on stdout', async () => {
    const body = Buffer.from('{"invoice":{"id":88}}');
    const hash = await opensslHmac(body, `${SECRET}-old`);
    const { code, stdout, stderr } = await runCli(['verify', '--body', '-', '--hash', hash, '--secret', SECRET], { input: body });
    expect({ code, stderr }).toEqual({ code: 1, stderr: '' });
    expect(stdout).toMatch(/^invalid: /);
    expect(stdout).toContain('  - no-match: ');
  });
});
