// What a command reads and writes, passed to it rather than taken from `process`, as
// smee-client takes its logger: the bin passes the real process (processIo), a test its
// own streams and environment, so a command runs in-process and its output is read back
// exactly (test/helpers/run-cli.ts). Kept free of imports: the bundled front loads it.

/** An output stream; the TTY fields say whether a screen is on the other end (TUI, help width). */
export interface OutStream extends NodeJS.WritableStream {
  isTTY?: boolean;
  columns?: number;
}

export interface Io {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: OutStream;
  stderr: OutStream;
  env: NodeJS.ProcessEnv;
}

/**
 * The real process. Getters, because Node makes process.stdin and the others on first
 * use, and making stdin opens file descriptor 0 and loads its stream modules: `--help`
 * should not pay for that.
 */
export const processIo: Io = {
  get stdin() {
    return process.stdin;
  },
  get stdout() {
    return process.stdout;
  },
  get stderr() {
    return process.stderr;
  },
  get env() {
    return process.env;
  },
};

/** Everything a stream gives until it ends (`--data -`, `--body -`). */
export async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}
