// Renders the App with Ink. Imported by run.ts (and the benchmark) only after the
// environment is prepared, because React picks its build when it is first loaded.
import { render, type Instance, type RenderOptions } from 'ink';
import { App, type AppProps } from './App.js';
import { installInkOutput } from './ink-output.js';

await installInkOutput();

/** How the TUI is rendered, by the CLI and the benchmark alike. */
export const RENDER_OPTIONS = {
  exitOnCtrlC: false, // Ctrl-C is a binding in the key table, so it quits the same clean way as q
  maxFps: 30,
} satisfies RenderOptions;

export function mount(props: AppProps, streams: Pick<RenderOptions, 'stdout' | 'stdin'> & { patchConsole?: boolean } = {}): Instance {
  return render(<App {...props} />, { ...RENDER_OPTIONS, ...streams });
}
