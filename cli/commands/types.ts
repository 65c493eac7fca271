// Placeholder until this command lands; the owner replaces the whole file.
import { Command } from 'commander';
import { UsageError } from '../errors.js';

export function typesCommand(): Command {
  return new Command('types').description('(not built yet)').action(() => {
    throw new UsageError('The types command is not built yet.');
  });
}
