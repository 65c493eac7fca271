// Placeholder until this command lands; the owner replaces the whole file.
import { Command } from 'commander';
import { UsageError } from '../errors.js';

export function verifyCommand(): Command {
  return new Command('verify').description('(not built yet)').action(() => {
    throw new UsageError('The verify command is not built yet.');
  });
}
