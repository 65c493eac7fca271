/**
 * A file the build puts beside a compiled server module: a WebAssembly module, a worker's
 * entry. Built code finds it beside itself. Code run from its TypeScript source (the tests,
 * under vitest) finds it at the same place under dist/, which vitest's global setup builds
 * from the tree before any test runs (test/helpers/build.ts), so it is never stale.
 */
const ROOT = new URL('../', import.meta.url);

export function builtFile(moduleUrl: string, name: string): URL {
  const beside = new URL(name, moduleUrl);
  if (!moduleUrl.endsWith('.ts')) return beside;
  return new URL(`dist/${beside.href.slice(ROOT.href.length)}`, ROOT);
}
