// One inspector per log directory, with real processes: inspector.json while `listen`
// runs, a second `listen` refused while the first lives, a stale or unparseable file
// taken over, the file gone on every way out, and a refused start leaving nothing behind.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deadPid } from '../../helpers/pids.js';
import { startCli, type RunningCli } from '../../helpers/cli-process.js';

let dir: string;
const running: RunningCli[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'coreone-lock-'));
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((cli) => cli.stop('SIGKILL')));
  await rm(dir, { recursive: true, force: true });
});

function listen(log = 'events.ndjson', extra: string[] = []): RunningCli {
  const cli = startCli(['--no-tunnel', '--json', '--port', '0', '--log', join(dir, log), ...extra]);
  running.push(cli);
  return cli;
}

const lockFile = (): string => join(dir, 'inspector.json');
const readLock = async (): Promise<Record<string, unknown>> => JSON.parse(await readFile(lockFile(), 'utf8')) as Record<string, unknown>;

describe('inspector.json while listen runs', () => {
  it('names the process and its URLs by the time `ready` is printed, mode 0600', async () => {
    const cli = listen();
    const ready = await cli.waitForRecord((r) => r.kind === 'ready');
    const lock = await readLock();
    expect(lock).toEqual({
      pid: cli.child.pid,
      webhookUrl: ready.webhookUrl,
      inspectUrl: ready.inspectUrl,
      uiUrl: ready.uiUrl,
      logPath: join(dir, 'events.ndjson'),
      startedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    expect((await stat(lockFile())).mode & 0o777).toBe(0o600);
  });

  it('a second listen with its log in the same directory exits 2 naming the running pid; the first lives on', async () => {
    const first = listen();
    await first.waitForRecord((r) => r.kind === 'ready');
    for (const log of ['events.ndjson', 'other.ndjson']) {
      const second = listen(log);
      const { code } = await second.exited;
      expect(code).toBe(2);
      const lines = second.stderr().trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`Another inspector (pid ${first.child.pid}) is running with its log in ${dir}`);
      expect(second.stdout()).toBe('');
    }
    expect(existsSync(join(dir, 'other.ndjson'))).toBe(false);
    expect((await readLock()).pid).toBe(first.child.pid);
    expect(first.child.exitCode).toBeNull();
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('is removed on %s', async (signal) => {
    const cli = listen();
    await cli.waitForRecord((r) => r.kind === 'ready');
    expect(existsSync(lockFile())).toBe(true);
    expect(await cli.stop(signal)).toEqual({ code: 0, signal: null });
    expect(existsSync(lockFile())).toBe(false);
  });
});

describe('a file left behind is taken over, with a warning', () => {
  const cases: Array<[string, () => string]> = [
    ['names a process that is gone', () => JSON.stringify({ pid: deadPid(), webhookUrl: null, inspectUrl: null, uiUrl: null, logPath: join(dir, 'events.ndjson'), startedAt: new Date().toISOString() })],
    ['cannot be parsed', () => '{"pid": 12'],
  ];
  it('one whose pid now belongs to a process started after the file was written (a pid reused, as after a reboot)', async () => {
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
    try {
      const anHourAgo = new Date(Date.now() - 3_600_000).toISOString();
      await writeFile(lockFile(), JSON.stringify({ pid: other.pid, webhookUrl: null, inspectUrl: null, uiUrl: null, logPath: join(dir, 'events.ndjson'), startedAt: anHourAgo }), { mode: 0o600 });
      const cli = listen();
      await cli.waitForRecord((r) => r.kind === 'ready');
      expect(cli.stderr()).toContain(`the inspector it names (pid ${other.pid}) is no longer running: that pid now belongs to a process started after the file was written.`);
      expect((await readLock()).pid).toBe(cli.child.pid);
      expect(other.exitCode).toBeNull(); // the other process is left alone
    } finally {
      other.kill();
    }
  });

  it.each(cases)('one that %s', async (_title, content) => {
    await writeFile(lockFile(), content(), { mode: 0o600 });
    const cli = listen();
    await cli.waitForRecord((r) => r.kind === 'ready');
    expect(cli.stderr()).toMatch(/^coreone-inspect: warning: Took over .*inspector\.json: (the inspector it names \(pid \d+\) is no longer running|it could not be read as an inspector's file)\.\n$/);
    expect((await readLock()).pid).toBe(cli.child.pid);
  });
});

describe('a refused start leaves nothing behind', () => {
  it('port in use: exit 2, no log file, no inspector.json', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    try {
      const port = (blocker.address() as AddressInfo).port;
      const cli = listen('events.ndjson', ['--port', String(port)]);
      expect((await cli.exited).code).toBe(2);
      expect(cli.stderr()).toContain(`Port ${port} is in use`);
      expect(existsSync(join(dir, 'events.ndjson'))).toBe(false);
      expect(existsSync(lockFile())).toBe(false);
    } finally {
      blocker.close();
    }
  });

  it('a host this machine does not have: exit 2, no log file, no inspector.json', async () => {
    const cli = listen('events.ndjson', ['--host', '203.0.113.7']);
    expect((await cli.exited).code).toBe(2);
    expect(cli.stderr()).toContain('Cannot listen on 203.0.113.7');
    expect(existsSync(join(dir, 'events.ndjson'))).toBe(false);
    expect(existsSync(lockFile())).toBe(false);
  });
});
