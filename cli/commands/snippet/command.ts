// `coreone-inspect snippet [<name>] [--list]`: print a complete, minimal webhook handler for
// a framework, one of the files under snippets/ (which the test suite runs with `check`).
// The job (job.ts) is imported only when it runs.
import { Command } from 'commander';
import type { Io } from '../../io.js';

export function snippetCommand(io: Io): Command {
  return new Command('snippet')
    .description('Print a minimal, correct webhook handler for a framework (node, express, fastify, python, flask, php).')
    .argument('[name]', 'the framework; without it, the list')
    .option('--list', 'list the snippets')
    .addHelpText(
      'after',
      `
Each snippet verifies X-Coreone-Webhook-Hash over the raw request bytes in constant time,
answers 401 to a missing or wrong hash and 2xx otherwise (unknown types included), reads
the secret from COREONE_WEBHOOK_SECRET and serves POST /webhooks on PORT (default 3000).
Save it, start it, then run: coreone-inspect check --to http://localhost:3000/webhooks

Exit status: 0, or 2 for an unknown name.`,
    )
    .action(async (name: string | undefined, options: { list?: boolean }) => {
      const { snippet } = await import('./job.js');
      await snippet(name, options, io);
    });
}
