// The hardening suites run the BUILT command line as a user would, then check three things
// after every kind of bad input: nothing lost (every POST that reached the listener is in
// the log file), the process alive (a normal signed POST still gets 200), and one clear
// sentence for the user (never a stack trace).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
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
