// A StreamHub's history from memory, read as the durable log would give it: each event's
// line as the listener writes it. Reads can be held at a gate, so a test sees for certain
// what a client shows while the hub is still sending.
import type { LogEntry } from '../../server/store/event-log.js';
import type { HelloMessage, WebhookEvent } from '../../server/types.js';

export const TEST_HELLO: HelloMessage = {
  kind: 'hello',
  version: 'test',
  webhookUrl: 'http://127.0.0.1:1/',
  tunnelUrl: null,
  secret: null,
  tunnel: null,
  logPath: '/tmp/x',
  historyLimit: 1000,
};

/** A log line (without its newline) as the listener writes it: JSON.stringify's bytes. */
export const lineOf = (event: WebhookEvent): Buffer => Buffer.from(JSON.stringify({ kind: 'event', event }));

export interface MemoryLine {
  seq: number;
  id: string;
  line: Buffer;
}

export const linesOf = (events: readonly WebhookEvent[]): MemoryLine[] => events.map((event) => ({ seq: event.seq, id: event.id, line: lineOf(event) }));

/**
 * The durable log's part for the hub, counting its reads. The history reads each line
 * once; with `bodies=after` the body phase reads them again, and its reads past the first
 * `free` wait for `gate`, so the body phase cannot end before the test opens the gate,
 * however fast the server writes.
 */
export function gatedHistory(lines: readonly MemoryLine[], free = Infinity, gate: Promise<void> = Promise.resolve()) {
  const entries: LogEntry[] = lines.map(({ seq, id, line }, i) => ({ seq, id, offset: i, length: line.length }));
  const counter = { reads: 0 };
  return {
    counter,
    source: {
      history: () => entries.slice(),
      read: async (entry: LogEntry) => {
        if (++counter.reads > entries.length + free) await gate;
        return lines[entry.offset]!.line;
      },
    },
  };
}
