// commander, loaded through its CommonJS entry; every CLI module takes it from here.
// commander is a CommonJS package whose ESM entry (esm.mjs) only re-exports index.js.
// Through that entry, Node 20's ESM loader scans index.js for its exports and resolves
// the package's `exports` map once for each module that imports 'commander'; require()
// does neither. Measured on `--help` (2 CPUs, Node 20.20): about 8 ms less, out of a
// budget of ~30 ms over `node -e 0` (bench/startup.ts).
import { createRequire } from 'node:module';

const commander = createRequire(import.meta.url)('commander') as typeof import('commander');

export const { Command, Option, InvalidArgumentError, CommanderError } = commander;
export type Command = import('commander').Command;
export type Option = import('commander').Option;
export type InvalidArgumentError = import('commander').InvalidArgumentError;
export type CommanderError = import('commander').CommanderError;
