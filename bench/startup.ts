// Start-up cost: `coreone-inspect --help` against `node -e 0`, run alternately so that
// the machine's background load falls on both alike.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { spread, type Spread } from './support/stats.js';

export interface StartupSummary {
  runs: number;
  nodeMs: Spread;
  helpMs: Spread;
  /** --help over `node -e 0`, each alternating pair taken together. */
  ratio: Spread;
}

const CLI = fileURLToPath(new URL('../cli/coreone-inspect.cjs', import.meta.url));

function timeOnce(args: string[]): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr.toString().trim()}`);
  return ms;
}

export function benchStartup(runs: number): StartupSummary {
  // One untimed run of each first: the file cache, not start-up, would dominate it.
  timeOnce(['-e', '0']);
  timeOnce([CLI, '--help']);
  const node: number[] = [];
  const help: number[] = [];
  for (let i = 0; i < runs; i++) {
    node.push(timeOnce(['-e', '0']));
    help.push(timeOnce([CLI, '--help']));
  }
  return { runs, nodeMs: spread(node), helpMs: spread(help), ratio: spread(help.map((ms, i) => ms / node[i]!)) };
}
