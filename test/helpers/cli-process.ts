// Runs the BUILT command line (dist/, made by `npm test`'s pretest build) as a child
// process and reads its output as it comes.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { waitFor } from './wait.js';

/** The package's bin: the bundled front (rolldown.config.mjs), which imports the jobs from dist/. */
export const CLI = fileURLToPath(new URL('../../dist/cli/coreone-inspect.cjs', import.meta.url));

export interface RunningCli {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Parsed NDJSON lines of stdout so far (non-JSON lines skipped). */
  records(): Record<string, unknown>[];
  waitForRecord(match: (record: Record<string, unknown>) => boolean, what?: string): Promise<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startCli(args: string[], env: NodeJS.ProcessEnv = {}): RunningCli {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, ...env, FORCE_COLOR: '0' },
    stdio: 'pipe',
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  // 'close', not 'exit': only then has all of the child's output been read.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  const records = (): Record<string, unknown>[] =>
    out
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as Record<string, unknown>];
        } catch {
          return [];
        }
      });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    records,
    waitForRecord: (match, what = 'a record') =>
      waitFor(() => records().find(match), { what: `${what} (stderr so far: ${err.trim() || 'empty'})` }),
    exited,
    stop: (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Runs the CLI to completion. */
export function runCli(
  args: string[],
  { input, env = {} }: { input?: string | Buffer; env?: NodeJS.ProcessEnv } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const running = startCli(args, env);
  running.child.stdin.end(input);
  return running.exited.then(({ code }) => ({ code, stdout: running.stdout(), stderr: running.stderr() }));
}
