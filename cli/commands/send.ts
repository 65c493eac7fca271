// Placeholder until this command lands; the owner replaces the whole file.
import { Command } from 'commander';
import { UsageError } from '../errors.js';

export function sendCommand(): Command {
  return new Command('send').description('(not built yet)').action(() => {
    throw new UsageError('The send command is not built yet.');
  });
}
