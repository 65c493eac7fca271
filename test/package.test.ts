// The package as npm publishes it: packed from a clean clone of the repository's HEAD (so
// `prepack` must build, and only what is committed ships), installed into a temporary
// global prefix as a user installs it, and run from outside the clone. Slow (npm ci, the
// build, npm install from the registry): a minute or two.
import { execFile as execFileCallback, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from './helpers/wait.js';
import { TmuxSession } from './helpers/tmux.js';

const execFile = promisify(execFileCallback);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const NPM_TIMEOUT_MS = 5 * 60_000;

// npm run by `npm test` exports npm_config_* (the prefix among them) to its children, and
// they would override the clone's own settings and the temporary prefix.
const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_')));

/** Why the registry cannot be used from here, or undefined when it can. */
async function registryProblem(): Promise<string | undefined> {
  try {
    await execFile('npm', ['ping'], { env, timeout: 30_000 });
    return undefined;
  } catch (error) {
    return `the npm registry is unreachable from here (npm ping: ${(error as Error).message.split('\n')[0]})`;
  }
}

const npm = (args: string[], cwd: string) => execFile('npm', [...args, '--no-audit', '--no-fund'], { cwd, env, timeout: NPM_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 });

let dir: string | undefined;
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the published package', () => {
  it('packs from a clean clone, installs globally, and runs from outside the clone', async ({ skip }) => {
    const problem = await registryProblem();
    skip(problem !== undefined, problem);
    dir = await mkdtemp(join(tmpdir(), 'coreone-package-'));
    const clone = join(dir, 'clone');
    const prefix = join(dir, 'prefix');
    const elsewhere = join(dir, 'elsewhere');
    await execFile('git', ['clone', '--quiet', '--depth', '1', `file://${ROOT}`, clone], { env });
    await npm(['ci', '--prefer-offline'], clone);

    const { stdout: packed } = await npm(['pack', '--json', '--pack-destination', dir], clone);
    const [tarball] = JSON.parse(packed.slice(packed.indexOf('['))) as { filename: string; files: { path: string }[] }[];
    const paths = tarball!.files.map((file) => file.path);
    expect(paths).toContain('dist/cli/coreone-inspect.cjs');
    expect(paths).toContain('dist/server/tunnel/worker.js');
    expect(paths).toContain('dist/server/speed/json-escape.wasm');
    expect(paths).toContain('LICENSE'); // package.json says MIT; the text must travel with it
    expect(paths.filter((path) => /^(dist\/)?(bench|test)\//.test(path))).toEqual([]);

    await npm(['install', '--global', '--prefix', prefix, join(dir, tarball!.filename)], dir);
    await mkdir(elsewhere);
    const bin = join(prefix, 'bin', 'coreone-inspect');
    const { version } = JSON.parse(await readFile(join(clone, 'package.json'), 'utf8')) as { version: string };
    const { stdout: printed } = await execFile(bin, ['--version'], { cwd: elsewhere, env });
    expect(printed.trim()).toBe(version);

    const listener = spawn(bin, ['listen', '--json', '--no-tunnel', '--port', '0'], { cwd: elsewhere, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    listener.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    listener.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => listener.once('close', (code) => resolve(code)));
    try {
      const line = await waitFor(() => out.split('\n').find((text) => text.startsWith('{"kind":"ready"')), { what: () => `the ready line (stderr: ${err || 'empty'})` });
      const ready = JSON.parse(line) as { version: string; webhookUrl: string; logPath: string };
      expect(ready.version).toBe(version);
      // The log's default path is relative to the working directory: outside the clone.
      expect(ready.logPath.startsWith(elsewhere)).toBe(true);
      const answer = await fetch(ready.webhookUrl, { method: 'POST', body: '{"status":"Pending"}', headers: { 'X-Coreone-Webhook-Type': 'accession/status_change' } });
      expect(answer.status).toBe(200);
      await waitFor(() => out.includes('{"kind":"event"'), { what: 'the event line' });
      // The TUI from the installed package, in a real terminal: it loads Ink's Output module
      // from beside Ink's entry point (cli/ui/ink-output.ts), wherever npm put Ink.
      const tui = await TmuxSession.start([bin, 'attach'], { cwd: elsewhere });
      try {
        await tui.waitForScreen(['● live', '#1 ', 'accession/status_change']);
        await tui.sendKeys('q');
        expect(await tui.waitForExit()).toBe(0);
      } finally {
        await tui.close();
      }
    } finally {
      listener.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(err).toBe('');
  }, 15 * 60_000);
});
