// A webhook handler run as its own process with its real runtime (node, python3, php), on
// a free loopback port, for the snippet tests: started, awaited until it accepts
// connections, and stopped.
import { spawn, spawnSync } from 'node:child_process';
import { unreachable } from '../../server/check/run.js';
import { closedPort } from './delivery.js';
import { waitFor } from './wait.js';

export interface HandlerProcess {
  url: string;
  /** What the process printed, for a failing test's message. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Spawns `command args` with PORT and COREONE_WEBHOOK_SECRET set; `{port}` in an argument
 * is replaced by the port (php -S takes it on its command line).
 */
export async function startHandlerProcess(command: string, args: string[], secret: string): Promise<HandlerProcess> {
  const port = await closedPort();
  const child = spawn(command, args.map((arg) => arg.replaceAll('{port}', String(port))), {
    env: { ...process.env, PORT: String(port), COREONE_WEBHOOK_SECRET: secret, PYTHONUNBUFFERED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  let gone = false;
  void exited.then(() => (gone = true));
  const url = `http://127.0.0.1:${port}/webhooks`;
  await waitFor(
    async () => {
      if (gone) throw new Error(`${command} ${args.join(' ')} exited before listening:\n${output}`);
      return (await unreachable(new URL(url))) === null;
    },
    { timeoutMs: 20_000, intervalMs: 50, what: () => `${command} to listen on ${port}:\n${output}` },
  );
  return {
    url,
    output: () => output,
    stop: async () => {
      if (!gone) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A python that can `import flask`: python3 first, then the system one; null when none can. */
export function flaskPython(): string | null {
  for (const python of ['python3', '/usr/bin/python3']) {
    if (spawnSync(python, ['-c', 'import flask'], { stdio: 'ignore' }).status === 0) return python;
  }
  return null;
}
