// Benchmark processes talk to the coordinator in NDJSON: one JSON object a line on stdout
// (child to coordinator) and on stdin (coordinator to child). Each runs pinned to one CPU
// with `taskset`, so the server under test and the load it gets never share a core, and
// at a raised priority where that is allowed.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { errorMessage } from '../../server/error-message.js';

export interface Message {
  kind: string;
  [field: string]: unknown;
}

let tasksetWorks: boolean | undefined;
let niceWorks: boolean | undefined;

/** Whether `taskset` can pin processes here (it is absent on macOS, for one). */
export function canPin(): boolean {
  tasksetWorks ??= spawnSync('taskset', ['-c', '0', 'true']).status === 0;
  return tasksetWorks;
}

/**
 * Whether benchmark processes may run at a raised priority (nice -10, which needs
 * privileges): on a machine shared with other work it keeps the neighbours' load from
 * deciding the figures. Every process of every server gets the same treatment.
 */
export function canRaisePriority(): boolean {
  // Without the privilege GNU nice still runs the command, after a complaint on stderr.
  niceWorks ??= (() => {
    const trial = spawnSync('nice', ['-n', '-10', 'true']);
    return trial.status === 0 && trial.stderr.length === 0;
  })();
  return niceWorks;
}

/** The command line that runs `node script args` pinned to `cpu` (when it can be). */
function commandLine(script: string, args: string[], cpu: number | null): [string, string[]] {
  const line = [process.execPath, script, ...args];
  if (cpu !== null && canPin()) line.unshift('taskset', '-c', String(cpu));
  if (canRaisePriority()) line.unshift('nice', '-n', '-10');
  return [line[0]!, line.slice(1)];
}

/** A node process running one of the bench scripts, pinned to `cpu` when possible. */
export class BenchChild {
  readonly name: string;
  #child: ChildProcess;
  #inbox: Message[] = [];
  #waiting: { resolve: (message: Message) => void; reject: (error: Error) => void } | null = null;
  #exit: Error | null = null;
  #stderr = '';

  constructor(name: string, script: string, args: string[], cpu: number | null) {
    this.name = name;
    const [command, argv] = commandLine(script, args, cpu);
    this.#child = spawn(command, argv, { stdio: ['pipe', 'pipe', 'pipe'] });
    createInterface({ input: this.#child.stdout! }).on('line', (line) => this.#receive(line));
    this.#child.stderr!.on('data', (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString()).slice(-4000);
    });
    this.#child.on('exit', (code, signal) => {
      this.#exit = new Error(`${name} exited (${signal ?? `code ${code}`})${this.#stderr ? `: ${this.#stderr.trim()}` : ''}`);
      this.#waiting?.reject(this.#exit);
      this.#waiting = null;
    });
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  send(message: Message): void {
    this.#child.stdin!.write(`${JSON.stringify(message)}\n`);
  }

  /** The next message of `kind` (others are skipped), or an error after `timeoutMs`. */
  async next<T extends Message>(kind: string, timeoutMs = 60_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const message = await this.#nextAny(deadline - Date.now());
      if (message.kind === 'error') throw new Error(`${this.name}: ${String(message.message)}`);
      if (message.kind === kind) return message as T;
    }
  }

  /** Stops the process (SIGTERM, then SIGKILL after a grace period) and waits for it. */
  async stop(): Promise<void> {
    if (this.#exit || this.#child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.#child.once('exit', () => resolve()));
    this.#child.kill('SIGTERM');
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }

  #receive(line: string): void {
    let message: Message;
    try {
      message = JSON.parse(line) as Message;
    } catch {
      return; // not protocol output (a library's stray print): ignore
    }
    if (this.#waiting) {
      const { resolve } = this.#waiting;
      this.#waiting = null;
      resolve(message);
    } else {
      this.#inbox.push(message);
    }
  }

  #nextAny(timeoutMs: number): Promise<Message> {
    const queued = this.#inbox.shift();
    if (queued) return Promise.resolve(queued);
    if (this.#exit) return Promise.reject(this.#exit);
    return new Promise<Message>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting = null;
        reject(new Error(`${this.name}: no answer within ${Math.round(timeoutMs / 1000)} s`));
      }, Math.max(0, timeoutMs));
      this.#waiting = {
        resolve: (message) => {
          clearTimeout(timer);
          resolve(message);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
    });
  }
}

/** Child side: one message to the coordinator. */
export function emit(message: Message): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

/** Child side: calls `handle` for each message from the coordinator. */
export function onCommand(handle: (message: Message) => void | Promise<void>): void {
  createInterface({ input: process.stdin }).on('line', (line) => {
    Promise.resolve()
      .then(() => handle(JSON.parse(line) as Message))
      .catch((error: unknown) => emit({ kind: 'error', message: errorMessage(error) }));
  });
}

/** Child side: reports a fatal error as a protocol message, then exits. */
export function failWith(error: unknown): never {
  emit({ kind: 'error', message: errorMessage(error) });
  process.exit(1);
}
