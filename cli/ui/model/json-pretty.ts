// Pretty-prints a JSON body from its raw text rather than from JSON.parse, so numbers
// keep every digit, duplicate keys stay visible and key order is exactly as sent: an
// inspector must show what arrived, not what JavaScript made of it.
import type { Colour } from '../view/theme.js';
import { paneText, type Line, type Segment } from '../view/text.js';

const INDENT = '  ';

const LITERAL_COLOURS: Record<string, Colour> = { true: 'magenta', false: 'magenta', null: 'magenta' };

/**
 * Lines of coloured tokens for a body already known to parse as JSON. Keys are cyan,
 * strings green, numbers yellow, true/false/null magenta, punctuation plain.
 */
export function prettyJsonLines(raw: string): Line[] {
  const lines: Segment[][] = [];
  let current: Segment[] = [];
  let depth = 0;
  // For each open container: is it an object, and does the next string start a key?
  const stack: { object: boolean; expectKey: boolean }[] = [];
  const newline = (nextDepth: number) => {
    lines.push(current);
    current = nextDepth > 0 ? [{ text: INDENT.repeat(nextDepth) }] : [];
  };
  const push = (text: string, colour?: Colour) => current.push(colour ? { text, colour } : { text });

  let i = 0;
  while (i < raw.length) {
    const c = raw[i] as string;
    if (c === ' ' || c === '\n' || c === '\r' || c === '\t') {
      i++;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      while (j < raw.length && raw[j] !== '"') j += raw[j] === '\\' ? 2 : 1;
      const text = paneText(raw.slice(i, j + 1));
      const top = stack[stack.length - 1];
      if (top?.object && top.expectKey) {
        push(text, 'cyan');
        top.expectKey = false;
      } else push(text, 'green');
      i = j + 1;
      continue;
    }
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      // Empty containers stay on one line.
      let j = i + 1;
      while (j < raw.length && /\s/.test(raw[j] as string)) j++;
      if (raw[j] === close) {
        push(c + close);
        i = j + 1;
        continue;
      }
      push(c);
      stack.push({ object: c === '{', expectKey: c === '{' });
      depth++;
      newline(depth);
      i++;
      continue;
    }
    if (c === '}' || c === ']') {
      stack.pop();
      depth--;
      newline(depth);
      push(c);
      i++;
      continue;
    }
    if (c === ',') {
      push(',');
      const top = stack[stack.length - 1];
      if (top?.object) top.expectKey = true;
      newline(depth);
      i++;
      continue;
    }
    if (c === ':') {
      push(': ');
      i++;
      continue;
    }
    // A number or a literal: everything up to the next delimiter.
    let j = i;
    while (j < raw.length && !/[\s,:\]}[{"]/.test(raw[j] as string)) j++;
    const token = raw.slice(i, Math.max(j, i + 1));
    push(paneText(token), LITERAL_COLOURS[token] ?? 'yellow');
    i = Math.max(j, i + 1);
  }
  if (current.length > 0) lines.push(current);
  return lines;
}

/** The same pretty-printing as plain text lines (what the diff compares). */
export function prettyJsonText(raw: string): string {
  return prettyJsonLines(raw)
    .map((line) => line.map((s) => s.text).join(''))
    .join('\n');
}
