// One inspector per log directory (SPEC.md "One inspector per log"): while `listen` runs,
// the log's directory holds inspector.json, which names the process and its URLs. Two
// inspectors sharing a log would both number events from the same last `seq` and write
// duplicates, so a second one is refused while the first lives. The file is created with
// O_EXCL, so of two inspectors starting at once only one gets it; a file whose process is
// gone (a crash, a kill -9), whose pid now belongs to a process started after it (a pid
// reused, as after a reboot), or that cannot be parsed is taken over, with a warning.
// `attach` without a URL reads the same file (readInspectorFile).
import { constants, promises as fs, renameSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileErrorReason } from './file-errors.js';

export const INSPECTOR_FILE = 'inspector.json';

export interface InspectorFile {
  pid: number;
  webhookUrl: string | null;
  inspectUrl: string | null;
  /** The web inspector's URL; null until the web inspector exists. */
  uiUrl: string | null;
  logPath: string;
  startedAt: string;
}

/** Another inspector holds the directory, or the file cannot be made; one sentence for the user. */
export class InspectorLockError extends Error {}

/** The inspector.json beside a log. */
export const inspectorFilePath = (logPath: string): string => join(dirname(logPath), INSPECTOR_FILE);

/** The parsed file, or null when there is none or it is not one (unreadable, half-written, foreign). */
export async function readInspectorFile(path: string): Promise<InspectorFile | null> {
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch {
    return null;
  }
  return parse(text);
}

function parse(text: string): InspectorFile | null {
  try {
    const value = JSON.parse(text) as Partial<InspectorFile>;
    return Number.isSafeInteger(value.pid) && (value.pid ?? 0) > 0 && typeof value.logPath === 'string' ? (value as InspectorFile) : null;
  } catch {
    return null;
  }
}

/** Whether a process with this pid exists (EPERM: it does, owned by someone else). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A process that started more than this after the file it is named in was written is
 * not the one that wrote it. Generous, because the start is worked out from the boot time,
 * which moves when the wall clock is set: only a clock set forward by more than this while
 * an inspector runs could make a live one look gone. A reused pid comes far later.
 */
const REUSED_PID_SLACK_MS = 60_000;
/** Linux reports process start times in these (USER_HZ, 100 on every platform Node runs on). */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * When the process with this pid started (ms since the epoch), where the system says so
 * (Linux's /proc); null elsewhere or when it cannot be read.
 */
function processStartedAt(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22, starttime; counted after the command name, which is in parentheses and may hold spaces.
    const ticks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
    const bootSeconds = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1]);
    return Number.isFinite(ticks) && Number.isFinite(bootSeconds) ? bootSeconds * 1000 + (ticks * 1000) / CLOCK_TICKS_PER_SECOND : null;
  } catch {
    return null;
  }
}

/** Whether the inspector a file names is still running. */
export function inspectorRunning(holder: InspectorFile): boolean {
  return goneBecause(holder) === null;
}

/** Why the inspector a file names is not running, or null when it is. */
function goneBecause(holder: InspectorFile): string | null {
  if (!processAlive(holder.pid)) return `the inspector it names (pid ${holder.pid}) is no longer running`;
  const started = processStartedAt(holder.pid);
  const written = Date.parse(holder.startedAt);
  if (started !== null && Number.isFinite(written) && started > written + REUSED_PID_SLACK_MS) {
    return `the inspector it names (pid ${holder.pid}) is no longer running: that pid now belongs to a process started after the file was written`;
  }
  return null;
}

export class InspectorLock {
  readonly path: string;
  #content: InspectorFile;
  #released = false;
  // The last way out: a process that exits without release() (process.exit) still removes it.
  #onExit = (): void => this.releaseSync();

