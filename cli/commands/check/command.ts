// `coreone-inspect check --to <url>`: the battery of SPEC.md "Your handler" against the
// user's own running handler, case by case, then the findings. The job (job.ts) and the
// battery it runs are imported only when it runs.
import { Command } from 'commander';
import type { Io } from '../../io.js';
import { DEFAULT_TIMEOUT_MS } from '../../../server/defaults.js';
import { parseHttpUrl, parseMilliseconds } from '../../options/parsers.js';
import { SECRET_ENV, addSecretOptions } from '../../options/secret.js';
import type { CheckOptions } from './options.js';

const parseIds = (value: string): string[] => value.split(',').map((id) => id.trim()).filter((id) => id !== '');

export function checkCommand(io: Io): Command {
  const command = new Command('check')
    .description('Send a battery of webhooks to your running handler and say whether it accepts and rejects what it must.')
    .requiredOption('--to <url>', 'your handler, e.g. http://localhost:3000/webhooks', parseHttpUrl)
    .option('--json', 'print the result as one JSON object')
    .option('--timeout <ms>', 'fail a case whose reply takes longer than this', parseMilliseconds, DEFAULT_TIMEOUT_MS)
    .option('--cases <id,...>', 'run only these cases (in the battery order)', parseIds);
  addSecretOptions(command);
  return command
    .addHelpText(
      'after',
      `
Sign with the secret your handler is configured with (--secret-file, --secret or
${SECRET_ENV}); only hashes are sent, never the secret. Cases run one at a time in a
fixed order; redirects are not followed.

Cases: valid, valid-pretty, valid-spaced, valid-unicode, valid-escapes, valid-large,
uppercase-hash, unknown-type, every-type, replayed (accepted by a correct handler);
tampered-body, wrong-secret, missing-hash, malformed-hash (rejected).

Exit status: 0 when no case fails, 1 when one does, 2 on bad usage, no secret, or when
nothing answers at --to.`,
    )
    .action(async (options: CheckOptions) => {
      const { check } = await import('./job.js');
      await check(options, io);
    });
}
