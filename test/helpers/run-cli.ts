// Runs the command line IN-PROCESS: the commander program of cli/program.ts on an Io made
// of buffers, so a test reads exactly what a command wrote to stdout and stderr and the
// exit code it chose, from the sources as they are in the tree. The few end-to-end tests
// that need the real bin spawn it instead (cli-process.ts).
import { Readable, Writable } from 'node:stream';
import type { Io } from '../../cli/io.js';
import { run } from '../../cli/program.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliInput {
  /** Standard input (`--data -`, `--body -`); empty when not given. */
  input?: string | Buffer;
  /** Over the test process's environment, less any secret the developer running the tests has set. */
  env?: NodeJS.ProcessEnv;
}

/** An output stream that keeps what is written to it. */
export class Recorder extends Writable {
  #chunks: Buffer[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.#chunks.push(chunk);
    done();
  }
  text(): string {
    return Buffer.concat(this.#chunks).toString('utf8');
  }
}

/** An Io for one in-process run, and the recorders of its two output streams. */
export function testIo({ input, env = {} }: CliInput = {}): { io: Io; stdout: Recorder; stderr: Recorder } {
  const { COREONE_WEBHOOK_SECRET: _ignored, ...base } = process.env;
  const stdout = new Recorder();
  const stderr = new Recorder();
  const stdin = Readable.from(input === undefined ? [] : [Buffer.from(input)]);
  return { io: { stdin, stdout, stderr, env: { ...base, ...env } }, stdout, stderr };
}

/** `coreone-inspect <args>` in-process, to completion. */
export async function runCli(args: string[], options: CliInput = {}): Promise<CliRun> {
  const { io, stdout, stderr } = testIo(options);
  const code = await run(['node', 'coreone-inspect', ...args], io);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}
