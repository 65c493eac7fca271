// Placeholder until this command lands; the owner replaces the whole file.
import { Command } from 'commander';
import { UsageError } from '../errors.js';

export function replayCommand(): Command {
  return new Command('replay').description('(not built yet)').action(() => {
    throw new UsageError('The replay command is not built yet.');
  });
}
