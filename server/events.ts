// The one stream a running inspector emits (server/inspector.ts). Every consumer, the
// WebSocket hub, the NDJSON printer and the plain printer alike, subscribes to it and
// reads the same union; none is called by hand.
import type { EventRecord, ForwardRecord, ReadyRecord, SavedRecord, SecretInfo, TunnelRecord } from './types.js';

/** Records come with their NDJSON line (newline included), the bytes the log holds. */
export type InspectorEvent =
  /** The listener and the stream accept connections. */
  | { kind: 'ready'; record: ReadyRecord; line: Buffer; secret: SecretInfo | null }
  | { kind: 'event'; record: EventRecord; line: Buffer; seq: number }
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
