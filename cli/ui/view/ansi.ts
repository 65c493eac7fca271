// A line of styled segments as the one string a terminal draws: cut to a pane's width in
// terminal cells, then styled with SGR codes. StyledLine hands Ink this string through a
// <Transform>, so Ink never measures (and never caches) the text itself: see StyledLine.
import { paint } from './theme.js';
import type { Colour } from './theme.js';
import type { Line, Segment } from './text.js';

const FOREGROUND: Record<Colour, number> = { red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, gray: 90 };

/**
 * Cells a code point takes: 2 for the East Asian wide and fullwidth ranges and the
 * emoji blocks, 0 for combining marks, else 1. Close enough for a pane's edge: a line that
 * is cut must never run past it, or the terminal wraps it and the layout breaks.
 */
export function cellWidth(codePoint: number): number {
  if (codePoint < 0x300) return 1;
  if (codePoint <= 0x36f || (codePoint >= 0x200b && codePoint <= 0x200f) || (codePoint >= 0xfe00 && codePoint <= 0xfe0f)) return 0;
  if (
    (codePoint >= 0x1100 && codePoint <= 0x115f) ||
    (codePoint >= 0x2e80 && codePoint <= 0xa4cf) ||
    (codePoint >= 0xac00 && codePoint <= 0xd7a3) ||
    (codePoint >= 0xf900 && codePoint <= 0xfaff) ||
    (codePoint >= 0xfe30 && codePoint <= 0xfe4f) ||
    (codePoint >= 0xff00 && codePoint <= 0xff60) ||
    (codePoint >= 0xffe0 && codePoint <= 0xffe6) ||
    (codePoint >= 0x1f300 && codePoint <= 0x1faff) ||
    (codePoint >= 0x20000 && codePoint <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

/** The line cut at `width` cells (a cut line ends in an ellipsis, as Ink's truncate-end did), and the cells it takes. */
export function cutLine(line: Line, width: number): { line: Line; cells: number } {
  let cells = 0;
  for (let i = 0; i < line.length; i++) {
    const segment = line[i] as Segment;
    let at = 0;
    for (const char of segment.text) {
      const w = cellWidth(char.codePointAt(0) as number);
      if (cells + w > width) return cutAt(line, i, at, cells, width);
      cells += w;
      at += char.length;
    }
  }
  return { line, cells };
}

/** Segments before `index`, the first `at` UTF-16 units of segment `index`, then `…` if it fits. */
function cutAt(line: Line, index: number, at: number, cells: number, width: number): { line: Line; cells: number } {
  const kept: Segment[] = line.slice(0, index);
  const segment = line[index] as Segment;
  const chars = Array.from(segment.text.slice(0, at));
  // Room for the ellipsis: give back the last characters while the line is full.
  while (cells + 1 > width && chars.length > 0) cells -= cellWidth((chars.pop() as string).codePointAt(0) as number);
  const ellipsis = cells + 1 <= width ? '…' : '';
  kept.push({ ...segment, text: chars.join('') + ellipsis });
  return { line: kept, cells: cells + ellipsis.length };
}

/** The SGR parameters of a segment; `inverse` is the whole line's (a selected row). */
function codes(segment: Segment, inverse: boolean): string {
  const on: number[] = [];
  if (segment.bold) on.push(1);
  if (segment.dim) on.push(2);
  if (inverse || segment.inverse) on.push(7);
  const colour = paint(segment.colour);
  if (colour) on.push(FOREGROUND[colour]);
  return on.join(';');
}

/**
 * The line as terminal text: styled with SGR codes when `styled`, else plain (a pipe, a
 * test's fake terminal). A code only where the style changes: Ink reads every character
 * of every line again each frame, escape codes included.
 */
export function lineToAnsi(line: Line, inverse: boolean, styled: boolean): string {
  let out = '';
  let current = '';
  for (const segment of line) {
    const sgr = styled ? codes(segment, inverse) : '';
    if (sgr !== current) out += current === '' ? `\u001b[${sgr}m` : `\u001b[0${sgr === '' ? '' : `;${sgr}`}m`;
    current = sgr;
    out += segment.text;
  }
  return current === '' ? out : `${out}\u001b[0m`;
}
