// The durable event log: append-only NDJSON, one output record a line (the same bytes the
// `--json` printer prints). The listener acknowledges an event only once its line has
// been handed to the kernel, so an acknowledged event survives the process dying (not the
// machine: there is no fsync). All the appends made in one turn of the event loop (every
// request read in it) go out in one write(2) at the end of that turn: the group commit
// that keeps throughput under load.
//
// That write is synchronous, on purpose: it lands in the page cache in microseconds, while
// the same write through libuv's thread pool cost about 25 µs of CPU more (two thread
// hand-offs) and, measured end to end on 2 KB webhooks, ~9% of throughput. Acknowledgments
// wait for the write either way, so a stalled disk would hold them up in both designs.
//
// The log is also where history comes from: we keep only the byte ranges of the last
// `historyLimit` events in memory and read them back from the file when a client
// attaches, so memory does not grow with body sizes.
import { constants, ftruncateSync, promises as fs, writeSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { fileErrorReason } from './file-errors.js';
import { VIEW_EVENT_LIMIT } from '../defaults.js';
import { makeDirectory } from './make-directory.js';

export interface LogEntry {
  seq: number;
  id: string;
  offset: number;
  length: number;
}

/**
 * Called once an append is written (null) or could not be (why, in one sentence), straight
 * from the group commit: a promise a line was a measurable part of a request's cost. One
 * that throws is a bug; the rest of its batch is still told, then the error is thrown.
 */
export type AppendDone = (error: Error | null) => void;

/** A log that cannot be opened; the message is one sentence for the user. */
export class EventLogError extends Error {}

export interface OpenedLog {
  log: EventLog;
  /** Lines that could not be read back (torn by a crash, or not JSON), one sentence each. */
  warnings: string[];
}

/** How far back from the end the start-up scan reads, at most, looking for history. */
const TAIL_SCAN_LIMIT = 64 * 1024 * 1024;
const SCAN_CHUNK = 1024 * 1024;
/** The write buffer grows to fit a batch up to this size; larger batches get their own. */
const MAX_SCRATCH = 4 * 1024 * 1024;
const NEWLINE = 0x0a;

export class EventLog {
  readonly path: string;
  readonly historyLimit: number;
  /** How many recent entries find() can see: the history, or a client view's worth if that is more. */
  readonly #remembered: number;
  #handle: fs.FileHandle;
  #size: number;
  #entries: LogEntry[];
  #lastSeq: number;
  #pending: { line: Buffer; key: { seq: number; id: string } | null; done: AppendDone }[] = [];
  /** A write failed part-way through a line: the next starts on a line of its own. */
  #torn = false;
  /** Reused for every write that fits (most do), so a write allocates nothing. */
  #scratch = Buffer.allocUnsafe(256 * 1024);
  #closed = false;
  /** This run made the file (it did not exist before `open`). */
  #created: boolean;

  private constructor(path: string, handle: fs.FileHandle, size: number, entries: LogEntry[], historyLimit: number, remembered: number, created: boolean) {
    this.path = path;
    this.#created = created;
    this.#handle = handle;
    this.#size = size;
    this.#entries = entries;
    this.historyLimit = historyLimit;
    this.#remembered = Math.max(historyLimit, remembered);
    this.#lastSeq = entries.at(-1)?.seq ?? 0;
  }

  /** Opens (creating, mode 0600: bodies may hold customer data) and reads back the history. */
  /** `remembered`: how many recent events find() sees (at least the history). */
  static async open(path: string, historyLimit: number, remembered = VIEW_EVENT_LIMIT): Promise<OpenedLog> {
    let handle: fs.FileHandle;
    let created: boolean;
    try {
      await makeDirectory(dirname(path), 0o700);
      ({ handle, created } = await openLogFile(path));
    } catch (error) {
      throw new EventLogError(`Cannot open the event log ${path}: ${fileErrorReason(error)}.`);
    }
    try {
      const stat: Stats = await handle.stat();
      if (!stat.isFile()) throw new EventLogError(`The event log ${path} is not a regular file.`);
      const { entries, warnings, endsWithNewline } = await scanTail(handle, stat.size, historyLimit);
      let size = stat.size;
      // A crash can leave a last line without its newline; start the next record on a line
      // of its own so the torn fragment never glues onto it.
      if (!endsWithNewline) {
        await handle.write('\n');
        size += 1;
      }
      return { log: new EventLog(path, handle, size, entries, historyLimit, remembered, created), warnings };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  get lastSeq(): number {
    return this.#lastSeq;
  }

  /** The byte ranges of the history, oldest first (a copy: appends do not change it). */
  history(): LogEntry[] {
    return this.#entries.slice(this.#oldest());
  }

  /** The entries find() sees, oldest first (a copy): what a view may hold and search. */
  recent(): LogEntry[] {
    return this.#entries.slice(Math.max(0, this.#entries.length - this.#remembered));
  }

  /**
   * The entry of one of the recent events (this run's history and the VIEW_EVENT_LIMIT
   * logged since), newest first search: recent events are asked for most.
   */
  find(id: string): LogEntry | undefined {
    const oldest = Math.max(0, this.#entries.length - this.#remembered);
    for (let i = this.#entries.length - 1; i >= oldest; i--) if (this.#entries[i]!.id === id) return this.#entries[i];
    return undefined;
  }

  /** Where the history starts in #entries, which may hold up to twice what is remembered (see #flush). */
  #oldest(): number {
    return Math.max(0, this.#entries.length - this.historyLimit);
  }

  /**
   * Appends one event line (ending in its newline) and calls `done` once it is written.
   * Lines are written in call order; `seq` must grow.
   */
  appendEvent(key: { seq: number; id: string }, line: Buffer, done: AppendDone): void {
    this.#lastSeq = Math.max(this.#lastSeq, key.seq);
    this.#enqueue(line, key, done);
  }

  /** Appends a non-event record (forward results, saves), not part of the event history. */
  appendRecord(line: Buffer, done: AppendDone): void {
    this.#enqueue(line, null, done);
  }

  /** Reads one history entry back as the exact line that was written. */
  async read(entry: LogEntry): Promise<Buffer> {
    const buffer = Buffer.allocUnsafe(entry.length);
    const { bytesRead } = await this.#handle.read(buffer, 0, entry.length, entry.offset);
    return buffer.subarray(0, bytesRead);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#flush();
    } finally {
      await this.#handle.close();
    }
  }

  /**
   * Closes the log of a start that was refused (a port in use, a bad host): the file goes
   * too when this run made it and wrote nothing, so a failed start leaves nothing behind.
   */
  async discard(): Promise<void> {
    await this.close();
    if (this.#created && this.#size === 0) await fs.rm(this.path, { force: true });
  }

  #truncateTo(size: number): boolean {
    try {
      ftruncateSync(this.#handle.fd, size);
      return true;
    } catch {
      return false;
    }
  }

  #enqueue(line: Buffer, key: { seq: number; id: string } | null, done: AppendDone): void {
    if (this.#closed) {
      // Told later, as a write would be: the caller may still be setting up around the append.
      queueMicrotask(() => done(new Error('The event log is closed.')));
      return;
    }
    // The first append of a turn schedules the write, after the turn's I/O callbacks.
    if (this.#pending.push({ line, key, done }) === 1) setImmediate(this.#flush);
  }

  /** Everything queued so far in one buffer and one write(2): the group commit. */
  #flush = (): void => {
    const batch = this.#pending;
    if (batch.length === 0) return;
    this.#pending = [];
    let bound = 1;
    for (const item of batch) bound += item.line.length;
    if (bound > this.#scratch.length && bound <= MAX_SCRATCH) this.#scratch = Buffer.allocUnsafe(bound);
    const bytes = bound <= this.#scratch.length ? this.#scratch : Buffer.allocUnsafe(bound);
    const written: LogEntry[] = [];
    let end = 0;
    if (this.#torn) bytes[end++] = NEWLINE;
    for (const item of batch) {
      // An entry's range is its line without the newline: the stream message's text.
      // Field by field, not `{ ...item.key }`: a spread made V8 build a new hidden class per entry.
      if (item.key !== null) written.push({ seq: item.key.seq, id: item.key.id, offset: this.#size + end, length: item.line.length - 1 });
      end += item.line.copy(bytes, end);
    }
    let done = 0;
    try {
      while (done < end) done += writeSync(this.#handle.fd, bytes, done, end - done);
    } catch (error) {
      // The batch is refused whole, so what reached the file goes too: otherwise a line cut
      // short here would read, at the next start, like a crash's torn line, its real
      // cause (the reason below) lost. Only when even that fails does a torn line stay.
      let left = '';
      if (done > 0 && !this.#truncateTo(this.#size)) {
        this.#size += done;
        this.#torn = bytes[done - 1] !== NEWLINE;
        if (this.#torn) left = '; the line it was writing is left cut short, and is skipped when the log is read back';
      }
      const failure = new Error(`Cannot write to the event log ${this.path}: ${fileErrorReason(error)}${left}.`);
      tellAll(batch, failure);
      return;
    }
    this.#torn = false;
    this.#size += end;
    this.#entries.push(...written);
    // Trimmed to the limit once it is twice over, not on every write: shifting a thousand
    // entries on each group commit was a visible part of a request's cost.
    if (this.#entries.length >= 2 * this.#remembered) this.#entries.splice(0, this.#entries.length - this.#remembered);
    tellAll(batch, null);
  };
}

/**
 * Tells every append of a batch how it went. A callback that throws does not keep the
 * others from being told (each is a request waiting for its answer); the first error is
 * thrown once all were, so the bug still surfaces.
 */
function tellAll(batch: { done: AppendDone }[], error: Error | null): void {
  let failure: { error: unknown } | null = null;
  for (const item of batch) {
    try {
      item.done(error);
    } catch (thrown) {
      failure ??= { error: thrown };
    }
  }
  if (failure) throw failure.error;
}

/** Opens the log for appending (mode 0600), saying whether this call created it. */
async function openLogFile(path: string): Promise<{ handle: fs.FileHandle; created: boolean }> {
  const flags = constants.O_RDWR | constants.O_CREAT | constants.O_APPEND;
  try {
    return { handle: await fs.open(path, flags | constants.O_EXCL, 0o600), created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return { handle: await fs.open(path, flags, 0o600), created: false };
  }
}

/**
 * Reads backwards from the end in chunks until `limit` event lines are found (or the scan
 * limit is reached), validating each line once. Invalid lines are reported and skipped.
 */
async function scanTail(
  handle: fs.FileHandle,
  size: number,
  limit: number,
): Promise<{ entries: LogEntry[]; warnings: string[]; endsWithNewline: boolean }> {
  const entries: LogEntry[] = [];
  const warnings: string[] = [];
  if (size === 0) return { entries, warnings, endsWithNewline: true };

  const last = Buffer.alloc(1);
  await handle.read(last, 0, 1, size - 1);
  const endsWithNewline = last[0] === 0x0a;

  const floor = Math.max(0, size - TAIL_SCAN_LIMIT);
  let end = size; // the region [end, size) is scanned, but for `carry`
  let carry = Buffer.alloc(0); // the start of a line whose beginning lies before `end`
  let atLastLine = true;
  while (end > floor && entries.length < limit) {
    const start = Math.max(floor, end - SCAN_CHUNK);
    const chunk = Buffer.allocUnsafe(end - start);
    await handle.read(chunk, 0, chunk.length, start);
    const region = carry.length > 0 ? Buffer.concat([chunk, carry]) : chunk;
    // Unless we are at the start of the file, the region's first line may begin earlier.
    const firstLine = start === 0 ? 0 : region.indexOf(0x0a) + 1;
    end = start;
    if (firstLine === 0 && start !== 0) {
      carry = region;
      continue;
    }
    carry = region.subarray(0, Math.max(0, firstLine - 1));
    const lines: { from: number; to: number }[] = [];
    for (let from = firstLine; from < region.length; ) {
      const newline = region.indexOf(0x0a, from);
      const to = newline === -1 ? region.length : newline;
      if (to > from) lines.push({ from, to });
      from = to + 1;
    }
    for (let i = lines.length - 1; i >= 0 && entries.length < limit; i--) {
      const { from, to } = lines[i]!;
      const line = region.subarray(from, to);
      const torn = atLastLine && !endsWithNewline;
      atLastLine = false;
      const key = eventKey(line);
      if (key !== null) entries.push({ ...key, offset: start + from, length: line.length });
      else if (torn) warnings.push(TORN_LAST_LINE);
      else if (!isOtherRecord(line)) warnings.push(invalidLineWarning(line.length, start + from));
    }
  }
  entries.reverse();
  warnings.reverse();
  return { entries, warnings, endsWithNewline };
}

/** The warnings for lines that cannot be read back: here and wherever else the log is read. */
export const TORN_LAST_LINE = 'Skipped the last line of the event log: it was cut short (the process stopped, or a write failed, mid-line).';
export const invalidLineWarning = (length: number, offset: number): string =>
  `Skipped a line of the event log that is not a valid record (${length} bytes at offset ${offset}).`;

function eventKey(line: Buffer): { seq: number; id: string } | null {
  try {
    const record = JSON.parse(line.toString('utf8')) as { kind?: unknown; event?: { seq?: unknown; id?: unknown } };
    if (record.kind !== 'event' || typeof record.event !== 'object' || record.event === null) return null;
    const { seq, id } = record.event;
    return typeof seq === 'number' && typeof id === 'string' ? { seq, id } : null;
  } catch {
    return null;
  }
}

function isOtherRecord(line: Buffer): boolean {
  try {
    const record = JSON.parse(line.toString('utf8')) as { kind?: unknown };
    return typeof record.kind === 'string' && record.kind !== 'event';
  } catch {
    return false;
  }
}
