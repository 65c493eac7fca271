// `coreone-inspect [listen]`: the main job's options. The job itself (job.ts)
// is imported only when it runs, so `--help` and the other commands never load the
// listener, the stream or `ws`.
import { Command } from 'commander';
import type { Io } from '../../io.js';
import { DEFAULT_HISTORY_LIMIT, DEFAULT_TIMEOUT_MS } from '../../../server/defaults.js';
import { parseHistory, parseHttpUrl, parseMilliseconds, parsePort, parseSize, parseStatus } from '../../options/parsers.js';
import { addSecretOptions } from '../../options/secret.js';
import { addTunnelOptions } from '../../options/tunnel.js';
import { DEFAULT_MAX_BODY, type ListenOptions } from './options.js';

export const DEFAULT_PORT = 4747;
export const DEFAULT_LOG = '.coreone-inspect/events.ndjson';

export function listenCommand(io: Io): Command {
  const command = addTunnelOptions(
    new Command('listen')
      .description('Receive CoreOne webhooks, verify and explain their signatures, and show them (the default command).')
      .option('--port <n>', `listener port; 0 picks a free one`, parsePort, DEFAULT_PORT)
      .option('--host <addr>', 'listener address', '127.0.0.1')
      .option('--inspect-port <n>', 'inspector WebSocket port (loopback only); 0 picks a free one', parsePort, 0),
  )
    .option('--forward-to <url>', 'also deliver every event to this URL (body and headers as received)', parseHttpUrl)
    .option('--forward-timeout <ms>', 'how long the app behind --forward-to has to answer', parseMilliseconds, DEFAULT_TIMEOUT_MS)
    .option('--fixtures-dir <dir>', 'where saved fixtures go', './fixtures')
    .option('--save-all', 'save every received event as a fixture as it arrives')
    .option('--log <file>', 'the durable event log (NDJSON)', DEFAULT_LOG)
    .option('--history <n>', 'how many past events the log replays to a new client', parseHistory, DEFAULT_HISTORY_LIMIT)
    .option('--respond <status>', 'answer accepted events with this HTTP status instead of 200', parseStatus, 200)
    .option('--max-body <bytes>', 'largest body accepted (e.g. 5m); larger gets 413 and is recorded without its body', parseSize, DEFAULT_MAX_BODY)
    .option('--request-timeout <ms>', 'time a sender has to deliver a whole request', parseMilliseconds, 30_000)
    .option('--json', 'no TUI: NDJSON records on stdout, one per line')
    .option('--no-ui', 'no TUI: one readable line per event on stdout')
    .option('--open', "open the web inspector (uiUrl) in the default browser");
  addSecretOptions(command);
  command.addHelpText(
    'after',
    `\nThe event log defaults to ${DEFAULT_LOG} (relative to the working directory); the last ` +
      `--history events in it are shown again after a restart.`,
  );
  return command.action(async (options: ListenOptions) => {
    const { listen } = await import('./job.js');
    await listen(options, io);
  });
}

