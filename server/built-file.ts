/**
 * A file the build puts beside the compiled server modules (dist/server): a WebAssembly
 * module, a worker's entry. Found beside this module once built; when the server runs from
 * its TypeScript source (the tests, under vitest), in the build's output.
 */
export function builtFile(name: string): URL {
  return new URL(import.meta.url.endsWith('.ts') ? `../dist/server/${name}` : `./${name}`, import.meta.url);
}
