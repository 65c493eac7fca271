// The `check` job (options in cli/commands/check/command.ts): build the battery with the
// secret, make sure something answers at --to, run the cases printing each as it
// completes, then the findings. A failed case is the answer "no" (exit 1).
import { buildCases, CASE_IDS, type CheckCase } from '../../../server/check/cases.js';
import { findings, type Finding } from '../../../server/check/findings.js';
import { runBattery, unreachable, type CaseResult, type Outcome } from '../../../server/check/run.js';
import type { CheckOptions } from './options.js';
import { NegativeAnswer, UsageError, warn } from '../../errors.js';
import type { Io } from '../../io.js';
import { safeText } from '../../output/terminal-text.js';
import { SECRET_ENV, resolveSecret } from '../../options/secret.js';

const MARKS: Record<Outcome, string> = { pass: '✓', fail: '✗', warn: '!' };

export async function check(options: CheckOptions, io: Io): Promise<void> {
  const secret = resolveSecret(options, (message) => warn(io.stderr, message), io.env);
  if (secret === null) {
    throw new UsageError(`No secret to sign the battery with: give the one your handler uses with --secret-file, --secret or ${SECRET_ENV}.`);
  }
  const cases = selected(buildCases(secret), options.cases);
  const url = new URL(options.to);
  const down = await unreachable(url);
  if (down !== null) throw new UsageError(`Nothing answers at ${url.href}: ${down}`);

  if (!options.json) io.stdout.write(`Checking ${url.href}: ${cases.length} cases, one at a time.\n`);
  const results = await runBattery(url, cases, {
    timeoutMs: options.timeout,
    onResult: options.json ? undefined : (result) => io.stdout.write(caseLine(result)),
  });
  const found = findings(results);
  const count = (outcome: Outcome) => results.filter((result) => result.outcome === outcome).length;
  const totals = { passed: count('pass'), failed: count('fail'), warned: count('warn') };
  io.stdout.write(options.json ? `${JSON.stringify(jsonReport(url, results, found, totals))}\n` : summary(found, totals));
  // The report has given the answer: exit 1, saying nothing more.
  if (totals.failed > 0) throw new NegativeAnswer();
}

/** The cases --cases names, in battery order; all of them without --cases. */
function selected(cases: CheckCase[], ids: string[] | undefined): CheckCase[] {
  if (ids === undefined) return cases;
  const unknown = ids.find((id) => !(CASE_IDS as readonly string[]).includes(id));
  if (unknown !== undefined) throw new UsageError(`"${safeText(unknown)}" is not a case id; the ids are ${CASE_IDS.join(', ')}.`);
  if (ids.length === 0) throw new UsageError('--cases names no case.');
  return cases.filter((testCase) => ids.includes(testCase.id));
}

function caseLine(result: CaseResult): string {
  const status = result.status === null ? '---' : String(result.status);
  const ms = result.ms === null ? '-' : `${result.ms} ms`;
  const line = `${MARKS[result.outcome]} ${result.outcome.padEnd(4)}  ${result.id.padEnd(15)} ${status}  ${ms.padStart(7)}  ${result.title}`;
  const wanted = result.outcome === 'pass' ? null : `expected ${result.expect === 'accept' ? 'a 2xx' : 'a 4xx'}`;
  const why = [wanted, result.error === undefined ? null : safeText(result.error)].filter((part) => part !== null).join(': ');
  return why === '' ? `${line}\n` : `${line}\n      ${why}\n`;
}

function summary(found: Finding[], totals: { passed: number; failed: number; warned: number }): string {
  const lines = [`\nCases: ${totals.passed} pass, ${totals.failed} fail, ${totals.warned} warn.`];
  if (found.length === 0) {
    lines.push(totals.failed + totals.warned === 0 ? 'No findings: the handler answered every case as a correct handler must.' : 'No findings.');
  } else {
    lines.push('Findings:', ...found.map((finding) => `  - ${finding.code}: ${finding.message}`));
  }
  return `${lines.join('\n')}\n`;
}

function jsonReport(url: URL, results: CaseResult[], found: Finding[], totals: object): object {
  const cases = results.map(({ id, title, expect, status, ms, error, outcome }) => ({
    id,
    title,
    expect,
    status,
    ms,
    ...(error === undefined ? {} : { error }),
    outcome,
  }));
  return { kind: 'check', url: url.href, cases, findings: found, ...totals };
}
