// Errors a command throws to end the program with one clear sentence (no stack trace
// unless DEBUG is set). The class picks the exit code of ../shared/SPEC.md.

/** A warning on stderr, one line, that never stops the command. */
export function warn(message: string): void {
  process.stderr.write(`coreone-inspect: warning: ${message}\n`);
}

/** Bad usage or bad input: unknown flag, unreadable file, bad URL. Exit 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
}

/** The operation ran and its answer is "no" (invalid signature, non-2xx reply). Exit 1. */
export class NoError extends Error {
  readonly exitCode = 1;
}

/**
 * The exit code an error asks for, read from the error rather than its class: the program's
 * front (dist/cli/coreone-inspect.cjs, a bundle) and the jobs it imports when a command runs
 * (tsc's ES modules) each have their own copy of these classes (rolldown.config.mjs).
 */
export function exitCodeOf(error: unknown): number {
  const code = typeof error === 'object' && error !== null ? (error as { exitCode?: unknown }).exitCode : undefined;
  return code === 1 || code === 2 ? code : 1;
}

/** One sentence for the user; the stack only when DEBUG is set. */
export function describeError(error: unknown): string {
  if (process.env.DEBUG && error instanceof Error && error.stack) return error.stack;
  if (error instanceof Error) return error.message;
  return String(error);
}
