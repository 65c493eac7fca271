// The `export` job (options in cli/commands/export/command.ts): read the log, keep the
// events of --type, write the HAR. The file may hold customer data: it is created 0600.
import { writeFile } from 'node:fs/promises';
import { harOf } from '../../../server/export/har.js';
import { fileErrorReason } from '../../../server/store/file-errors.js';
import { UsageError } from '../../errors.js';
import type { Io } from '../../io.js';
import { VERSION } from '../../version.js';
import { readLog } from '../read-log.js';
import type { ExportOptions } from './options.js';

export async function exportHar(options: ExportOptions, io: Io): Promise<void> {
  const all = await readLog(options.log, io);
  const prefix = options.type;
  const events = prefix === undefined ? all : all.filter((event) => event.type?.startsWith(prefix));
  const text = `${JSON.stringify(harOf(events, { name: 'coreone-inspect', version: VERSION }), null, 2)}\n`;
  if (options.har === '-') {
    io.stdout.write(text);
    return;
  }
  try {
    await writeFile(options.har, text, { mode: 0o600 });
  } catch (error) {
    throw new UsageError(`Cannot write ${options.har}: ${fileErrorReason(error)}.`);
  }
  io.stdout.write(`Wrote ${events.length} event${events.length === 1 ? '' : 's'} to ${options.har} (HAR 1.2).\n`);
}
