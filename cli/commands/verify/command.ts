// `coreone-inspect verify`: the listener's verdict and diagnosis for one body and hash,
// given as files (`--body <file>|- --hash <hex>`) or as a saved fixture (its recorded hash
// against its body). Exit 0 valid, 1 not valid, 2 bad usage, no secret or unreadable input.
// The job itself (job.ts) is imported only when it runs.
import { Command } from 'commander';
import type { Io } from '../../io.js';
import { SECRET_ENV, addSecretOptions } from '../../options/secret.js';
import type { VerifyOptions } from './options.js';

export function verifyCommand(io: Io): Command {
  const command = new Command('verify')
    .description("Check a body's X-Coreone-Webhook-Hash against the secret, and say which mistake produced a wrong one.")
    .argument('[fixture]', 'a fixture file saved by the listener: its recorded hash is checked against its body')
    .option('--body <file>', 'the body exactly as received: a file, or - for standard input')
    .option('--hash <hex>', 'the X-Coreone-Webhook-Hash value that came with the body')
    .option('--computed <hex>', 'instead of --hash: the hash your own handler computed for the body, diagnosed as your handler\'s mistake')
    .option('--json', 'print the signature verdict as one JSON object');
  addSecretOptions(command);
  return command
    .addHelpText(
      'after',
      `
Give either a fixture, or --body and --hash. With --computed, the hash is the one your
handler computed (log it there): the answer says what your handler does wrong, and
--json adds "side": "receiver". The secret comes from --secret,
--secret-file or ${SECRET_ENV} (the first one given), as for the listener.

Exit status: 0 when the hash is valid, 1 when it is not (invalid, malformed or missing),
2 on bad usage, no secret, or an unreadable body or fixture.`,
    )
    .action(async (fixture: string | undefined, options: VerifyOptions) => {
      const { verify } = await import('./job.js');
      await verify(fixture, options, io);
    });
}
