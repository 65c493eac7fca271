// The command line's front as one CommonJS file (dist/cli/coreone-inspect.cjs): the program
// and its commands, with their options and help, which (with commander) is all `--help`,
// `--version` and a usage error need.
// Why: Node 20 starts an ES module graph through its ESM loader, which reads files with
// fs/promises (and so loads readline and streams) and links each of our modules in turn;
// `--help` from tsc's ESM output took 1.45x `node -e 0`, and from this file about 1.2x.
// What a command loads when it runs (cli/*-run.js, the TUI, the server) stays tsc's ESM
// output, imported from here with a real import(): the front and those modules share no
// state, and errors are told apart by their exitCode, not their class (cli/errors.ts).
// The second build is the web inspector's page (web/), for browsers: one script with the
// shared client model and preact, its style sheet and its HTML beside it in dist/web.
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'rolldown';

const OUT_DIR = 'dist/cli';

const cli = defineConfig({
  input: { 'coreone-inspect': 'dist/cli/index.js' },
  platform: 'node',
  // Packages stay require()s: commander is the only one here.
  external: (id) => !id.startsWith('.') && !id.startsWith('/'),
  plugins: [
    {
      name: 'jobs-stay-esm',
      // A command's job is a dynamic import: keep it one, pointing at tsc's output from here.
      resolveDynamicImport(specifier, importer) {
        if (typeof specifier !== 'string' || !specifier.startsWith('.') || !importer) return null;
        const target = relative(resolve(OUT_DIR), resolve(dirname(importer), specifier));
        // An import specifier is a URL path: forward slashes on every platform.
        return { id: `./${target.split(sep).join('/')}`, external: true };
      },
    },
  ],
  output: { dir: OUT_DIR, format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: '[name]-[hash].cjs' },
});

// The third is the TUI (dist/cli/ui/tui.js, loaded by cli/ui/run.ts loadTui): mount.js and
// all it imports, packages too, in one ES module, so that tree-shaking drops what Ink
// imports and never runs. Why: Ink takes `throttle` from es-toolkit's `compat` entry, whose
// 415 modules cost the TUI's process 22 MB of RSS and 0.4 s to load. React picks its build
// from NODE_ENV, which the TUI's process always sets to production (run.ts), so only that
// build is kept. `ws` stays a package: `listen` loads it for the server anyway.
const INK_OUTPUT_IMPORT = 'import(inkOutputUrl())';
const inkOutputFile = fileURLToPath(new URL('output.js', import.meta.resolve('ink')));

const tui = defineConfig({
  input: { tui: 'dist/cli/ui/mount.js' },
  platform: 'node',
  // react-devtools-core: Ink imports it only when DEV=true, and it is not installed.
  external: ['ws', 'react-devtools-core'],
  transform: { define: { 'process.env.NODE_ENV': '"production"' } },
  plugins: [
    {
      name: 'ink-output-in-bundle',
      // ink-output.ts replaces a method of Ink's Output class in the module Ink's renderer
      // imports, found at run time beside Ink's entry point. In this bundle that module is
      // the bundled copy: point the import at it, or the bundle would patch a copy it never uses.
      transform(code, id) {
        if (!id.endsWith(`${sep}cli${sep}ui${sep}ink-output.js`)) return null;
        if (!code.includes(INK_OUTPUT_IMPORT)) this.error(`ink-output.js no longer holds ${INK_OUTPUT_IMPORT}: update rolldown.config.mjs`);
        return code.replace(INK_OUTPUT_IMPORT, `import(${JSON.stringify(inkOutputFile)})`);
      },
    },
  ],
  output: { dir: OUT_DIR + '/ui', format: 'esm', entryFileNames: '[name].js', chunkFileNames: 'tui-[name]-[hash].js', minify: true },
});

const web = defineConfig({
  input: { app: 'web/main.tsx' },
  platform: 'browser',
  tsconfig: 'web/tsconfig.json',
  // The sources import each other as `.js`, as Node's ESM wants; here they are `.ts`.
  resolve: { extensionAlias: { '.js': ['.ts', '.tsx', '.js'] } },
  plugins: [
    {
      name: 'page-files',
      generateBundle() {
        for (const fileName of ['index.html', 'app.css']) {
          this.emitFile({ type: 'asset', fileName, source: readFileSync(`web/${fileName}`) });
        }
      },
    },
  ],
  output: { dir: 'dist/web', format: 'esm', entryFileNames: '[name].js', minify: true },
});

export default [cli, tui, web];
