// The TUI in a real terminal: a private tmux server (its own socket, so no other tmux
// session on the machine is touched) that runs the BUILT CLI and reads back its screen.
import { execFileSync } from 'node:child_process';
import { CLI } from './cli-process.js';
import { waitFor } from './wait.js';

export class Tmux {
  readonly #socket: string;

  constructor(name: string) {
    this.#socket = `coreone-${name}-${process.pid}`;
  }

  run(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.#socket, ...args], { encoding: 'utf8' });
  }

  /** `coreone-inspect <args>` in a new session; `env` goes to it alone (tmux -e). Returns its pid. */
  start(session: string, args: string[], { env = {}, width = 140, height = 40 }: { env?: Record<string, string>; width?: number; height?: number } = {}): number {
    const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    const command = ['exec', process.execPath, CLI, ...args].map(quote).join(' ');
    const envArgs = Object.entries(env).flatMap(([name, value]) => ['-e', `${name}=${value}`]);
    this.run('new-session', '-d', '-s', session, '-x', String(width), '-y', String(height), ...envArgs, command);
    return Number(this.run('display-message', '-p', '-t', session, '#{pane_pid}').trim());
  }

  /** The screen as text; with `escapes`, the colour and attribute sequences too. */
  capture(session: string, { escapes = false } = {}): string {
    return this.run('capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', session);
  }

  keys(session: string, ...keys: string[]): void {
    this.run('send-keys', '-t', session, ...keys);
  }

  /**
   * Sends keys and returns the first screen that differs from the one before, or the same
   * screen once `timeoutMs` has passed (a key may leave the screen as it was).
   */
  async keysAndScreen(session: string, keys: string[], timeoutMs = 1000): Promise<string> {
    const before = this.capture(session);
    this.keys(session, ...keys);
    try {
      return await waitFor(() => {
        const now = this.capture(session);
        return now !== before && now;
      }, { timeoutMs, intervalMs: 40 });
    } catch {
      return this.capture(session);
    }
  }

  /** Ends the private server and every program in it. */
  kill(): void {
    try {
      this.run('kill-server');
    } catch {
      // no server was started
    }
  }
}
