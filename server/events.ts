// The one stream a running inspector emits (server/inspector.ts). Every consumer, the
// WebSocket hub, the NDJSON printer and the plain printer alike, subscribes to it and
// reads the same union; none is called by hand.
import type { EventRecord, ForwardRecord, ReadyRecord, SavedRecord, SecretInfo, TunnelRecord } from './types.js';
import { withBody, type EventSummary } from './record/summarize.js';

/** Records come with their NDJSON line (newline included), the bytes the log holds. */
export type InspectorEvent =
  /** The listener and the stream accept connections. */
  | { kind: 'ready'; record: ReadyRecord; line: Buffer; secret: SecretInfo | null }
  | { kind: 'event'; readonly record: EventRecord; line: Buffer; seq: number }
  | { kind: 'tunnel'; record: TunnelRecord; line: Buffer }
  | { kind: 'forward'; record: ForwardRecord; line: Buffer }
  | { kind: 'saved'; record: SavedRecord; line: Buffer }
  /** Recoverable trouble worth one sentence (a torn log line skipped, a write that failed). */
  | { kind: 'warning'; message: string }
  /** The inspector has closed: nothing follows. */
  | { kind: 'done' };

export type Consumer = (event: InspectorEvent) => void;

/** A record's NDJSON line. */
export function recordLine(record: ReadyRecord | TunnelRecord | ForwardRecord | SavedRecord): Buffer {
  return Buffer.from(`${JSON.stringify(record)}\n`);
}

/**
 * A durable event as the stream carries it. Its record (the whole Event, the body decoded
 * to text) is made on first read and only then: the log, the hub and the --json printer
 * all take the line. A class, not an object literal with a getter and a closure per
 * request: V8 builds a literal with an accessor through a slow runtime path, and that
 * literal cost about 4 µs a request in the listener (BENCHMARKS.md, issue 12).
 */
export class StreamedEvent {
  readonly kind = 'event';
  readonly line: Buffer;
  readonly seq: number;
  readonly #summary: EventSummary;
  readonly #body: Buffer;
  #record: EventRecord | null = null;

  constructor(summary: EventSummary, body: Buffer, line: Buffer) {
    this.#summary = summary;
    this.#body = body;
    this.line = line;
    this.seq = summary.head.seq;
  }

  get record(): EventRecord {
    return (this.#record ??= { kind: 'event', event: withBody(this.#summary, this.#body) });
  }
}
