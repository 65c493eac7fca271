// What the TUI has drawn must not stay in memory: Ink caches the measure of every
// distinct <Text> string it ever laid out, forever (ink/build/measure-text.js), so a TUI
// following a stream, each frame drawing rows and body lines never drawn before, grew
// by kilobytes a frame whatever its store dropped (1.4 GB in a long attached session).
// The detail pane draws 1,200 frames of lines never seen before; the heap after a full
// collection must not grow with them.
import { render } from 'ink-testing-library';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { DetailPane } from '../../../cli/ui/components/DetailPane.js';
import { makeEvent } from '../../helpers/inspector-feed.js';
import { seg, type Line } from '../../../cli/ui/view/text.js';
import { installInkOutput } from '../../../cli/ui/ink-output.js';

// As the TUI draws: with the frame builder that remembers the frame before.
await installInkOutput();

const FRAMES = 1200;
const WARM_UP = 200;
const ROWS = 37;
const WIDTH = 55;
const MiB = 1024 * 1024;

// A full collection on demand without starting vitest with --expose-gc: the flag takes
// effect for the contexts made while it is set.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
setFlagsFromString('--no-expose-gc');

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Frame `n`'s lines, as a new event's body would draw them: none was drawn before. */
function linesOf(n: number): Line[] {
  return Array.from({ length: ROWS }, (_, i) => [seg(`  "reading": ${n * ROWS + i},`, { colour: 'cyan' }), seg(` "panel": "P-${i}-${n}"`)]);
}

describe('memory of the TUI drawing', () => {
  it(`stays flat over ${FRAMES.toLocaleString('en-US')} frames of lines never drawn before`, () => {
    const event = makeEvent({ seq: 1 });
    const pane = (n: number) => <DetailPane event={event} tab="body" lines={linesOf(n)} scroll={0} width={WIDTH} rows={ROWS} />;
    const ui = render(pane(0));
    let before = 0;
    for (let n = 1; n <= FRAMES; n++) {
      ui.rerender(pane(n));
      // ink-testing-library keeps every frame written; a terminal does not.
      ui.frames.length = 0;
      if (n === WARM_UP) before = heapAfterGc();
    }
    expect(ui.lastFrame()).toContain(`"P-0-${FRAMES}"`);
    const grown = heapAfterGc() - before;
    ui.unmount();
    // Ink's cache grew about 5 MB over these 1,000 frames; the pane holds one frame's lines.
    expect(grown / MiB).toBeLessThan(2);
  }, 60_000);
});
