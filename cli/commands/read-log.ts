// Every event of an event log, for the commands that read a whole one (`schema`,
// `export`): lines that cannot be read are skipped with the log's warnings, a log that
// cannot be read at all is a usage error (exit 2).
import { LogReadError, readLogEvents } from '../../server/store/log-events.js';
import type { WebhookEvent } from '../../server/types.js';
import { UsageError, warn } from '../errors.js';
import type { Io } from '../io.js';

export async function readLog(log: string, io: Io): Promise<WebhookEvent[]> {
  try {
    const { events, warnings } = await readLogEvents(log);
    for (const warning of warnings) warn(io.stderr, warning);
    return events;
  } catch (error) {
    if (error instanceof LogReadError) throw new UsageError(error.message);
    throw error;
  }
}
