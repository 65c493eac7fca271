// Start-up cost: `coreone-inspect --help` against `node -e 0`, run alternately so that
// the machine's background load falls on both alike.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spread, type Spread } from './support/stats.js';

export interface StartupSummary {
  runs: number;
  nodeMs: Spread;
  helpMs: Spread;
  /** --help over `node -e 0`, each alternating pair taken together. */
  ratio: Spread;
  /** With a baseline tree: its --help, in the same alternation. */
  baseline?: { helpMs: Spread; ratio: Spread };
}

const CLI = fileURLToPath(new URL('../cli/coreone-inspect.cjs', import.meta.url));

function timeOnce(args: string[]): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr.toString().trim()}`);
  return ms;
}

/** With `baseline` (another built tree's root), its `--help` is timed in the same alternation. */
export function benchStartup(runs: number, baseline?: string): StartupSummary {
  const commands = [['-e', '0'], [CLI, '--help']];
  if (baseline !== undefined) commands.push([join(baseline, 'dist/cli/coreone-inspect.cjs'), '--help']);
  // One untimed run of each first: the file cache, not start-up, would dominate it.
  for (const args of commands) timeOnce(args);
  const times = commands.map((): number[] => []);
  for (let i = 0; i < runs; i++) commands.forEach((args, c) => times[c]!.push(timeOnce(args)));
  const [node, help, theirs] = times as [number[], number[], number[] | undefined];
  const ratio = (ms: number[]): Spread => spread(ms.map((m, i) => m / node[i]!));
  return {
    runs,
    nodeMs: spread(node),
    helpMs: spread(help),
    ratio: ratio(help),
    ...(theirs ? { baseline: { helpMs: spread(theirs), ratio: ratio(theirs) } } : {}),
  };
}
