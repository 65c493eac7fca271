// Helpers for the Ink tests: wait on frames instead of sleeping, name key codes, resize
// ink-testing-library's fake stdout.
import { EventEmitter } from 'node:events';

export const KEY = {
  up: '\u001B[A',
  down: '\u001B[B',
  right: '\u001B[C',
  left: '\u001B[D',
  pageUp: '\u001B[5~',
  pageDown: '\u001B[6~',
  tab: '\t',
  shiftTab: '\u001B[Z',
  enter: '\r',
  escape: '\u001B',
  backspace: '\u007F',
  ctrlC: '\u0003',
} as const;

/** Polls `read` until `test` accepts its value; fails with the last value seen. */
export async function waitFor<T>(read: () => T, test: (value: T) => boolean, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = read();
  while (!test(value)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last value:\n${String(value)}`);
    await new Promise((r) => setTimeout(r, 10));
    value = read();
  }
  return value;
}

/** Waits until the last frame contains every one of `texts` (strings or patterns). */
export function waitForFrame(lastFrame: () => string | undefined, ...texts: (string | RegExp)[]): Promise<string> {
  const has = (frame: string, t: string | RegExp) => (typeof t === 'string' ? frame.includes(t) : t.test(frame));
  return waitFor(
    () => lastFrame() ?? '',
    (frame) => texts.every((t) => has(frame, t)),
    texts.map(String).join(' and '),
  );
}

/** Gives ink-testing-library's fixed 100-column stdout a size and tells Ink it changed. */
export function resize(stdout: EventEmitter, columns: number, rows: number): void {
  Object.defineProperty(stdout, 'columns', { value: columns, configurable: true });
  Object.defineProperty(stdout, 'rows', { value: rows, configurable: true });
  stdout.emit('resize');
}

/** Masks wall-clock times so frames compare across runs. */
export function maskTimes(frame: string): string {
  return frame.replace(/\b\d\d:\d\d:\d\d\b/g, 'HH:MM:SS');
}
