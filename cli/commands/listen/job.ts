// The main job: opens the inspector (durable log), subscribes one consumer of its stream,
// the NDJSON printer, the plain printer, or (for the TUI, a client of the WebSocket hub
// like any other) a keeper of warnings, then starts it listening.
import { Inspector, type InspectorOptions } from '../../../server/inspector.js';
import type { Consumer } from '../../../server/events.js';
import { startTunnel, type TunnelHandle } from '../../../server/tunnel/tunnel.js';
import type { ListenOptions } from './options.js';
import { UsageError, describeError, warn } from '../../errors.js';
import { ndjsonPrinter } from '../../output/ndjson.js';
import { plainPrinter } from '../../output/plain.js';
import { resolveSecret } from '../../options/secret.js';
import { VERSION } from '../../version.js';

export async function listen(options: ListenOptions): Promise<void> {
  const secret = resolveSecret(options, warn);
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
  });
  const useTui = !options.json && options.ui && process.stdout.isTTY === true && process.stdin.isTTY === true;
  // The TUI owns the screen: warnings wait for it to close.
  const deferredWarnings: string[] = [];
  const consumer: Consumer = useTui
    ? (event) => {
        if (event.kind === 'warning') deferredWarnings.push(event.message);
      }
    : options.json
      ? ndjsonPrinter(process.stdout, process.stderr)
      : plainPrinter(process.stdout, process.stderr);
  inspector.subscribe(consumer);
  try {
    await inspector.listen();
  } catch (error) {
    throw new UsageError(startFailure(error, options));
  }
  keepServingOnBugs();

  // The tunnel starts once its consumer is subscribed, after `ready`; it closes first, so
  // that no tunnel record arrives at a closed inspector.
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

  if (useTui) {
    const { runTui } = await import('../../ui/run.js');
    tunnel = openTunnel(options, inspector);
    await Promise.race([runTui({ inspectUrl: inspector.ready.inspectUrl }), stopped]);
    await shutdown();
    for (const message of deferredWarnings) warn(message);
    return;
  }

  tunnel = openTunnel(options, inspector);
  await stopped;
}

/** The public tunnel to the listener (README "The public tunnel"); its records go out through the inspector. */
function openTunnel(options: ListenOptions, inspector: Inspector): TunnelHandle | undefined {
  if (!options.tunnel) return undefined;
  return startTunnel({
    localPort: inspector.port,
    localHost: options.host,
    tunnelHost: options.tunnelHost,
    ...(options.subdomain ? { subdomain: options.subdomain } : {}),
    onState: (record) => inspector.setTunnel(record),
  });
}

async function open(options: ListenOptions, inspectorOptions: InspectorOptions): Promise<Inspector> {
  try {
    return await Inspector.open(inspectorOptions);
  } catch (error) {
    throw new UsageError(startFailure(error, options));
  }
}

function startFailure(error: unknown, options: ListenOptions): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') return `Port ${options.port} is in use: choose another with --port (0 picks a free one).`;
  if (code === 'EADDRNOTAVAIL') return `Cannot listen on ${options.host}: this machine has no such address.`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `Cannot listen on ${options.host}: no such host name.`;
  if (code === 'EACCES') return `Not allowed to listen on port ${options.port}: choose a port above 1023.`;
  return describeError(error);
}

/**
 * A bug in our own code must not take down a listener people rely on: report it in one
 * sentence (the stack with DEBUG) and keep serving.
 */
function keepServingOnBugs(): void {
  process.on('uncaughtException', (error) => {
    process.stderr.write(`coreone-inspect: internal error (still running): ${describeError(error)}\n`);
  });
  process.on('unhandledRejection', (error) => {
    process.stderr.write(`coreone-inspect: internal error (still running): ${describeError(error)}\n`);
  });
}
