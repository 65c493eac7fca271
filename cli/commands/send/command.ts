// `coreone-inspect send <type> --to <url>`: sign and POST a test webhook, the vendor's
// "send a test" step, from the developer's terminal. The body is a built-in sample for
// the type (illustrative: CoreOne does not publish per-type fields) or a real one given
// with --data. Also home of the delivery options `replay` takes the same way. The job
// itself (job.ts) is imported only when it runs.
import { Command } from 'commander';
import type { Io } from '../../io.js';
import { DEFAULT_TIMEOUT_MS } from '../../../server/defaults.js';
import { parseHttpUrl, parseMilliseconds } from '../../options/parsers.js';
import { addSecretOptions } from '../../options/secret.js';
import type { SendOptions } from './options.js';

export function sendCommand(io: Io): Command {
  const command = new Command('send')
    .description('Sign and POST a test webhook of one type, with an illustrative sample body unless --data is given.')
    .argument('<type>', 'the webhook type, e.g. accession/status_change (`coreone-inspect types` lists them)')
    .option('--data <file>', 'send this file as the body instead of the sample; "-" reads standard input');
  addDeliveryOptions(command);
  return command
    .addHelpText(
      'after',
      `
The built-in sample bodies are ILLUSTRATIVE: CoreOne does not publish the fields of each
webhook type, so the samples are plausible inventions for a veterinary lab (accession
numbers, clients, lab sections, species), not real CoreOne payloads. Use --data with a
captured body (or replay a saved fixture) to test against the real thing.

Exit status: 0 on a 2xx reply, 1 on any other reply or no reply, 2 on bad usage.`,
    )
    .action(async (type: string, options: SendOptions) => {
      const { send } = await import('./job.js');
      await send(type, options, io);
    });
}

/** --to, --unsigned, --timeout and the secret options, as `send` and `replay` take them. */
export function addDeliveryOptions(command: Command): Command {
  command
    .requiredOption('--to <url>', 'where to POST, e.g. http://localhost:3000/webhooks', parseHttpUrl)
    .option('--unsigned', 'send no X-Coreone-Webhook-Hash header (no secret needed)')
    .option('--timeout <ms>', 'give up on the reply after this many milliseconds', parseMilliseconds, DEFAULT_TIMEOUT_MS);
  return addSecretOptions(command);
}
