// Helpers for the Ink tests: wait on frames instead of sleeping, name key codes, resize
// ink-testing-library's fake stdout.
import type { EventEmitter } from 'node:events';
import { waitFor } from './wait.js';

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

/** Waits until the last frame contains every one of `texts`; a timeout shows that frame. */
export async function waitForFrame(lastFrame: () => string | undefined, ...texts: (string | RegExp)[]): Promise<string> {
  const has = (frame: string, t: string | RegExp) => (typeof t === 'string' ? frame.includes(t) : t.test(frame));
  const what = texts.map(String).join(' and ');
  try {
    return await waitFor(
      () => {
        const frame = lastFrame() ?? '';
        return texts.every((t) => has(frame, t)) ? frame : null;
      },
      { timeoutMs: 5000, what },
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}\nLast frame:\n${lastFrame() ?? '(none)'}`);
  }
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
