// Independent senders for the signature tests: openssl and python3 compute the hashes a
// mistaken integration would send, from bodies written to temp files, so no test checks
// our signing code against itself.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

let dir: string | undefined;
let files = 0;

/** Writes the bytes to a new temp file and returns its path. */
function tempFile(bytes: Uint8Array | string): string {
  dir ??= mkdtempSync(path.join(tmpdir(), 'coreone-signature-'));
  const file = path.join(dir, `body-${files++}`);
  writeFileSync(file, bytes);
  return file;
}

/** Removes the temp files (call from afterAll). */
export function removeTempFiles(): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
}

function run(command: string, args: string[], input?: Uint8Array): Buffer {
  const result = spawnSync(command, args, { input, maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${args[0]} failed: ${result.stderr.toString().trim()}`);
  return result.stdout;
}

export interface HmacOptions {
  /** The key is these bytes, given to openssl as hex (for keys no argv can carry). */
  keyBytes?: Uint8Array;
  /** Raw digest bytes instead of hex. */
  binary?: boolean;
}

/** `openssl dgst -<algorithm> -hmac <key> <file>`: hex, or raw bytes with `binary`. */
export function opensslHmac(algorithm: string, key: string, body: Uint8Array | string, options: HmacOptions & { binary: true }): Buffer;
export function opensslHmac(algorithm: string, key: string, body: Uint8Array | string, options?: HmacOptions): string;
export function opensslHmac(algorithm: string, key: string, body: Uint8Array | string, options: HmacOptions = {}): string | Buffer {
  const keyArgs = options.keyBytes
    ? ['-mac', 'HMAC', '-macopt', `hexkey:${Buffer.from(options.keyBytes).toString('hex')}`]
    : ['-hmac', key];
  return dgst([`-${algorithm}`, ...keyArgs], body, options.binary ?? false);
}

/** `openssl dgst -<algorithm> <file>`: a plain digest, hex. */
export function opensslDigest(algorithm: string, body: Uint8Array | string): string {
  return dgst([`-${algorithm}`], body, false) as string;
}

function dgst(args: string[], body: Uint8Array | string, binary: boolean): string | Buffer {
  const file = tempFile(body);
  if (binary) return run('openssl', ['dgst', ...args, '-binary', file]);
  // -r prints "<hex> *<file>".
  const hex = run('openssl', ['dgst', ...args, '-r', file]).toString().split(' ')[0];
  if (!hex || !/^[0-9a-f]+$/.test(hex)) throw new Error(`openssl printed no digest for ${args.join(' ')}`);
  return hex;
}

/** `openssl base64 -A`: one line of standard base64. */
export function opensslBase64(bytes: Uint8Array): string {
  return run('openssl', ['base64', '-A'], bytes).toString().trim();
}

const PYTHON_RUNNER = `
import sys, json, hmac, hashlib, base64, re, io, contextlib
results = []
for job in json.load(open(sys.argv[1])):
    printed = io.StringIO()
    scope = {"json": json, "hmac": hmac, "hashlib": hashlib, "base64": base64, "re": re,
             "body": open(job["file"], "rb").read(), "secret": job["secret"]}
    with contextlib.redirect_stdout(printed):
        exec(job["snippet"], scope)
    results.append(printed.getvalue().strip())
print(json.dumps(results))
`;

/**
 * python3 snippets run as one batch (one interpreter start, not one per snippet). Each
 * snippet sees `body` (bytes), `secret` (str) and json, hmac, hashlib, base64 and re,
 * and prints its answer. `add` returns a getter; the batch runs on the first get.
 */
export class PythonBatch {
  #jobs: Array<{ snippet: string; file: string; secret: string }> = [];
  #results: string[] | undefined;

  add(snippet: string, body: Uint8Array | string, secret: string): () => string {
    if (this.#results) throw new Error('PythonBatch: add every snippet before the first result is read');
    const index = this.#jobs.push({ snippet, file: tempFile(body), secret }) - 1;
    return () => {
      this.#results ??= JSON.parse(run('python3', ['-c', PYTHON_RUNNER, tempFile(JSON.stringify(this.#jobs))]).toString()) as string[];
      const result = this.#results[index];
      if (result === undefined) throw new Error(`python printed nothing for: ${snippet}`);
      return result;
    };
  }
}
