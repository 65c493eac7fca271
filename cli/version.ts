import { readFileSync } from 'node:fs';

// dist/cli/version.js and cli/version.ts both sit two levels below package.json... but not
// at the same depth, so look upward for the package.json that names this package.
function readVersion(): string {
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'coreone-inspect' && pkg.version) return pkg.version;
    } catch {
      // not this level; try the next
    }
  }
  return '0.0.0';
}

export const VERSION = readVersion();
