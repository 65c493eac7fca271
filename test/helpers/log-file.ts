// Event logs written by a test, as the listener writes them: one `{"kind":"event",...}`
// line per event, other records in between, and optionally a torn last line.
import { writeFile } from 'node:fs/promises';
import type { WebhookEvent } from '../../server/types.js';

export async function writeLog(file: string, events: WebhookEvent[], options: { tornTail?: boolean } = {}): Promise<void> {
  const lines = events.map((event) => `${JSON.stringify({ kind: 'event', event })}\n`);
  // Records that are not events are part of every real log and must be passed over quietly.
  if (events.length > 0) lines.splice(1, 0, `${JSON.stringify({ kind: 'saved', id: events[0]!.id, path: 'fixtures/x.json' })}\n`);
  if (options.tornTail) lines.push('{"kind":"event","event":{"id":"cut');
  await writeFile(file, lines.join(''));
}
