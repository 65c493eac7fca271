// Placeholder until this command lands; the owner replaces the whole file.
import { Command } from 'commander';
import { UsageError } from '../errors.js';

export function listenCommand(): Command {
  return new Command('listen').description('(not built yet)').action(() => {
    throw new UsageError('The listen command is not built yet.');
  });
}
