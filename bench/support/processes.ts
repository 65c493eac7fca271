// Starting the benchmark's processes: the server under test on one CPU, everything that
// loads or reads it on the other, the same placement for every server.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BenchChild, type Message } from './child.js';
import type { ServerKind } from './bodies.js';

export const SERVER_CPU = 0;
export const CLIENT_CPU = 1;

export function script(name: string): string {
  return fileURLToPath(new URL(`./${name}.js`, import.meta.url));
}

export interface RunningServer {
  child: BenchChild;
  url: string;
  inspectUrl?: string;
}

/**
 * With `receipts`, the server notes when each request reached it (see server.ts). With
 * `root`, the server is another built tree's (`--baseline`): its own bench server, so that
 * it runs its own code; the protocol between the two is the same.
 */
export async function startServer(kind: ServerKind, { receipts = false, root }: { receipts?: boolean; root?: string } = {}): Promise<RunningServer> {
  const path = root === undefined ? script('server') : join(root, 'dist/bench/support/server.js');
  const child = new BenchChild(`${root === undefined ? '' : 'baseline '}${kind} server`, path, receipts ? [kind, '--receipts'] : [kind], SERVER_CPU);
  try {
    const ready = await child.next<Message & { url: string; inspectUrl?: string }>('ready', 30_000);
    return { child, url: ready.url, ...(ready.inspectUrl ? { inspectUrl: ready.inspectUrl } : {}) };
  } catch (error) {
    await child.stop();
    throw error;
  }
}

export async function startStreamClient(inspectUrl: string, latency: boolean): Promise<BenchChild> {
  const child = new BenchChild('stream client', script('stream-client'), latency ? [inspectUrl, '--latency'] : [inspectUrl], CLIENT_CPU);
  try {
    await child.next('connected', 30_000);
    return child;
  } catch (error) {
    await child.stop();
    throw error;
  }
}

/** A load-side child (load generator, paced sender) with its options as JSON. */
export function startLoadChild(name: string, scriptName: string, options: unknown): BenchChild {
  return new BenchChild(name, script(scriptName), [JSON.stringify(options)], CLIENT_CPU);
}
