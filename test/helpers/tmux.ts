// A real terminal for tests: a private tmux server (its own socket file, so nothing
// else's sessions are touched) running one command in one pane, read with capture-pane.
import { execFile, execFileSync } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { waitFor } from './wait.js';

const exec = promisify(execFile);
let sessions = 0;

export function tmuxAvailable(): boolean {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export interface TmuxOptions {
  columns?: number;
  rows?: number;
  cwd?: string;
  /** Added to the environment; a value of undefined removes the variable. */
  env?: Record<string, string | undefined>;
}

const quote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;

export class TmuxSession {
  readonly #socket: string;
  readonly #statusFile: string;
  #panePid = 0;
  #closed = false;

  private constructor(socket: string, statusFile: string) {
    this.#socket = socket;
    this.#statusFile = statusFile;
  }

  /**
   * Starts the program `argv` in a new pane, under a shell that writes its exit status
   * to a file (tmux's own pane_dead_status is not reliable: tmux sometimes reaps the
   * process late).
   */
  static async start(argv: string[], options: TmuxOptions = {}): Promise<TmuxSession> {
    const name = `coreone-test-${process.pid}-${++sessions}`;
    const socket = join(tmpdir(), `${name}.sock`);
    const statusFile = join(tmpdir(), `${name}.status`);
    const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color' };
    for (const [name, value] of Object.entries(options.env ?? {})) {
      if (value === undefined) delete env[name];
      else env[name] = value;
    }
    const args = ['-S', socket, '-f', '/dev/null', 'new-session', '-d', '-s', 'ui'];
    args.push('-x', String(options.columns ?? 120), '-y', String(options.rows ?? 40));
    if (options.cwd) args.push('-c', options.cwd);
    args.push(`${argv.map(quote).join(' ')}; echo $? > ${quote(statusFile)}`);
    await exec('tmux', args, { env });
    const session = new TmuxSession(socket, statusFile);
    session.#panePid = Number((await session.#tmux('display-message', '-p', '-t', 'ui', '#{pane_pid}')).trim());
    return session;
  }

  async #tmux(...args: string[]): Promise<string> {
    const { stdout } = await exec('tmux', ['-S', this.#socket, ...args]);
    return stdout;
  }

  /** The screen as text; with `colours`, SGR escape sequences kept (capture-pane -e). */
  capture(colours = false): Promise<string> {
    return this.#tmux('capture-pane', '-p', ...(colours ? ['-e'] : []), '-t', 'ui');
  }

  /** tmux key names: 'q', 'Down', 'Tab', 'Escape', 'C-c'; '-l' sends text literally. */
  async sendKeys(...keys: string[]): Promise<void> {
    await this.#tmux('send-keys', '-t', 'ui', ...keys);
  }

  /** Waits until the screen holds every one of `texts`; a timeout shows the last screen. */
  async waitForScreen(texts: (string | RegExp)[], timeoutMs = 15_000): Promise<string> {
    let last = '';
    const what = texts.map(String).join(' and ');
    try {
      return await waitFor(
        async () => {
          last = await this.capture();
          return texts.every((t) => (typeof t === 'string' ? last.includes(t) : t.test(last))) ? last : null;
        },
        { timeoutMs, intervalMs: 50, what: `${what} on screen` },
      );
    } catch (error) {
      throw new Error(`${(error as Error).message}\nLast screen:\n${last}`);
    }
  }

  /** PID of the program (the child of the pane's shell). */
  async pid(): Promise<number> {
    const children = await waitFor(
      async () => (await readFile(`/proc/${this.#panePid}/task/${this.#panePid}/children`, 'utf8').catch(() => '')).trim(),
      { what: 'the program to start in tmux' },
    );
    return Number(children.split(' ')[0]);
  }

  /** Waits for the program to exit and returns its exit status. */
  async waitForExit(timeoutMs = 10_000): Promise<number> {
    const status = await waitFor(
      async () => (await readFile(this.#statusFile, 'utf8').catch(() => '')).trim(),
      { timeoutMs, intervalMs: 50, what: 'the program in tmux to exit' },
    );
    return Number(status);
  }

  /** Ends the tmux server and whatever still runs in it; safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#tmux('kill-server').catch(() => undefined);
    await Promise.all([rm(this.#statusFile, { force: true }), rm(this.#socket, { force: true })]);
  }
}

/** True while a process with this PID exists: the inspector lock's own check. */
export { processAlive } from '../../server/store/inspector-lock.js';
