// A new client's history: the records read back from the durable log, oldest first, paced
// to the client's reading. With the `bodies=after` extension each record goes out without
// its body (body-split.ts) and the bodies follow history-end, newest first: a browser draws
// the list of ten thousand events long before it could read all of their bodies. With
// `bodies=log` the same, but the bodies come oldest first, for a client that learns from
// them in log order (the TUI's drift).
import type { LogEntry } from '../store/event-log.js';
import { bodyMessage, findBody, splitBody } from './body-split.js';

export interface HistorySource {
  history(): LogEntry[];
  /** The history and the events logged since, up to VIEW_EVENT_LIMIT (EventLog.recent); the history when absent. */
  recent?(): LogEntry[];
  read(entry: LogEntry): Promise<Buffer>;
}

/**
 * The bodies after history-end, in which order: `bodies=after` (newest first: the ones the
 * user looks at) or `bodies=log` (oldest first, as logged).
 */
export type BodyOrder = 'newest-first' | 'oldest-first';

/** One connection, as the history sees it. */
export interface HistoryClient {
  /** `batch=1`: many messages to a frame. */
  batched: boolean;
  /** Set: the bodies after history-end, in this order; null: each record keeps its body. */
  bodies: BodyOrder | null;
  /** False once the client has gone away or was dropped. */
  connected(): boolean;
  /** Sends one frame, first waiting (bounded) for a backlog to be read; false once the client is gone. */
  sendPaced(text: Buffer): Promise<boolean>;
}

/**
 * A batched frame goes out once it holds this much: about a hundred events. Chromium took
 * 6-7 s over 10,000 frames of one event and about 2 over frames of a hundred
 * (BENCHMARKS.md, issue 14); a Node client reads either in about a second.
 */
const FRAME_BYTES = 256 * 1024;
const NEWLINE = Buffer.from('\n');

/** Lines as one frame's text: one message a line (JSON text never holds a raw newline). */
export function joinLines(lines: readonly (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [];
  for (const line of lines) {
    if (parts.length > 0) parts.push(NEWLINE);
    parts.push(typeof line === 'string' ? Buffer.from(line) : line);
  }
  return Buffer.concat(parts);
}

/** Paced messages to one client: a frame each, or, batched, many to a frame. */
class PacedFrames {
  #client: HistoryClient;
  #lines: Buffer[] = [];
  #bytes = 0;

  constructor(client: HistoryClient) {
    this.#client = client;
  }

  /** False once the client is gone. */
  async add(message: Buffer): Promise<boolean> {
    if (!this.#client.batched) return this.#client.sendPaced(message);
    this.#lines.push(message);
    this.#bytes += message.length;
    return this.#bytes < FRAME_BYTES || this.flush();
  }

  async flush(): Promise<boolean> {
    if (this.#lines.length === 0) return true;
    const lines = this.#lines;
    this.#lines = [];
    this.#bytes = 0;
    return this.#client.sendPaced(joinLines(lines));
  }
}

export interface HistorySent {
  /** The newest event sent. */
  lastSeq: number;
  /** The entries sent without their body, oldest first. */
  withheld: LogEntry[];
}

/** Sends `entries`' records; null when the client went away meanwhile. */
export async function sendHistory(source: HistorySource, entries: readonly LogEntry[], client: HistoryClient): Promise<HistorySent | null> {
  const frames = new PacedFrames(client);
  const withheld: LogEntry[] = [];
  let lastSeq = 0;
  for (const entry of entries) {
    if (!client.connected()) return null;
    const line = await source.read(entry);
    // A line not laid out as expected keeps its body, and gets no body message.
    const split = client.bodies ? splitBody(line) : null;
    if (split) withheld.push(entry);
    if (!(await frames.add(split ? split.row : line))) return null;
    lastSeq = entry.seq;
  }
  return (await frames.flush()) ? { lastSeq, withheld } : null;
}

/**
 * Sends the withheld entries' bodies in the client's order and returns how many; null when
 * the client went away meanwhile. The lines are read from the log again rather than kept
 * from the history, so a client costs the server no more memory than its unsent data, as
 * everywhere else in the stream.
 */
export async function sendBodies(source: HistorySource, withheld: readonly LogEntry[], client: HistoryClient): Promise<number | null> {
  const frames = new PacedFrames(client);
  const newestFirst = client.bodies === 'newest-first';
  let count = 0;
  for (let n = 0; n < withheld.length; n++) {
    if (!client.connected()) return null;
    const entry = withheld[newestFirst ? withheld.length - 1 - n : n]!;
    // The log's lines do not change: this one's body is found as it was in the history.
    const found = findBody(await source.read(entry));
    if (!found) continue;
    // The entry's id is the log's key for the line: the event's own id, with no parsing.
    if (!(await frames.add(bodyMessage(entry.id, found.body)))) return null;
    count++;
  }
  return (await frames.flush()) ? count : null;
}
