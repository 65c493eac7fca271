// What the TUI suites in a real terminal share: tmux present, a fresh directory for each
// test, and every tmux session and listener they started ended after it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach } from 'vitest';
import type { RunningCli } from './cli-process.js';
import { tmuxAvailable, type TmuxSession } from './tmux.js';

export interface TerminalWorkspace {
  /** This test's own directory (log, fixtures, cwd). */
  dir: string;
  sessions: TmuxSession[];
  listeners: RunningCli[];
}

export function useTerminalWorkspace(prefix: string): TerminalWorkspace {
  const workspace: TerminalWorkspace = { dir: '', sessions: [], listeners: [] };
  beforeAll(() => {
    if (!tmuxAvailable()) throw new Error('tmux is not installed: `.ci/run` installs it (apt-get install tmux).');
  });
  beforeEach(async () => {
    workspace.dir = await mkdtemp(join(tmpdir(), prefix));
  });
  afterEach(async () => {
    await Promise.all(workspace.sessions.splice(0).map((s) => s.close()));
    await Promise.all(workspace.listeners.splice(0).map((l) => l.stop('SIGKILL')));
    await rm(workspace.dir, { recursive: true, force: true });
  });
  return workspace;
}
