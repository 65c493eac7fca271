// Process ids for the inspector lock's tests.
import { spawnSync } from 'node:child_process';

/** A pid that no process has: one that just exited. */
export function deadPid(): number {
  const { pid } = spawnSync(process.execPath, ['-e', '']);
  if (pid === undefined) throw new Error('could not spawn a process to take its pid');
  return pid;
}
