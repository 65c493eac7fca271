// `coreone-inspect types [--json]`: the 33 catalogued webhook types and what fires them.
// The catalogue is imported only when the command runs, so `--help` does not load it.
import { Command } from '../../commander.js';

export function typesCommand(): Command {
  return new Command('types')
    .description('List the 33 CoreOne webhook types and what fires each.')
    .option('--json', 'print a JSON array of {type, resource, firesWhen}')
    .action(async (options: { json?: boolean }) => {
      const { WEBHOOK_TYPES } = await import('../../../server/catalogue/webhook-types.js');
      if (options.json) {
        process.stdout.write(`${JSON.stringify(WEBHOOK_TYPES, null, 2)}\n`);
        return;
      }
      const width = Math.max(...WEBHOOK_TYPES.map((t) => t.type.length));
      const lines = WEBHOOK_TYPES.map((t) => `${t.type.padEnd(width)}  ${t.firesWhen}`);
      process.stdout.write(`${lines.join('\n')}\n${WEBHOOK_TYPES.length} types.\n`);
    });
}
