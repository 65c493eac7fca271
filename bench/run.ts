// `npm run bench`: every benchmark of issue 2 in one run, a table on stdout, and the
// figures written into BENCHMARKS.md (between its generated-section markers).
//   node dist/bench/run.js [--rounds 5] [--duration 4] [--only listener,latency,startup,tui,check,schema,web] [--no-write] [--baseline DIR]
// --baseline DIR: the root of another built tree of the project (an older commit, say, from
// `git archive <commit> | tar -x -C DIR`, then `npm ci` or a node_modules link and `npm run
// build` there). Its listener (its own bench server, so its own code) joins every listener
// and latency round, and its --help the start-up alternation: before and after in one run.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { availableParallelism, cpus, release, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchLatency, type LatencyFigures, type LatencySummary } from './latency.js';
import { benchListener, label, type SizeSummary } from './listener.js';
import { canPin, canRaisePriority } from './support/child.js';
import { formatSpread, type Spread } from './support/stats.js';
import { benchStartup, type StartupSummary } from './startup.js';
import { errorMessage } from '../server/error-message.js';

const PARTS = ['listener', 'latency', 'startup', 'tui', 'check', 'schema', 'web'] as const;
/** The parts that are programs of their own (bench/<part>.ts), their report carried over as is. */
const PROGRAMS = { tui: 'TUI', check: 'The handler check (issue 13)', schema: 'Shapes and drift (issue 15)', web: 'The web inspector (issue 14)' } as const;
type Program = keyof typeof PROGRAMS;
type Part = (typeof PARTS)[number];

const TARGETS = { vsBare: 0.45, vsOctokit: 1.1, latencyP99Ms: 3, helpRatio: 1.3 };
const SIZES = [2 * 1024, 64 * 1024];
const CONNECTIONS = 10;
const LATENCY_RATE = 200;
const STARTUP_RUNS = 30;
const PROGRAM_TIMEOUT_MS = 5 * 60_000;

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BENCHMARKS_MD = `${ROOT}BENCHMARKS.md`;
const START = '<!-- bench:results:start (written by npm run bench) -->';
const END = '<!-- bench:results:end -->';

interface Results {
  listener?: { sizes: SizeSummary[]; rounds: number; durationS: number };
  latency?: LatencySummary;
  startup?: StartupSummary;
  programs?: Partial<Record<Program, { output: string } | { skipped: string }>>;
  baseline?: string;
}

function options(): { rounds: number; durationS: number; parts: Set<Part>; write: boolean; baseline?: string } {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '5' },
      duration: { type: 'string', default: '4' },
      only: { type: 'string', default: PARTS.join(',') },
      'no-write': { type: 'boolean', default: false },
      baseline: { type: 'string' },
    },
  });
  const rounds = Number(values.rounds);
  const durationS = Number(values.duration);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds must be a whole number of at least 1.');
  if (!(durationS > 0)) throw new Error('--duration must be a number of seconds above 0.');
  const parts = new Set(values.only.split(',').map((p) => p.trim()) as Part[]);
  for (const part of parts) if (!PARTS.includes(part)) throw new Error(`--only takes ${PARTS.join(', ')}; not ${part}.`);
  const baseline = values.baseline === undefined ? undefined : resolve(values.baseline);
  if (baseline !== undefined && !existsSync(join(baseline, 'dist/bench/support/server.js'))) {
    throw new Error(`--baseline ${baseline} has no dist/bench/support/server.js: build that tree first (npm run build in it).`);
  }
  return { rounds, durationS, parts, write: !values['no-write'], ...(baseline === undefined ? {} : { baseline }) };
}

const say = (line: string): void => void process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const { rounds, durationS, parts, write, baseline } = options();
  if (!canPin()) say('taskset is not available: processes are not pinned to CPUs, so server and load share cores.');
  if (!canRaisePriority()) say('nice -10 is not allowed here: benchmark processes run at normal priority.');
  const results: Results = baseline === undefined ? {} : { baseline };
  const withBaseline = baseline === undefined ? {} : { baseline };
  if (parts.has('startup')) {
    say(`start-up: ${STARTUP_RUNS} alternating runs of node -e 0 and coreone-inspect --help${baseline ? ' (and the baseline\'s)' : ''}`);
    results.startup = benchStartup(STARTUP_RUNS, baseline);
  }
  if (parts.has('listener')) {
    say(`throughput: ${rounds} rounds x ${baseline ? 4 : 3} servers x ${SIZES.length} body sizes, ${durationS} s each`);
    const { sizes } = await benchListener({ rounds, durationS, warmupS: 1, connections: CONNECTIONS, sizes: SIZES, progress: say, ...withBaseline });
    results.listener = { sizes, rounds, durationS };
  }
  if (parts.has('latency')) {
    say(`latency: ${rounds} rounds at ${LATENCY_RATE} requests/s`);
    results.latency = await benchLatency({ rounds, ratePerS: LATENCY_RATE, durationS: 25, windowS: 5, warmupS: 1, size: SIZES[0]!, progress: say, ...withBaseline });
  }
  for (const program of Object.keys(PROGRAMS) as Program[]) {
    if (parts.has(program)) (results.programs ??= {})[program] = await runProgramBench(program);
  }

  const report = render(results);
  say('');
  say(report);
  if (write) {
    writeResults(report);
    say(`Written to ${BENCHMARKS_MD}.`);
  }
}

