// Entry point of the TUI, for the listen and attach commands. Loaded with
// `await import()` only when the TUI will run, so other paths never load Ink or React.
import { render } from 'ink';
import { App } from './App.js';

export interface RunTuiOptions {
  inspectUrl: string;
  title?: string;
}

// The alternate screen keeps the user's scrollback intact and is left on every exit path.
const ENTER_ALT_SCREEN = '\u001b[?1049h\u001b[H';
const LEAVE_ALT_SCREEN = '\u001b[?1049l';

/**
 * Runs the TUI on the inspector stream at `inspectUrl` until the user quits (q or
 * Ctrl-C); resolves once the terminal is restored. Needs TTY stdin and stdout.
 */
export async function runTui(options: RunTuiOptions): Promise<void> {
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
  try {
    const instance = render(<App inspectUrl={options.inspectUrl} title={options.title} />, {
      exitOnCtrlC: false, // Ctrl-C is a binding in the key table, so it quits the same clean way as q
      maxFps: 30,
    });
    await instance.waitUntilExit();
    instance.cleanup();
  } finally {
    restore();
    process.off('exit', restore);
  }
}
