// A TTY-shaped stdout and stdin for drawing the real App with Ink itself (not
// ink-testing-library, whose stdout is no TTY, so StyledLine draws no colour): used by
// the TUI benchmark and by the tests that compare Ink's frames.
import { EventEmitter } from 'node:events';

// Frames are checked for text; colour and cursor codes are removed first.
const stripAnsi = (text: string) => text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const now = () => performance.timeOrigin + performance.now(); // wall clock, sub-ms, shared by processes

/** A TTY-shaped stdout that keeps the last frame Ink wrote and when. */
export class FakeStdout extends EventEmitter {
  readonly isTTY = true;
  frames = 0;
  lastFrame = '';
  #waiters: ((frame: string) => void)[] = [];
  constructor(
    readonly columns: number,
    readonly rows: number,
  ) {
    super();
  }
  write = (chunk: string): boolean => {
    // Synchronized-output markers come as writes of their own around each frame.
    if (chunk === '\u001b[?2026h' || chunk === '\u001b[?2026l' || chunk === '') return true;
    this.frames++;
    this.lastFrame = stripAnsi(chunk);
    for (const wake of this.#waiters.splice(0)) wake(this.lastFrame);
    return true;
  };
  nextFrame(): Promise<string> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
  /** Waits for a frame that passes `test`; resolves with the wall-clock time it came. */
  async until(test: (frame: string) => boolean, timeoutMs: number, what: string): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (!test(this.lastFrame)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no frame with ${what} within ${timeoutMs} ms; the last:\n${this.lastFrame}`);
      await Promise.race([this.nextFrame(), sleep(Math.min(left, 250))]);
    }
    return now();
  }
}

/** A TTY-shaped stdin that hands Ink what is written to it. */
export class FakeStdin extends EventEmitter {
  readonly isTTY = true;
  #queue: string[] = [];
  write(data: string): void {
    this.#queue.push(data);
    this.emit('readable');
  }
  read(): string | null {
    return this.#queue.shift() ?? null;
  }
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}
