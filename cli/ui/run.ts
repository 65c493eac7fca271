// Entry point of the TUI, for the listen and attach commands. Loaded with
// `await import()` only when the TUI will run, so other paths never load Ink or React;
// this module itself imports neither until the environment is ready.
import { setFlagsFromString } from 'node:v8';

export interface RunTuiOptions {
  inspectUrl: string;
  title?: string;
  /** Where the inspector is after a restart (StreamOptions.refreshUrl). */
  refreshUrl?: () => Promise<string | null>;
}

// The alternate screen keeps the user's scrollback intact and is left on every exit path.
const ENTER_ALT_SCREEN = '\u001b[?1049h\u001b[H';
const LEAVE_ALT_SCREEN = '\u001b[?1049l';

/**
 * Four settings for a process that draws the TUI, made before Ink and React are first
 * imported:
 * - Ink draws nothing but the last frame, at exit, when the environment says CI (CI or
 *   CONTINUOUS_INTEGRATION set). We only get here with a terminal on both ends, so a
 *   person is watching whatever the environment says: those variables are cleared for
 *   this process.
 * - React loads its development build unless NODE_ENV says production; that build is
 *   several times slower per frame and holds far more memory: an attached TUI shown
 *   10,000 events of 8 KB reached 600-850 MB of RSS in it, where the production build
 *   stays under 200 MB (test/hardening/memory.test.ts, run by vitest, which sets
 *   NODE_ENV=test). Developers often export NODE_ENV=development for their own apps, and
 *   React's development build has nothing for a user of this tool, so the TUI's process
 *   always runs the production build.
 * - Every Ink frame allocates a few MB that die young, and V8's default heap growth
 *   lets the old generation swell past 300 MB while keys are pressed with 10,000 events
 *   held (bench/tui.ts), for about 55 MB of live data. Growing the heap by 20% past the
 *   live size instead keeps the peak under 200 MB; the extra collections cost no
 *   measurable key latency. (--optimize-for-size did as well for memory but made the
 *   free-text filter 20 times slower.)
 * - The young generation starts small and V8 doubles it under a high rate of allocation,
 *   as a history's arrival is, up to 16 MB a semi-space, all of it then resident. Kept at
 *   its first size (a growth factor of 1: the size V8 reads when it would grow, unlike
 *   --max-semi-space-size, which only a process's start reads), the TUI's peak RSS with
 *   10,000 events went from 179-196 to 149-152 MB, for 0.5-1 ms more a key press
 *   (BENCHMARKS.md, issue 16).
 */
/**
 * The TUI's code, once the environment is prepared: mount.tsx and all it imports, Ink and
 * React with them, as one bundle (rolldown.config.mjs). Ink imports one function from
 * es-toolkit's `compat` entry, which loads 415 modules of it: 22 MB of RSS and 0.4 s, which
 * the bundle's tree-shaking leaves out (BENCHMARKS.md, issue 16). The specifier is a
 * variable so that tsc, which never sees the bundle, does not look for it.
 */
export async function loadTui(): Promise<typeof import('./mount.js')> {
  const bundle = './tui.js';
  return (await import(bundle)) as typeof import('./mount.js');
}

export function prepareEnvironment(): void {
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  process.env.NODE_ENV = 'production';
  setFlagsFromString('--heap-growing-percent=20');
  setFlagsFromString('--semi-space-growth-factor=1');
}

/**
 * Runs the TUI on the inspector stream at `inspectUrl` until the user quits (q or
 * Ctrl-C) or the process gets SIGINT, SIGTERM or SIGHUP; resolves once the terminal is
 * restored. Needs TTY stdin and stdout.
 */
export async function runTui(options: RunTuiOptions): Promise<void> {
  prepareEnvironment();
  const { mount } = await loadTui();
  const stdout = process.stdout;
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    stdout.write(LEAVE_ALT_SCREEN);
  };
  // A signal or an uncaught error must not leave the terminal on the alternate screen.
  process.once('exit', restore);
  stdout.write(ENTER_ALT_SCREEN);
  // Asked to stop from outside (kill, a closed terminal): close the screen as q would, so
  // the caller's own shutdown runs with the terminal already restored.
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  let stop = () => {};
  try {
    const streamOptions = options.refreshUrl ? { refreshUrl: options.refreshUrl } : undefined;
    const instance = mount({ inspectUrl: options.inspectUrl, title: options.title, streamOptions });
    stop = () => instance.unmount();
    for (const signal of signals) process.once(signal, stop);
    await instance.waitUntilExit();
    instance.cleanup();
  } finally {
    for (const signal of signals) process.off(signal, stop);
    restore();
    process.off('exit', restore);
  }
}
