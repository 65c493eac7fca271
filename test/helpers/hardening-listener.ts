// The hardening suites run the BUILT command line as a user would, then check three things
// after every kind of bad input: nothing lost (every POST that reached the listener is in
// the log file), the process alive (a normal signed POST still gets 200), and one clear
// sentence for the user (never a stack trace).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCli, type RunningCli } from './cli-process.js';
import { sign } from './raw-http.js';
import type { WebhookEvent } from '../../server/types.js';

/** What a stack trace looks like in stderr: a line starting with "at". */
export const STACK_TRACE = /\n\s+at /;

export interface Listening {
  cli: RunningCli;
  dir: string;
  logPath: string;
  webhookUrl: string;
  inspectUrl: string;
  port: number;
  /** Stops the process (SIGKILL unless told) and removes its directory. */
  dispose(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * `coreone-inspect --no-tunnel --json --port 0 --log <tmp>/events.ndjson ...extra` in a new
 * temporary directory, resolved once its `ready` record is out.
 */
export async function startListening(extra: string[] = [], env: NodeJS.ProcessEnv = {}, dir?: string): Promise<Listening> {
  const home = dir ?? (await mkdtemp(join(tmpdir(), 'coreone-hardening-')));
  const logPath = join(home, 'events.ndjson');
  const cli = startCli(['--no-tunnel', '--json', '--port', '0', '--log', logPath, '--fixtures-dir', join(home, 'fixtures'), ...extra], env);
  const ready = await cli.waitForRecord((r) => r.kind === 'ready', 'the ready record');
  const webhookUrl = ready.webhookUrl as string;
  return {
    cli,
    dir: home,
    logPath,
    webhookUrl,
    inspectUrl: ready.inspectUrl as string,
    port: Number(new URL(webhookUrl).port),
    dispose: async (signal = 'SIGKILL') => {
      await cli.stop(signal);
      if (!dir) await rm(home, { recursive: true, force: true });
    },
  };
}

/** The event records in a log file, in file order; lines that are not whole JSON are skipped. */
export async function loggedEvents(logPath: string): Promise<WebhookEvent[]> {
  const text = await readFile(logPath, 'utf8');
  return text.split('\n').flatMap((line) => {
    try {
      const record = JSON.parse(line) as { kind?: string; event?: WebhookEvent };
      return record.kind === 'event' && record.event ? [record.event] : [];
    } catch {
      return [];
    }
  });
}

/** A signed POST through fetch; resolves with the status and the reply's id. */
export async function postSigned(
  webhookUrl: string,
  body: string | Buffer,
  secret: string,
  { path = '/', type = 'accession/status_change', headers = {} }: { path?: string; type?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; id: string }> {
  const response = await fetch(new URL(path, webhookUrl), {
    method: 'POST',
    body,
    headers: { 'Content-Type': 'application/json', 'X-Coreone-Webhook-Type': type, 'X-Coreone-Webhook-Hash': sign(body, secret), ...headers },
  });
  const reply = (await response.json()) as { id?: string };
  return { status: response.status, id: reply.id ?? '' };
}

export interface BurstResult {
  sent: number;
  /** The ids of the requests answered 200, in the order the answers came. */
  acknowledged: string[];
  failed: number;
}

/**
 * Signed POSTs to /burst/<n> on keep-alive connections, `concurrency` in flight at once
 * (the next starts as one ends). `afterReply` runs after each answer (id, or null for any
 * failure); returning false stops new requests.
 */
export async function burst(options: {
  port: number;
  secret: string;
  count: number;
  concurrency: number;
  body: (n: number) => string;
  afterReply?: (id: string | null, result: BurstResult) => boolean;
}): Promise<BurstResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const result: BurstResult = { sent: 0, acknowledged: [], failed: 0 };
  let stopped = false;
  const one = (n: number): Promise<string | null> => {
    const body = options.body(n);
    return new Promise((resolve) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: options.port,
          method: 'POST',
          path: `/burst/${n}`,
          agent,
          headers: {
            'Content-Type': 'application/json',
            'Content-Length': Buffer.byteLength(body),
            'X-Coreone-Webhook-Type': 'accession/status_change',
            'X-Coreone-Webhook-Hash': sign(body, options.secret),
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve(res.statusCode === 200 ? ((JSON.parse(text) as { id?: string }).id ?? null) : null));
          res.on('error', () => resolve(null));
        },
      );
      req.on('error', () => resolve(null));
      req.end(body);
    });
  };
  const worker = async (): Promise<void> => {
    while (!stopped && result.sent < options.count) {
      const id = await one(result.sent++);
      if (id === null) result.failed++;
      else result.acknowledged.push(id);
      if (options.afterReply && !options.afterReply(id, result)) stopped = true;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  agent.destroy();
  return result;
}
