// The WebAssembly modules the build compiles from server/speed/*.wat (scripts/build-wasm.mjs).
import { readFileSync } from 'node:fs';
import { builtFile } from '../built-file.js';

// @types/node 20 does not declare WebAssembly (TypeScript's DOM library does): what is used here.
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
};

/**
 * Compiles <name>.wasm (built beside this module) once (synchronously: these modules are a few hundred
 * bytes) and returns what makes an instance of it, its exports typed as `Exports`.
 */
export function wasmModule<Exports>(name: string): () => Exports {
  const module = new WebAssembly.Module(readFileSync(builtFile(import.meta.url, `${name}.wasm`)));
  return () => new WebAssembly.Instance(module).exports as Exports;
}
