// `coreone-inspect attach [<inspectUrl>]`: the TUI alone, on a running listener's stream.
// Without a URL, the inspector named by the inspector.json beside the log (SPEC.md "One
// inspector per log"), read again at each reconnection so a restarted one is followed.
import { dirname, resolve } from 'node:path';
import { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { DEFAULT_LOG } from '../listen/command.js';
import { inspectorFilePath, inspectorRunning, readInspectorFile } from '../../../server/store/inspector-lock.js';

export function parseInspectUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`"${value}" is not a URL: pass the inspectUrl a listener prints (ws://127.0.0.1:<port>/...).`);
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new UsageError(`The inspect URL must start with ws:// or wss://, not ${url.protocol}// (the webhook URL is not the inspect URL).`);
  }
  return url.href;
}

/** The inspectUrl that an inspector.json names, while its process runs; null otherwise. */
async function runningInspectUrl(file: string): Promise<string | null> {
  const running = await readInspectorFile(file);
  return running && inspectorRunning(running) ? running.inspectUrl : null;
}

export function attachCommand(): Command {
  return new Command('attach')
    .description("Open the terminal UI on a running listener's inspector stream.")
    .argument('[inspectUrl]', 'the ws:// URL, token included, that the listener prints (inspectUrl in --json output); default: the inspector running with its log in --log\'s directory')
    .option('--log <file>', 'without a URL, attach to the inspector whose log is in this file\'s directory', DEFAULT_LOG)
    .action(async (value: string | undefined, options: { log: string }) => {
      const file = inspectorFilePath(resolve(options.log));
      const inspectUrl = value === undefined ? await runningInspectUrl(file) : parseInspectUrl(value);
      if (inspectUrl === null) {
        throw new UsageError(`No inspector is running with its log in ${dirname(resolve(options.log))}: start one there with \`coreone-inspect listen\`, or pass --log or an inspectUrl.`);
      }
      if (!process.stdin.isTTY || !process.stdout.isTTY) {
        throw new UsageError('attach draws an interactive screen, so it needs a terminal on stdin and stdout.');
      }
      const { runTui } = await import('../../ui/run.js');
      const refreshUrl = value === undefined ? () => runningInspectUrl(file) : undefined;
      await runTui({ inspectUrl, title: 'coreone-inspect attach', refreshUrl });
    });
}
