// One line of styled segments, cut (never wrapped) at the pane's edge.
//
// Ink measures every <Text> by its text and keeps each measure in a module-level cache
// that nothing empties (ink/build/measure-text.js), so every distinct line ever drawn
// stayed in memory: a TUI following a stream grew by a few KB per event, without bound,
// whatever it dropped. Here Ink measures only a run of spaces as wide as the line (at most
// a few hundred distinct strings), and the <Transform> puts the styled line in its place
// when the frame is written. One Ink node a line instead of one a segment is also less
// for React and Yoga to do each frame.
import { memo } from 'react';
import { Text, Transform, useStdout } from 'ink';
import { cutLine, lineToAnsi } from '../view/ansi.js';
import type { Line } from '../view/text.js';

const BLANK = ' ';

export const StyledLine = memo(function StyledLine({ line, width, inverse = false }: { line: Line; width: number; inverse?: boolean }) {
  const { stdout } = useStdout();
  const cut = cutLine(line, Math.max(1, width));
  if (cut.cells === 0) return <Text>{BLANK}</Text>;
  const text = lineToAnsi(cut.line, inverse, stdout.isTTY === true);
  return <Transform transform={() => text}>{BLANK.repeat(cut.cells)}</Transform>;
});
