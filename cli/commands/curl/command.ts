// `coreone-inspect curl <fixture>`: print one POSIX shell command that sends the fixture
// again, its body bytes and headers exactly, the original hash included (SPEC.md
// "Schemas, drift and exports"). The job itself (job.ts) is imported only when it runs.
import { Command } from 'commander';
import type { Io } from '../../io.js';
import { parseHttpUrl } from '../../options/parsers.js';
import { DEFAULT_PORT } from '../listen/command.js';
import type { CurlOptions } from './options.js';

export function curlCommand(io: Io): Command {
  return new Command('curl')
    .description('Print a shell command (printf | curl) that re-sends a fixture byte for byte, with its recorded headers and hash.')
    .argument('<fixture>', 'a fixture file saved by the listener')
    .option('--to <url>', "where the command sends it (default: the listener's default URL)", parseHttpUrl, `http://127.0.0.1:${DEFAULT_PORT}/`)
    .action(async (fixture: string, options: CurlOptions) => {
      const { printCurl } = await import('./job.js');
      await printCurl(fixture, options, io);
    });
}
