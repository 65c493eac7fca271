// Lines of styled segments: what every pane draws. Webhook bodies and headers are
// untrusted, so control characters are made visible here (Ink passes colour and OSC
// sequences through, and an OSC 52 in a body could write to the user's clipboard).
import type { Colour } from './theme.js';

export interface Segment {
  text: string;
  colour?: Colour;
  bold?: boolean;
  dim?: boolean;
  inverse?: boolean;
}

export type Line = readonly Segment[];

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** C0/C1 controls become their Unicode "control picture" (or U+FFFD); tabs become spaces. */
export function sanitize(text: string): string {
  return text.replace(/\t/g, '  ').replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    if (code === 0x7f) return '\u2421';
    return '\ufffd';
  });
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

/**
 * Hard-wraps one line to `width` columns, keeping each segment's style. Counts code
 * points, not display cells: wide characters are rare in lab data and Ink truncates any
 * overflow, so the worst case is a clipped cell, never a broken layout.
 */
export function wrapLine(line: Line, width: number): Line[] {
  const w = Math.max(1, width);
  const rows: Segment[][] = [[]];
  let used = 0;
  for (const s of line) {
    let chars = Array.from(s.text);
    while (chars.length > 0) {
      if (used === w) {
        rows.push([]);
        used = 0;
      }
      const take = chars.slice(0, w - used);
      chars = chars.slice(take.length);
      (rows[rows.length - 1] as Segment[]).push({ ...s, text: take.join('') });
      used += take.length;
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

export function formatSize(bytes: number): string {
  if (bytes < 1000) return `${bytes}B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)}kB`;
  return `${(bytes / 1_000_000).toFixed(1)}MB`;
}

/** Local wall-clock time of an ISO timestamp, HH:MM:SS. */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '--:--:--';
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}