/** A benchmark that is its own program (node dist/bench/<name>.js): its lines are carried over. */
async function runProgramBench(name: Program): Promise<{ output: string } | { skipped: string }> {
  const script = fileURLToPath(new URL(`./${name}.js`, import.meta.url));
  say(`${name}: running node dist/bench/${name}.js`);
  const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    process.stdout.write(chunk);
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), PROGRAM_TIMEOUT_MS);
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  clearTimeout(timer);
  if (code !== 0) return { skipped: `node dist/bench/${name}.js failed (exit ${code ?? 'killed'}).` };
  // A report may end in one JSON line with the same figures: keep the human lines.
  return { output: output.split('\n').filter((line) => line.trim() && !line.startsWith('{')).join('\n') };
}

function render(results: Results): string {
  const lines: string[] = [];
  const fact = machineFacts();
  lines.push(`Measured ${fact.date} on ${fact.machine}; ${fact.node}; commit ${fact.commit}.`);
  lines.push(`Command: \`${fact.command}\`. Every figure is min / median / max over the rounds.`);
  if (results.baseline) lines.push(`Baseline (\`baseline\` rows): the listener of the tree at ${results.baseline}${commitOf(results.baseline)}, in the same rounds.`);
  if (results.listener) {
    const { sizes, rounds, durationS } = results.listener;
    lines.push('', `### Throughput and latency under load`, '');
    lines.push(
      `autocannon, ${CONNECTIONS} connections, ${durationS} s per round after 1 s of warm-up, ${rounds} alternating rounds; ` +
        `each server alone on CPU 0, autocannon and the listener's stream client on CPU 1` +
        `${canPin() ? '' : ' (not pinned here: no taskset)'}${canRaisePriority() ? ', all at nice -10' : ''}.`,
      '',
    );
    lines.push('| body | server | requests/s | p50 ms | p99 ms | server CPU µs/request | load generator busy |', '|---|---|---|---|---|---|---|');
    for (const size of sizes) {
      for (const server of size.servers) {
        const s = size.perServer[server]!;
        lines.push(
          `| ${label(size.size)} | ${server} | ${formatSpread(s.requestsPerS)} | ${formatSpread(s.p50Ms, 2)} | ${formatSpread(s.p99Ms, 2)} | ${formatSpread(s.cpuUsPerRequest)} | ${formatSpread(percent(s.generatorBusy))} % |`,
        );
      }
    }
    const compared = sizes.some((size) => size.vsBaseline);
    lines.push('', `| body | listener / bare | listener / octokit |${compared ? ' baseline / octokit | listener / baseline |' : ''}`, `|---|---|---|${compared ? '---|---|' : ''}`);
    for (const size of sizes) {
      const theirs = size.vsBaseline ? ` ${formatSpread(size.baselineVsOctokit!, 2)} | ${formatSpread(size.vsBaseline, 2)} |` : '';
      lines.push(`| ${label(size.size)} | ${formatSpread(size.vsBare, 2)} | ${formatSpread(size.vsOctokit, 2)} |${theirs}`);
    }
    const small = sizes.find((s) => s.size === SIZES[0]);
    if (small) {
      lines.push(
        '',
        `Targets on ${label(small.size)} (medians): listener / bare ${small.vsBare.median.toFixed(2)} ` +
          `(target >= ${TARGETS.vsBare}: ${verdict(small.vsBare.median >= TARGETS.vsBare)}), listener / octokit ` +
          `${small.vsOctokit.median.toFixed(2)} (target >= ${TARGETS.vsOctokit}: ${verdict(small.vsOctokit.median >= TARGETS.vsOctokit)}).`,
      );
    }
  }
  if (results.latency) {
    const l = results.latency;
    const row = (name: string, f: LatencyFigures): string =>
      `| ${name} | ${formatSpread(f.p50Ms, 2)} | ${formatSpread(f.p99Ms, 2)} | ${formatSpread(f.maxMs, 2)} |`;
    lines.push('', '### Receive-to-stream latency', '');
    lines.push(
      `${l.ratePerS} requests/s of ${label(l.size)} for ${l.durationS} s per round after 1 s of warm-up, each to a path of its own, ` +
        `to the listener and its stream client (another process, CPU 1); each window is ${l.windowS} s (${l.ratePerS * l.windowS} events).`,
      '',
      '| measure | p50 ms | p99 ms | max ms |',
      '|---|---|---|---|',
      row(`receipt at the listener to stream client, the last ${l.windowS} s`, l.steady),
      row(`receipt at the listener to stream client, the first ${l.windowS} s (request path not yet optimized by V8)`, l.first),
      row(`send stamp in the sender to stream client, the last ${l.windowS} s`, l.sentSteady),
      ...(l.baseline ? [row(`baseline: receipt to stream client, the last ${l.windowS} s`, l.baseline.steady), row(`baseline: the first ${l.windowS} s`, l.baseline.first)] : []),
      `| floor: bare node:http round trip, same rate | ${formatSpread(l.floor.p50Ms, 2)} | ${formatSpread(l.floor.p99Ms, 2)} | |`,
      '',
      'Receipt is the moment the listener\'s HTTP server has parsed the head (in the listener\'s process): the first row is ' +
        'the target\'s measure, one hop (listener to stream client) with the verdicts and the durable write before it. The ' +
        'send stamp adds the sender-to-listener hop. The floor is one hop and back to a server that does nothing.',
      '',
      `Target: p99 from receipt < ${TARGETS.latencyP99Ms} ms once running (the last ${l.windowS} s), median over the rounds as for ` +
        `every target here: ${l.steady.p99Ms.median.toFixed(2)} ms, ${verdict(l.steady.p99Ms.median < TARGETS.latencyP99Ms)} ` +
        `(worst round ${l.steady.p99Ms.max.toFixed(2)} ms, against a floor whose worst round was ${l.floor.p99Ms.max.toFixed(2)} ms).`,
    );
  }
  if (results.startup) {
    const s = results.startup;
    lines.push('', '### Start-up', '');
    lines.push(
      `${s.runs} alternating runs of each, wall time of the whole process.`,
      '',
      '| command | ms |',
      '|---|---|',
      `| node -e 0 | ${formatSpread(s.nodeMs, 1)} |`,
      `| coreone-inspect --help | ${formatSpread(s.helpMs, 1)} |`,
      `| ratio (each pair) | ${formatSpread(s.ratio, 2)} |`,
      ...(s.baseline ? [`| baseline --help | ${formatSpread(s.baseline.helpMs, 1)} |`, `| baseline ratio | ${formatSpread(s.baseline.ratio, 2)} |`] : []),
      '',
      `Target: median ratio <= ${TARGETS.helpRatio}: ${verdict(s.ratio.median <= TARGETS.helpRatio)}.`,
    );
  }
  for (const [name, result] of Object.entries(results.programs ?? {}) as [Program, { output: string } | { skipped: string }][]) {
    lines.push('', `### ${PROGRAMS[name]}`, '');
    lines.push('skipped' in result ? `Not measured: ${result.skipped}` : ['```', result.output, '```'].join('\n'));
  }
  return lines.join('\n');
}

