#!/usr/bin/env node
// The bin: the program (cli/program.ts) on the real process. rolldown bundles this file
// and the program's front into dist/cli/coreone-inspect.cjs (rolldown.config.mjs).
import { processIo } from './io.js';
import { run } from './program.js';

// `coreone-inspect --help | head` closes our stdout early: that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
});

// Not a top-level await: this module is also bundled as CommonJS (rolldown.config.mjs).
void run(process.argv, processIo).then((code) => {
  process.exitCode = code;
});
