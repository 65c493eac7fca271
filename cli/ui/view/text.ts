// Lines of styled segments: what every pane draws. Webhook bodies and headers are
// untrusted, and Ink passes colour and OSC sequences through, so every pane shows sender
// text through paneText.
import { safeText } from '../../output/terminal-text.js';
import type { Colour } from './theme.js';

export interface Segment {
  text: string;
  colour?: Colour;
  bold?: boolean;
  dim?: boolean;
  inverse?: boolean;
}

export type Line = readonly Segment[];

/**
 * Sender text for a pane: control characters escaped by the one sanitizer, then tabs as
 * two spaces, because Ink measures a tab as one cell while the terminal moves up to eight
 * and the pane's borders would shift.
 */
export function paneText(text: string): string {
  return safeText(text).replace(/\t/g, '  ');
}

export function seg(text: string, style: Omit<Segment, 'text'> = {}): Segment {
  return { text, ...style };
}

export function plain(text: string): Line {
  return [{ text }];
}

export function lineText(line: Line): string {
  let out = '';
  for (const s of line) out += s.text;
  return out;
}

/** Where a line of `chars` breaks to fit `width`: after the last space that leaves a
 * reasonably full row (word wrap), else exactly at the width (a long token). */
function breakPoints(chars: readonly string[], width: number): number[] {
  const breaks: number[] = [];
  let start = 0;
  while (chars.length - start > width) {
    let end = start + width;
    for (let i = end; i > start + width / 2; i--) {
      if (chars[i - 1] === ' ') {
        end = i;
        break;
      }
    }
    breaks.push(end);
    start = end;
  }
  return breaks;
}

/**
 * Wraps one line to `width` columns, keeping each segment's style. Counts code points,
 * not display cells: wide characters are rare in lab data and Ink cuts any overflow, so
 * the worst case is a clipped cell, never a broken layout.
 */
export function wrapLine(line: Line, width: number): Line[] {
  const w = Math.max(1, width);
  const pieces = line.map((s) => ({ style: s, chars: Array.from(s.text) }));
  const breaks = breakPoints(pieces.flatMap((p) => p.chars), w);
  const rows: Segment[][] = [[]];
  let offset = 0; // code points emitted so far
  let next = 0; // index into breaks
  for (const { style, chars } of pieces) {
    let from = 0;
    while (from < chars.length) {
      const limit = breaks[next] ?? Infinity;
      if (offset === limit) {
        rows.push([]);
        next++;
        continue;
      }
      const take = Math.min(chars.length - from, limit - offset);
      (rows[rows.length - 1] as Segment[]).push({ ...style, text: chars.slice(from, from + take).join('') });
      from += take;
      offset += take;
    }
  }
  return rows;
}

export function wrapLines(lines: readonly Line[], width: number): Line[] {
  const out: Line[] = [];
  for (const line of lines) {
    if (lineText(line).length <= width) out.push(line);
    else out.push(...wrapLine(line, width));
  }
  return out;
}

/** Pads or cuts to exactly `width` columns (cut text ends in an ellipsis). */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  if (width <= 0) return '';
  const chars = Array.from(text);
  if (chars.length > width) return width === 1 ? '…' : chars.slice(0, width - 1).join('') + '…';
  const pad = ' '.repeat(width - chars.length);
  return align === 'left' ? text + pad : pad + text;
}

/** Local wall-clock time of an ISO timestamp, HH:MM:SS. */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '--:--:--';
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}
