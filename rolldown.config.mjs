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

export default [cli, web];
