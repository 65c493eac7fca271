// `coreone-inspect export --har <file>`: the event log as a HAR 1.2 archive (SPEC.md
// "Schemas, drift and exports"). The job itself (job.ts) is imported only when it runs.
import { Command } from 'commander';
import type { Io } from '../../io.js';
import { DEFAULT_LOG } from '../listen/command.js';
import type { ExportOptions } from './options.js';

export function exportCommand(io: Io): Command {
  return new Command('export')
    .description('Write the events of the log as a HAR 1.2 archive, bodies byte-exact, for HTTP tools and browsers.')
    .requiredOption('--har <file>', 'the HAR file to write; - writes it to standard output')
    .option('--log <file>', 'the event log to read', DEFAULT_LOG)
    .option('--type <prefix>', 'only events whose type starts with this, e.g. accession/')
    .action(async (options: ExportOptions) => {
      const { exportHar } = await import('./job.js');
      await exportHar(options, io);
    });
}
