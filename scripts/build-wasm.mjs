// Compiles each WebAssembly text module of server/speed/ (*.wat) into dist/server/speed/*.wasm,
// beside the compiled modules that load them. Part of `npm run build`; wabt (the
// WebAssembly binary toolkit's own text assembler, built for JavaScript) is needed only here.
import { readdirSync, readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import wabt from 'wabt';

const SOURCE = 'server/speed';
const OUT = 'dist/server/speed';
const toolkit = await wabt();
mkdirSync(OUT, { recursive: true });
for (const name of readdirSync(SOURCE).filter((file) => file.endsWith('.wat'))) {
  let module;
  try {
    module = toolkit.parseWat(name, readFileSync(join(SOURCE, name), 'utf8'), { simd: true });
    module.validate();
    writeFileSync(join(OUT, name.replace(/\.wat$/, '.wasm')), module.toBinary({}).buffer);
  } catch (error) {
    // wabt's errors carry its own (minified) source in their stack: the message says it all.
    console.error(`build-wasm: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  } finally {
    module?.destroy();
  }
}
