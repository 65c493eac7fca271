// The bin is a CommonJS bundle of the program's front (rolldown.config.mjs): `--help`,
// `--version` and a usage error must start without Node's ESM loader and without any
// package but commander, which is what keeps them near `node -e 0` (npm run bench). A
// command's job is imported from tsc's ES modules only when the command runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli-process.js';

/** Node loads these only to run an ES module (its loader's start-up parts load for any script). */
const ESM_RUNNING = ['NativeModule internal/modules/esm/module_job', 'NativeModule internal/modules/esm/translators'];

interface Loaded {
  /** Node's own modules, in load order (`NativeModule internal/...`). */
  builtins: string[];
  /** Files loaded through require(). */
  required: string[];
}

let dir: string;
let recorder: string;
let record: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'coreone-front-'));
  recorder = join(dir, 'recorder.cjs');
  record = join(dir, 'loaded.json');
  // Preloaded into the CLI (NODE_OPTIONS), it writes down what was loaded when the process ends.
  await writeFile(
    recorder,
    `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(record)}, ` +
      `JSON.stringify({ builtins: process.moduleLoadList, required: Object.keys(require.cache) })));\n`,
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function loadedBy(args: string[]): Promise<{ code: number | null; loaded: Loaded }> {
  await rm(record, { force: true });
  const { code } = await runCli(args, { env: { NODE_OPTIONS: `--require ${recorder}` } });
  return { code, loaded: JSON.parse(await readFile(record, 'utf8')) as Loaded };
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
  ])('%j starts without the ESM loader, loading no package but commander', async (args, exitCode) => {
    const { code, loaded } = await loadedBy(args);
    expect(code).toBe(exitCode);
    expect(loaded.builtins.filter((name) => ESM_RUNNING.includes(name))).toEqual([]);
    expect(packagesIn(loaded.required)).toEqual(['commander']);
  });

  it('imports a command\'s job (an ES module) when the command runs', async () => {
    const { code, loaded } = await loadedBy(['types']);
    expect(code).toBe(0);
    expect(loaded.builtins).toEqual(expect.arrayContaining(ESM_RUNNING));
  });
});
