// The main job: opens the inspector (durable log), subscribes one consumer of its stream,
// the NDJSON printer, the plain printer, or (for the TUI, a client of the WebSocket hub
// like any other) a keeper of warnings, then starts it listening.
import { resolve } from 'node:path';
import { Inspector, type InspectorOptions } from '../../../server/inspector.js';
import { EventLogError } from '../../../server/store/event-log.js';
import { fileErrorReason } from '../../../server/store/file-errors.js';
import { InspectorLock, InspectorLockError } from '../../../server/store/inspector-lock.js';
import type { Consumer } from '../../../server/events.js';
import type { TunnelRecord } from '../../../server/types.js';
import { startTunnel, type TunnelHandle } from '../../../server/tunnel/tunnel.js';
import { watchPublicUrl } from '../../../server/tunnel/public-url.js';
import type { ListenOptions } from './options.js';
import { UsageError, bugReport, warn } from '../../errors.js';
import type { Io } from '../../io.js';
import { ndjsonPrinter } from '../../output/ndjson.js';
import { plainPrinter } from '../../output/plain.js';
import { resolveSecret } from '../../options/secret.js';
import { VERSION } from '../../version.js';

/**
 * One inspector per log directory: its inspector.json is held from before the log opens to
 * every way out. The secret is read first: a bad secret file is reported before the log.
 */
export async function listen(options: ListenOptions, io: Io): Promise<void> {
  const secret = resolveSecret(options, (message) => warn(io.stderr, message), io.env);
  let lock: InspectorLock;
  try {
    lock = await InspectorLock.acquire(resolve(options.log), (message) => warn(io.stderr, message));
  } catch (error) {
    throw error instanceof InspectorLockError ? new UsageError(error.message) : error;
  }
  try {
    await listenLocked(options, io, lock, secret);
  } finally {
    lock.releaseSync();
  }
}

async function listenLocked(options: ListenOptions, io: Io, lock: InspectorLock, secret: string | null): Promise<void> {
  const inspector = await open(options, {
    version: VERSION,
    host: options.host,
    port: options.port,
    inspectPort: options.inspectPort,
    secret,
    logPath: options.log,
    fixturesDir: options.fixturesDir,
    maxBody: options.maxBody,
    respondStatus: options.respond,
    requestTimeoutMs: options.requestTimeout,
    headersTimeoutMs: Math.min(10_000, options.requestTimeout),
    historyLimit: options.history,
    forwardTo: options.forwardTo,
    forwardTimeoutMs: options.forwardTimeout,
    saveAll: options.saveAll,
    publicUrl: options.publicUrl,
  });
  const useTui = !options.json && options.ui && io.stdout.isTTY === true && io.stdin.isTTY === true;
  // The TUI owns the screen: warnings wait for it to close.
  const deferredWarnings: string[] = [];
  const consumer: Consumer = useTui
    ? (event) => {
        if (event.kind === 'warning') deferredWarnings.push(event.message);
      }
    : options.json
      ? ndjsonPrinter(io.stdout, io.stderr)
      : plainPrinter(io.stdout, io.stderr);
  // First, so that the file names the URLs before any printer shows `ready`.
  inspector.subscribe((event) => {
    if (event.kind !== 'ready') return;
    const { webhookUrl, inspectUrl, uiUrl } = event.record;
    lock.publish({ webhookUrl, inspectUrl, uiUrl });
  });
  inspector.subscribe(consumer);
  // The tunnel starts once its consumer is subscribed, after `ready`; it closes first, so
  // that no tunnel record arrives at a closed inspector. The signals are heard before
  // `ready` is printed: whoever reads `ready` may stop the process at once.
  let tunnel: TunnelHandle | undefined;
  const shutdown = async (): Promise<void> => {
    await tunnel?.stop();
    await inspector.close();
  };
  const stopped = new Promise<void>((resolve) => {
    const stop = (): void => {
      void shutdown().then(resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  try {
    await inspector.listen();
  } catch (error) {
    throw startFailure(error, options);
  }
  keepServingOnBugs(io.stderr);
  if (options.open) {
    // With the TUI on screen, a failure waits with the other warnings for it to close.
    const say = (message: string): void => void (useTui ? deferredWarnings.push(message) : warn(io.stderr, message));
    void import('./open-browser.js').then(({ openInBrowser }) => openInBrowser(inspector.ready.uiUrl)).then((failure) => failure && say(failure));
  }

  if (useTui) {
    const { runTui } = await import('../../ui/run.js');
    tunnel = openTunnel(options, inspector);
    await Promise.race([runTui({ inspectUrl: inspector.ready.inspectUrl }), stopped]);
    await shutdown();
    for (const message of deferredWarnings) warn(io.stderr, message);
    return;
  }

  tunnel = openTunnel(options, inspector);
  await stopped;
}

/**
 * The public tunnel to the listener (README "The public tunnel"), or only the checks of the
 * user's own (--public-url, docs/TUNNELS.md); its records go out through the inspector.
 */
function openTunnel(options: ListenOptions, inspector: Inspector): TunnelHandle | undefined {
  if (!options.tunnel) return undefined;
  const onState = (record: TunnelRecord): void => inspector.setTunnel(record);
  if (options.publicUrl) return watchPublicUrl({ url: options.publicUrl, localUrl: inspector.ready.webhookUrl, onState });
  return startTunnel({
    localPort: inspector.port,
    localHost: options.host,
    tunnelHost: options.tunnelHost,
    ...(options.subdomain ? { subdomain: options.subdomain } : {}),
    onState,
  });
}

/** The log opened and read back; a log that cannot be is the user's to fix (exit 2), anything else a bug. */
async function open(options: ListenOptions, inspectorOptions: InspectorOptions): Promise<Inspector> {
  try {
    return await Inspector.open(inspectorOptions);
  } catch (error) {
    if (error instanceof EventLogError) throw new UsageError(error.message);
    // The file opened but reading it back failed (an I/O error): the disk's, not ours.
    if (isSystemError(error)) throw new UsageError(`Cannot read the event log ${options.log}: ${fileErrorReason(error)}.`);
    throw error;
  }
}

/** Why the listener or the inspector could not start, for the user; an error that is not the system's is a bug, thrown as is. */
function startFailure(error: unknown, options: ListenOptions): unknown {
  if (!isSystemError(error)) return error;
  switch (error.code) {
    case 'EADDRINUSE':
      return new UsageError(`Port ${options.port} is in use: choose another with --port (0 picks a free one).`);
    case 'EADDRNOTAVAIL':
      return new UsageError(`Cannot listen on ${options.host}: this machine has no such address.`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new UsageError(`Cannot listen on ${options.host}: no such host name.`);
    case 'EACCES':
      return new UsageError(`Not allowed to listen on port ${options.port}: choose a port above 1023.`);
  }
  return new UsageError(`Cannot listen on ${options.host} port ${options.port}: ${error.message}.`);
}

/** An error the operating system reported (a system call failed), not one our code made. */
function isSystemError(error: unknown): error is NodeJS.ErrnoException & { code: string } {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && 'syscall' in error;
}

/**
 * A bug in our own code must not take down a listener people rely on: report it (its
 * stack and the request to report it) and keep serving. `events` is the process; a test
 * gives its own emitter.
 */
export function keepServingOnBugs(stderr: NodeJS.WritableStream, events: NodeJS.EventEmitter = process): void {
  const report = (error: unknown): void => {
    stderr.write(bugReport(error, true));
  };
  events.on('uncaughtException', report);
  events.on('unhandledRejection', report);
}
