// vitest's global setup: builds the tree once before any test runs, so that every test
// that runs built code (the bin, the tunnel worker, the WebAssembly escaping) runs the
// sources as they are now, never an earlier build (`npx vitest run` alone is enough).
// tsc emits even when the tree has a type error; the tests then run what it emitted, and
// the type error is `npm test`'s typecheck to report (package.json pretest), not a reason
// to run none of them.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function run(command: string, args: string[], tolerateFailure = false): void {
  try {
    execFileSync(command, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  } catch (error) {
    if (!tolerateFailure) throw error;
  }
}

export default function build(): void {
  run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], true);
  run(process.execPath, ['scripts/build-wasm.mjs']);
  run(process.execPath, ['node_modules/rolldown/bin/cli.mjs', '-c', 'rolldown.config.mjs', '--logLevel', 'warn']);
}
