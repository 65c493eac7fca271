// The commander program. Each command lives in cli/commands/<name>/command.ts and returns
// a Command; heavy modules (Ink, react, the tunnel client) are imported inside actions
// only, so `--help`, `verify`, `types` and `--json` start fast. Everything the program
// reads and writes goes through the Io it is given, so tests run it in-process
// (test/helpers/run-cli.ts); cli/index.ts runs it on the real process.
import { Command, CommanderError } from 'commander';
import { reportFailure } from './errors.js';
import type { Io, OutStream } from './io.js';
import { VERSION } from './version.js';
import { listenCommand } from './commands/listen/command.js';
import { attachCommand } from './commands/attach/command.js';
import { sendCommand } from './commands/send/command.js';
import { replayCommand } from './commands/replay/command.js';
import { verifyCommand } from './commands/verify/command.js';
import { typesCommand } from './commands/types/command.js';
import { schemaCommand } from './commands/schema/command.js';
import { exportCommand } from './commands/export/command.js';
import { curlCommand } from './commands/curl/command.js';
import { checkCommand } from './commands/check/command.js';
import { snippetCommand } from './commands/snippet/command.js';

export function buildProgram(io: Io): Command {
  const program = new Command('coreone-inspect')
    .description('Receive, verify, explain and diff CoreOne for Labs webhooks.')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)');
  program.addCommand(listenCommand(io), { isDefault: true });
  program.addCommand(attachCommand());
  program.addCommand(sendCommand(io));
  program.addCommand(replayCommand(io));
  program.addCommand(verifyCommand(io));
  program.addCommand(typesCommand(io));
  program.addCommand(schemaCommand(io));
  program.addCommand(exportCommand(io));
  program.addCommand(curlCommand(io));
  program.addCommand(checkCommand(io));
  program.addCommand(snippetCommand(io));
  configure(program, io);
  return program;
}

/** Help width as commander reckons it by default, but from io's stream: the terminal's, else 80. */
const helpWidth = (stream: OutStream) => (): number => (stream.isTTY && stream.columns ? stream.columns : 80);

/**
 * Commander throws instead of exiting (run() picks the exit code) and writes help and its
 * errors to io. Added commands do not inherit either setting, so each gets both.
 */
function configure(command: Command, io: Io): void {
  command.exitOverride().configureOutput({
    writeOut: (text) => io.stdout.write(text),
    writeErr: (text) => io.stderr.write(text),
    getOutHelpWidth: helpWidth(io.stdout),
    getErrHelpWidth: helpWidth(io.stderr),
  });
  for (const sub of command.commands) configure(sub, io);
}

/** Runs the program on `argv` (as process.argv: node, script, arguments) and returns the exit code. */
export async function run(argv: string[], io: Io): Promise<number> {
  try {
    await buildProgram(io).parseAsync(argv);
    return 0;
  } catch (error) {
    // commander has already printed its one-line message; usage errors exit 2 (SPEC.md),
    // help and version 0.
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    return reportFailure(error, io);
  }
}
