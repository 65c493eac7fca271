// The `types` job (options in cli/commands/types/command.ts): the catalogue as a table or JSON.
import { WEBHOOK_TYPES } from '../../../server/catalogue/webhook-types.js';
import type { Io } from '../../io.js';

export function types(options: { json?: boolean }, io: Pick<Io, 'stdout'>): void {
  if (options.json) {
    io.stdout.write(`${JSON.stringify(WEBHOOK_TYPES, null, 2)}\n`);
    return;
  }
  const width = Math.max(...WEBHOOK_TYPES.map((t) => t.type.length));
  const lines = WEBHOOK_TYPES.map((t) => `${t.type.padEnd(width)}  ${t.firesWhen}`);
  io.stdout.write(`${lines.join('\n')}\n${WEBHOOK_TYPES.length} types.\n`);
}
