// A StreamHub's history from memory, read as the durable log would give it: each event's
// line as the listener writes it. Reads can be held at a gate, so a test sees for certain
// what a client shows while the hub is still sending. And a client of that hub, collecting
// what it receives.
import WebSocket from 'ws';
import type { LogEntry } from '../../server/store/event-log.js';
import type { HelloMessage, InspectorMessage, WebhookEvent } from '../../server/types.js';

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

/** A client's frames as they came, and its messages, one a line of a frame. */
export function collect(url: string, onMessage: (message: InspectorMessage) => void = () => undefined) {
  const frames: string[] = [];
  const messages: InspectorMessage[] = [];
  const ws = new WebSocket(url);
  ws.on('message', (data) => {
    frames.push(String(data));
    for (const line of String(data).split('\n')) {
      const message = JSON.parse(line) as InspectorMessage;
      messages.push(message);
      onMessage(message);
    }
  });
  return { ws, frames, messages };
}
