// Every event of an event log, oldest first, for the commands that read a whole log
// (`schema`, `export`). The listener's EventLog reads only the tail it replays; this reads
// the file front to back in chunks, so a large log is never held as one string. Lines
// that are not records are skipped with the same warnings the listener gives.
import { createReadStream } from 'node:fs';
import { invalidLineWarning, TORN_LAST_LINE } from './event-log.js';
import { fileErrorReason } from './file-errors.js';
import type { WebhookEvent } from '../types.js';

/** A log that cannot be read; the message is one sentence for the user. */
export class LogReadError extends Error {}

export interface LogEvents {
  events: WebhookEvent[];
  /** One sentence per line skipped. */
  warnings: string[];
}

const NEWLINE = 0x0a;

export async function readLogEvents(path: string): Promise<LogEvents> {
  const events: WebhookEvent[] = [];
  const warnings: string[] = [];
  let carry: Buffer = Buffer.alloc(0);
  let offset = 0; // of carry's first byte in the file
  const take = (line: Buffer, at: number, last: boolean) => {
    if (line.length === 0) return;
    const record = parse(line);
    if (isEventRecord(record)) events.push(record.event);
    else if (isOtherRecord(record)) return;
    else if (last) warnings.push(TORN_LAST_LINE);
    else warnings.push(invalidLineWarning(line.length, at));
  };
  try {
    for await (const chunk of createReadStream(path)) {
      const region = carry.length > 0 ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
      let from = 0;
      for (let newline = region.indexOf(NEWLINE); newline !== -1; newline = region.indexOf(NEWLINE, from)) {
        take(region.subarray(from, newline), offset + from, false);
        from = newline + 1;
      }
      carry = region.subarray(from);
      offset += from;
    }
  } catch (error) {
    throw new LogReadError(`Cannot read the event log ${path}: ${fileErrorReason(error)}.`);
  }
  // A last line without its newline was cut short, unless it still holds a whole record.
  take(carry, offset, true);
  return { events, warnings };
}

function parse(line: Buffer): unknown {
  try {
    return JSON.parse(line.toString('utf8'));
  } catch {
    return undefined;
  }
}

function isEventRecord(record: unknown): record is { kind: 'event'; event: WebhookEvent } {
  if (typeof record !== 'object' || record === null) return false;
  const { kind, event } = record as { kind?: unknown; event?: Partial<Record<keyof WebhookEvent, unknown>> };
  if (kind !== 'event' || typeof event !== 'object' || event === null) return false;
  return (
    typeof event.seq === 'number' &&
    typeof event.id === 'string' &&
    typeof event.body === 'string' &&
    (event.bodyEncoding === 'utf8' || event.bodyEncoding === 'base64') &&
    typeof event.headers === 'object' &&
    event.headers !== null
  );
}

function isOtherRecord(record: unknown): boolean {
  const kind = (record as { kind?: unknown } | null)?.kind;
  return typeof kind === 'string' && kind !== 'event';
}
