// How a command ends when it does not succeed, in the three kinds of Shopify cli-kit
// (abort / external / bug), with the exit codes of ../shared/SPEC.md:
// - UsageError: the user's mistake or bad input (unknown flag, unreadable file, bad URL):
//   one sentence, exit 2;
// - NegativeAnswer: the operation ran and its answer is "no" (invalid signature, non-2xx
//   reply): one sentence, exit 1;
// - anything else thrown is a bug in coreone-inspect: its stack trace and a request to
//   report it, exit 1 (never 2: a bug is not the user's mistake).
// Jobs turn every failure they expect (a file that cannot be read, a port in use, a
// corrupt fixture) into one of the first two, so only bugs reach the third.
import type { Io } from './io.js';

/** A warning on the given stream, one line, that never stops the command. */
export function warn(stream: NodeJS.WritableStream, message: string): void {
  stream.write(`coreone-inspect: warning: ${message}\n`);
}

/** Bad usage or bad input: unknown flag, unreadable file, bad URL. Exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly exitCode = 2;
}

/**
 * The operation ran and its answer is "no" (invalid signature, non-2xx reply). Exit 1.
 * Without a message when the command's own output has already given the answer (verify's
 * report): nothing more is printed then.
 */
export class NegativeAnswer extends Error {
  override readonly name = 'NegativeAnswer';
  readonly exitCode = 1;
  constructor(message = '') {
    super(message);
  }
}

const BUG_REQUEST =
  'this is a bug in coreone-inspect, not in how it was used; please report it to the coreone-inspect maintainers with the lines above.';

/**
 * The exit code of an expected failure (UsageError, NegativeAnswer), or undefined for a
 * bug. Read from the error rather than its class: the program's front
 * (dist/cli/coreone-inspect.cjs, a bundle) and the jobs it imports when a command runs
 * (tsc's ES modules) each have their own copy of these classes (rolldown.config.mjs).
 */
function expectedExitCode(error: unknown): 1 | 2 | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { exitCode?: unknown }).exitCode;
  return code === 1 || code === 2 ? code : undefined;
}

/** The stack trace (or the value, when what was thrown is no Error), then the request to report it. */
export function bugReport(error: unknown, stillRunning = false): string {
  const trace = error instanceof Error && error.stack ? error.stack : String(error);
  const request = stillRunning ? `${BUG_REQUEST} coreone-inspect keeps running.` : BUG_REQUEST;
  return `coreone-inspect: ${trace}\ncoreone-inspect: ${request}\n`;
}

/**
 * Says on io.stderr why the command failed and returns its exit code: for an expected
 * failure one sentence (its stack trace too when DEBUG is set), for a bug the report.
 */
export function reportFailure(error: unknown, io: Pick<Io, 'stderr' | 'env'>): number {
  const code = expectedExitCode(error);
  if (code === undefined) {
    io.stderr.write(bugReport(error));
    return 1;
  }
  const { message, stack } = error as Error;
  if (message !== '') io.stderr.write(`coreone-inspect: ${io.env.DEBUG && stack ? stack : message}\n`);
  return code;
}
