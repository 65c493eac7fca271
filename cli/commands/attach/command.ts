// `coreone-inspect attach <inspectUrl>`: the TUI alone, on a running listener's stream.
import { Command } from 'commander';
import { UsageError } from '../../errors.js';

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

export function attachCommand(): Command {
  return new Command('attach')
    .description("Open the terminal UI on a running listener's inspector stream.")
    .argument('<inspectUrl>', 'the ws:// URL, token included, that the listener prints (inspectUrl in --json output)')
    .action(async (value: string) => {
      const inspectUrl = parseInspectUrl(value);
      if (!process.stdin.isTTY || !process.stdout.isTTY) {
        throw new UsageError('attach draws an interactive screen, so it needs a terminal on stdin and stdout.');
      }
      const { runTui } = await import('../../ui/run.js');
      await runTui({ inspectUrl, title: 'coreone-inspect attach' });
    });
}
