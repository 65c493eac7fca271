// The main job: starts the pipeline (listener, durable log, inspector stream), then hands
// its events to exactly one consumer: the NDJSON printer, the plain printer, or the TUI (a
// client of the inspector stream like any other).
import { Pipeline, type PipelineEvent } from '../server/pipeline.js';
import { secretInfo } from '../server/secret-info.js';
import { startTunnel, type TunnelHandle } from '../server/tunnel.js';
import type { ListenOptions } from './commands/listen.js';
import { UsageError, describeError, warn } from './errors.js';
import { ndjsonPrinter } from './output/ndjson.js';
import { plainPrinter } from './output/plain.js';
import { resolveSecret } from './secret.js';
import { VERSION } from './version.js';

export async function listen(options: ListenOptions): Promise<void> {
  const secret = resolveSecret(options, warn);
  let pipeline: Pipeline;
  try {
    pipeline = await Pipeline.start({
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
  } catch (error) {
    throw new UsageError(startFailure(error, options));
  }
  keepServingOnBugs();

  const useTui = !options.json && options.ui && process.stdout.isTTY === true && process.stdin.isTTY === true;
  // The tunnel starts once its consumer is subscribed, after `ready`; it closes first, so
  // that no tunnel record arrives at a closed pipeline.
  let tunnel: TunnelHandle | undefined;
  const shutdown = async (): Promise<void> => {
    await tunnel?.stop();
    await pipeline.close();
  };
  const stopped = new Promise<void>((resolve) => {
    const stop = (): void => {
      void shutdown().then(resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });

  if (useTui) {
    const { runTui } = await import('./ui/run.js');
    const deferredWarnings: string[] = [];
    pipeline.subscribe((event: PipelineEvent) => {
      // The TUI owns the screen; warnings wait for it to close.
      if (event.kind === 'warning') deferredWarnings.push(event.message);
    });
    tunnel = openTunnel(options, pipeline);
    await Promise.race([runTui({ inspectUrl: pipeline.ready.inspectUrl }), stopped]);
    await shutdown();
    for (const message of deferredWarnings) warn(message);
    return;
  }

  const printer = options.json ? ndjsonPrinter(process.stdout, process.stderr) : plainPrinter(process.stdout, process.stderr);
  printer.ready(pipeline.ready, secretInfo(secret));
  pipeline.subscribe((event) => printer.consume(event));
  tunnel = openTunnel(options, pipeline);
  await stopped;
}

/** The public tunnel to the listener (README "The public tunnel"); its records go out through the pipeline. */
function openTunnel(options: ListenOptions, pipeline: Pipeline): TunnelHandle | undefined {
  if (!options.tunnel) return undefined;
  return startTunnel({
    localPort: pipeline.port,
    localHost: options.host,
    tunnelHost: options.tunnelHost,
    ...(options.subdomain ? { subdomain: options.subdomain } : {}),
    onState: (record) => pipeline.setTunnel(record),
  });
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
