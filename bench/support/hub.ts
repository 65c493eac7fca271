// The real inspector stream for the TUI and web benchmarks: a StreamHub whose history is
// read from memory as the durable log's lines would be (prebuilt, one per event), so what
// a client measures is the hub and the client, not a stand-in that serializes each event
// when it connects.
import { StreamHub, type Outgoing } from '../../server/stream/hub.js';
import type { LogEntry } from '../../server/store/event-log.js';
import type { HelloMessage, WebhookEvent } from '../../server/types.js';

/** An event as the hub sends it: a log line's text, without its newline. */
export function outgoing(event: WebhookEvent): Outgoing {
  return { line: JSON.stringify({ kind: 'event', event }), seq: event.seq };
}

/** The durable log's part for the hub: entries to list, each entry's line to read. */
function historyOf(events: WebhookEvent[]) {
  const lines = new Map<number, Buffer>();
  const entries: LogEntry[] = [];
  let offset = 0;
  for (const event of events) {
    const line = Buffer.from(outgoing(event).line);
    lines.set(event.seq, line);
    entries.push({ seq: event.seq, id: event.id, offset, length: line.length });
    offset += line.length + 1;
  }
  return { history: () => entries, read: async (entry: LogEntry) => lines.get(entry.seq)! };
}

function hello(historyLimit: number): HelloMessage {
  return {
    kind: 'hello',
    version: '0.0.0-bench',
    webhookUrl: 'http://127.0.0.1:9/',
    tunnelUrl: null,
    secret: { length: 24, fingerprint: 'a1b2c3' },
    tunnel: null,
    logPath: '/tmp/coreone-inspect-bench.ndjson',
    historyLimit,
  };
}

/** A listening hub on a free loopback port with `history` as its log. */
export async function startBenchHub(history: WebhookEvent[]): Promise<StreamHub> {
  const hub = new StreamHub({
    port: 0,
    hello: () => hello(history.length),
    history: historyOf(history),
    onMessage: async () => {
      throw new Error('The benchmark listener carries out no requests.');
    },
  });
  await hub.listen();
  return hub;
}