function percent(value: Spread): Spread {
  return { min: value.min * 100, median: value.median * 100, max: value.max * 100 };
}

function verdict(met: boolean): string {
  return met ? 'met' : 'NOT met';
}

function gitCommit(dir: string): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return null; // not a git checkout (an archive of a commit, say)
  }
}

/** The baseline's commit, when it is a checkout of its own rather than an archive (which git would take for the enclosing repository). */
function commitOf(dir: string): string {
  const commit = existsSync(join(dir, '.git')) ? gitCommit(dir) : null;
  return commit ? ` (commit ${commit})` : '';
}

function machineFacts(): { date: string; machine: string; node: string; commit: string; command: string } {
  const commit = gitCommit(ROOT) ?? 'unknown';
  const args = process.argv.slice(2);
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    machine:
      `${availableParallelism()} CPUs (nproc; ${cpus()[0]?.model.trim() ?? 'unknown model'}), ` +
      `${Math.round(totalmem() / 2 ** 30)} GiB, Linux ${release()}`,
    node: `Node ${process.version}`,
    commit,
    command: `npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`,
  };
}

/** Replaces the generated section of BENCHMARKS.md, keeping the prose around it. */
function writeResults(report: string): void {
  const section = `${START}\n${report}\n${END}`;
  const current = existsSync(BENCHMARKS_MD) ? readFileSync(BENCHMARKS_MD, 'utf8') : '';
  const from = current.indexOf(START);
  const to = current.indexOf(END);
  const next =
    from !== -1 && to > from
      ? current.slice(0, from) + section + current.slice(to + END.length)
      : `${current || '# Benchmarks\n'}\n## Latest results\n\n${section}\n`;
  writeFileSync(BENCHMARKS_MD, next);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${errorMessage(error)}\n`);
  process.exit(1);
});