  private constructor(path: string, content: InspectorFile) {
    this.path = path;
    this.#content = content;
    process.once('exit', this.#onExit);
  }

  /**
   * Takes the directory of `logPath` (created if missing) for this process, or throws
   * InspectorLockError naming the inspector that holds it. `warn` hears a takeover.
   */
  static async acquire(logPath: string, warn: (message: string) => void): Promise<InspectorLock> {
    const path = inspectorFilePath(logPath);
    const content: InspectorFile = { pid: process.pid, webhookUrl: null, inspectUrl: null, uiUrl: null, logPath, startedAt: new Date().toISOString() };
    try {
      await fs.mkdir(dirname(path), { recursive: true, mode: 0o700 });
    } catch (error) {
      throw new InspectorLockError(`Cannot open the event log ${logPath}: ${fileErrorReason(error)}.`);
    }
    // The exclusive create decides; a stale file in the way is taken over, and the create
    // tried again. Several inspectors starting at once after a crash each see the stale
    // file; the one that takes it over wins, the others then find its file.
    for (let attempt = 0; ; attempt++) {
      try {
        await fs.writeFile(path, serialize(content), { flag: constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, mode: 0o600 });
        return new InspectorLock(path, content);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= MAX_ATTEMPTS) throw new InspectorLockError(await cannotWrite(logPath, path, error));
      }
      const text = await fs.readFile(path, 'utf8').catch(() => null);
      if (text === null) continue; // removed meanwhile: try the create again
      const holder = parse(text);
      const gone = holder && goneBecause(holder);
      if (holder && !gone) {
        throw new InspectorLockError(
          `Another inspector (pid ${holder.pid}) is running with its log in ${dirname(path)}: attach to it with \`coreone-inspect attach\`, stop it, or give this one --log in another directory.`,
        );
      }
      if (await removeStale(path, text)) warn(`Took over ${path}: ${gone || "it could not be read as an inspector's file"}.`);
    }
  }

  /** Fills in the URLs once the inspector listens: written whole, then renamed over, so a reader never sees half. */
  publish(urls: Pick<InspectorFile, 'webhookUrl' | 'inspectUrl' | 'uiUrl'>): void {
    this.#content = { ...this.#content, ...urls };
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, serialize(this.#content), { mode: 0o600 });
    renameSync(temporary, this.path);
  }

  /** Removes the file, unless another inspector has taken it over since (then it is theirs). */
  releaseSync(): void {
    if (this.#released) return;
    this.#released = true;
    process.removeListener('exit', this.#onExit);
    try {
      if (parse(readFileSync(this.path, 'utf8'))?.pid === process.pid) rmSync(this.path, { force: true });
    } catch {
      // Already gone, or unreadable: nothing of ours to remove.
    }
  }
}

/** Tries of the exclusive create, between which stale files are taken over or others wait. */
const MAX_ATTEMPTS = 100;
/** A takeover marker this old was left by a process that died in the middle of one. */
const MARKER_STALE_MS = 2_000;
const MARKER_WAIT_MS = 20;

/**
 * Removes the stale file at `path` if it still holds `stale`; true when this process did.
 * Read and remove happen under a marker made with O_EXCL, so that of two processes that
 * read the same stale file, the second cannot remove the fresh file the first wrote in its
 * place. (Only a marker left by a crash, removed by two processes at once, reopens that.)
 */
async function removeStale(path: string, stale: string): Promise<boolean> {
  const marker = `${path}.takeover`;
  try {
    await fs.writeFile(marker, String(process.pid), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new InspectorLockError(`Cannot take over ${path}, left by an inspector that is gone: ${fileErrorReason(error)}.`);
    // Another process is taking over: look again once it is done.
    const age = await fs.stat(marker).then((s) => Date.now() - s.mtimeMs, () => 0);
    if (age > MARKER_STALE_MS) await fs.rm(marker, { force: true });
    else await new Promise((resolve) => setTimeout(resolve, MARKER_WAIT_MS));
    return false;
  }
  try {
    if ((await fs.readFile(path, 'utf8').catch(() => null)) !== stale) return false;
    await fs.rm(path, { force: true });
    return true;
  } finally {
    await fs.rm(marker, { force: true });
  }
}

/**
 * Why the file cannot be made, as the log's own problem when the log cannot be written
 * either (a read-only log, or one in a directory this user may not write): the message
 * opening it would give.
 */
async function cannotWrite(logPath: string, path: string, error: unknown): Promise<string> {
  const logWritable = await fs.access(logPath, constants.W_OK).then(
    () => true,
    () => false,
  );
  return logWritable
    ? `Cannot write ${path}, which marks the directory of the event log as in use: ${fileErrorReason(error)}.`
    : `Cannot open the event log ${logPath}: ${fileErrorReason(error)}.`;
}

function serialize(content: InspectorFile): string {
  return `${JSON.stringify(content)}\n`;
}
