// Placeholder until this command lands; the owner replaces the whole file.
import { Command } from 'commander';
import { UsageError } from '../errors.js';

export function attachCommand(): Command {
  return new Command('attach').description('(not built yet)').action(() => {
    throw new UsageError('The attach command is not built yet.');
  });
}
