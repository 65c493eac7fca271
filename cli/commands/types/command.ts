// `coreone-inspect types [--json]`: the 33 catalogued webhook types and what fires them.
// The job (job.ts), and with it the catalogue, is imported only when the command runs, so
// `--help` does not load it.
import { Command } from 'commander';
import type { Io } from '../../io.js';

export function typesCommand(io: Io): Command {
  return new Command('types')
    .description('List the 33 CoreOne webhook types and what fires each.')
    .option('--json', 'print a JSON array of {type, resource, firesWhen}')
    .action(async (options: { json?: boolean }) => {
      const { types } = await import('./job.js');
      types(options, io);
    });
}
