#!/usr/bin/env node
// The commander program. Each command lives in cli/commands/<name>.ts and returns a
// Command; heavy modules (Ink, react, the tunnel client) are imported inside actions only,
// so `--help`, `verify`, `types` and `--json` start fast.
import { Command, CommanderError } from './commander.js';
import { describeError, exitCodeOf } from './errors.js';
import { VERSION } from './version.js';
import { listenCommand } from './commands/listen/command.js';
import { attachCommand } from './commands/attach/command.js';
import { sendCommand } from './commands/send/command.js';
import { replayCommand } from './commands/replay/command.js';
import { verifyCommand } from './commands/verify/command.js';
import { typesCommand } from './commands/types/command.js';

export function buildProgram(): Command {
  const program = new Command('coreone-inspect')
    .description('Receive, verify, explain and diff CoreOne for Labs webhooks.')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)');
  program.addCommand(listenCommand(), { isDefault: true });
  program.addCommand(attachCommand());
  program.addCommand(sendCommand());
  program.addCommand(replayCommand());
  program.addCommand(verifyCommand());
  program.addCommand(typesCommand());
  return program;
}

/** Usage errors from commander exit 2 (SPEC.md), help and version exit 0. */
function applyExitOverride(command: Command): void {
  command.exitOverride();
  for (const sub of command.commands) applyExitOverride(sub);
}

async function main(argv: string[]): Promise<void> {
  // `coreone-inspect --help | head` closes our stdout early: that is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
  });
  const program = buildProgram();
  applyExitOverride(program);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander has already printed its one-line message to stderr.
      const ok = error.exitCode === 0;
      process.exitCode = ok ? 0 : 2;
      return;
    }
    process.stderr.write(`coreone-inspect: ${describeError(error)}\n`);
    process.exitCode = exitCodeOf(error);
  }
}

// Not a top-level await: this module is also bundled as CommonJS (rolldown.config.mjs).
void main(process.argv);
