// vitest's global setup: builds the tree once before any test runs, so that every test
// that runs built code (the bin, the tunnel worker, the WebAssembly escaping) runs the
// sources as they are now, never an earlier build (`npx vitest run` alone is enough).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export default function build(): void {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
}
