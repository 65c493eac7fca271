// `coreone-inspect replay <fixture...> --to <url>`: deliver saved events again, to drive
// the developer's app with real traffic. Re-signed with the current secret by default;
// --keep-hash sends the hash exactly as recorded (to reproduce a mismatch); --edit opens
// each body in $EDITOR first and signs what the editor leaves. The job itself
// (job.ts) is imported only when it runs.
import { Command, Option } from 'commander';
import type { Io } from '../../io.js';
import { addDeliveryOptions } from '../send/command.js';
import type { ReplayOptions } from './options.js';

export function replayCommand(io: Io): Command {
  const command = new Command('replay')
    .description('Deliver saved fixtures again, re-signed with the current secret (or with the hash they carry).')
    .argument('<fixture...>', 'fixture files saved by the listener (--save-all, the TUI, or the inspector stream)')
    .addOption(
      new Option('--keep-hash', 'send the hash as recorded instead of re-signing, to reproduce a mismatch (no secret needed)').conflicts(
        'unsigned',
      ),
    )
    .option('--edit', 'open each body in $EDITOR first, then sign the edited body');
  addDeliveryOptions(command);
  return command
    .addHelpText(
      'after',
      `
The body is sent byte for byte as recorded, with X-Coreone-Webhook-Type, the hash and
Content-Type: application/json. --edit runs $EDITOR (or $VISUAL) through the shell, as
git does, so EDITOR="code --wait" works; the fixture file itself is not changed.

Exit status: 0 when every fixture got a 2xx reply, 1 otherwise, 2 on bad usage or an
unreadable fixture (then nothing is sent).`,
    )
    .action(async (files: string[], options: ReplayOptions) => {
      const { replay } = await import('./job.js');
      await replay(files, options, io);
    });
}
