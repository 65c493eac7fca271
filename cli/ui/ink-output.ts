// Ink builds each frame afresh in `Output.get` (ink/build/output.js): a grid of one new
// object per cell, every line written to it split into styled cells by
// @alcalzone/ansi-tokenize, and each row joined back to text by diffing the styles of
// every pair of neighbouring cells. Its caches belong to the frame's own Output and die
// with it. A key press changes one pane and two rows of the list, yet the whole 140x40
// screen was tokenized and joined again: about half the CPU time of a key press
// (BENCHMARKS.md, issue 16).
//
// This replaces that one method with the same algorithm, in the same order, made cheaper
// in four places, each with the same result:
//   - the empty grid is one shared blank cell, which Ink never mutates (it replaces cells);
//   - a line's styled cells are kept from the frame before (two frames at most, so nothing
//     grows with the lines a session draws: Ink's unbounded caches were the 1.4 GB
//     swelling);
//   - a line of printable ASCII and colour codes, nearly every line here, is split into
//     cells without the tokenizer's grapheme segmentation; each colour code's effect on the
//     styles is still the tokenizer's own, worked out once per code and style;
//   - joining a row skips the style diff between neighbours whose styles are the same codes.
// test/cli/ui/ink-output.test.tsx builds generated frames and the real App's both ways
// and compares them byte for byte.
import sliceAnsi from 'slice-ansi';
import stringWidth from 'string-width';
import { ansiCodesToString, diffAnsiCodes, reduceAnsiCodesIncremental, styledCharsFromTokens, tokenize, type AnsiCode, type StyledChar } from '@alcalzone/ansi-tokenize';

type Clip = { x1?: number; x2?: number; y1?: number; y2?: number };
type Operation =
  | { type: 'write'; x: number; y: number; text: string; transformers: ((line: string, index: number) => string)[] }
  | { type: 'clip'; clip: Clip }
  | { type: 'unclip' };

/** The fields of Ink 6.8's Output that `get` reads. */
export interface InkOutput {
  width: number;
  height: number;
  operations: Operation[];
}

interface OutputClass {
  prototype: { get(this: InkOutput): { output: string; height: number } };
}

/** Remembers answers for this frame and the one before; older ones are forgotten. */
class TwoFrameMemo<V> {
  #now = new Map<string, V>();
  #before = new Map<string, V>();
  constructor(private readonly compute: (key: string) => V) {}
  get(key: string): V {
    let value = this.#now.get(key);
    if (value === undefined) {
      value = this.#before.get(key) ?? this.compute(key);
      this.#now.set(key, value);
    }
    return value;
  }
  nextFrame(): void {
    this.#before = this.#now;
    this.#now = new Map();
  }
}

const NO_STYLES = Object.freeze([]) as unknown as AnsiCode[];
const BLANK: StyledChar = Object.freeze({ type: 'char', value: ' ', fullWidth: false, styles: NO_STYLES });

/** The styles in force after an SGR sequence, per the styles before it: what the tokenizer's reduction gives. */
const afterCode = new Map<readonly AnsiCode[], Map<string, AnsiCode[]>>();
/** Style combinations remembered; a frame uses a handful, so this is only a guard. */
const MAX_STYLE_STATES = 1_000;

function stylesAfter(styles: AnsiCode[], sequence: string): AnsiCode[] {
  let next = afterCode.get(styles);
  if (next === undefined) {
    if (afterCode.size >= MAX_STYLE_STATES) afterCode.clear();
    afterCode.set(styles, (next = new Map()));
  }
  let after = next.get(sequence);
  if (after === undefined) {
    after = styles;
    for (const token of tokenize(sequence)) if (token.type === 'ansi') after = reduceAnsiCodesIncremental(after, [token]);
    // One array per distinct combination, so that the same styles are the same array.
    after = canonical(after);
    next.set(sequence, after);
  }
  return after;
}

const canonicalStyles = new Map<string, AnsiCode[]>([['', NO_STYLES]]);
function canonical(styles: AnsiCode[]): AnsiCode[] {
  const key = styles.map((code) => code.code).join('');
  let found = canonicalStyles.get(key);
  if (found === undefined) {
    if (canonicalStyles.size >= MAX_STYLE_STATES) canonicalStyles.clear();
    canonicalStyles.set(key, (found = styles));
  }
  return found;
}

/** The end of the SGR sequence starting at `at` (`ESC [ digits and ; m`), or -1. */
function sgrEnd(line: string, at: number): number {
  for (let i = at + 2; i < line.length; i++) {
    const code = line.charCodeAt(i);
    if (code === 0x6d) return i; // m
    if (code !== 0x3b && (code < 0x30 || code > 0x39)) return -1;
  }
  return -1;
}

/** A line's cells as the tokenizer gives them; printable ASCII and SGR sequences without it. */
function cellsOf(line: string): StyledChar[] {
  const cells: StyledChar[] = [];
  let styles = NO_STYLES;
  let end: number;
  for (let i = 0; i < line.length; ) {
    const code = line.charCodeAt(i);
    if (code >= 0x20 && code < 0x7f) {
      cells.push({ type: 'char', value: line[i]!, fullWidth: false, styles });
      i++;
    } else if (code === 0x1b && line.charCodeAt(i + 1) === 0x5b && (end = sgrEnd(line, i)) > 0) {
      styles = stylesAfter(styles, line.slice(i, end + 1));
      i = end + 1;
    } else {
      return styledCharsFromTokens(tokenize(line)); // anything else: graphemes, wide characters, links
    }
  }
  return cells;
}

const styledChars = new TwoFrameMemo(cellsOf);
const widths = new TwoFrameMemo(stringWidth);
const widestLines = new TwoFrameMemo((text) => {
  let widest = 0;
  for (const line of text.split('\n')) widest = Math.max(widest, widths.get(line));
  return widest;
});

/** A cell's width; printable ASCII, nearly every cell, without a lookup. */
function cellWidth(value: string): number {
  if (value.length === 1) {
    const code = value.charCodeAt(0);
    if (code >= 0x20 && code < 0x7f) return 1;
  }
  return Math.max(1, widths.get(value));
}

function sameStyles(a: readonly AnsiCode[], b: readonly AnsiCode[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]!.code !== b[i]!.code) return false;
  return true;
}

/** ansi-tokenize's styledCharsToString, with no diff between cells of the same styles (the diff of equal codes is empty). */
function rowToString(row: readonly (StyledChar | undefined)[]): string {
  let text = '';
  let previous: StyledChar | undefined;
  for (const cell of row) {
    if (cell === undefined) continue; // a hole left by a write past the row's end, as Ink skips it
    if (previous === undefined) text += ansiCodesToString(cell.styles);
    else if (!sameStyles(previous.styles, cell.styles)) text += ansiCodesToString(diffAnsiCodes(previous.styles, cell.styles));
    text += cell.value;
    previous = cell;
  }
  if (previous !== undefined && previous.styles.length > 0) text += ansiCodesToString(diffAnsiCodes(previous.styles, []));
  return text.trimEnd();
}

/** Ink 6.8's Output.get, step for step (see the comment at the top for what differs). */
export function buildFrame(this: InkOutput): { output: string; height: number } {
  styledChars.nextFrame();
  widths.nextFrame();
  widestLines.nextFrame();
  const output: (StyledChar | undefined)[][] = [];
  for (let y = 0; y < this.height; y++) output.push(new Array<StyledChar>(this.width).fill(BLANK));
  const clips: Clip[] = [];
  for (const operation of this.operations) {
    if (operation.type === 'clip') clips.push(operation.clip);
    if (operation.type === 'unclip') clips.pop();
    if (operation.type !== 'write') continue;
    const { text, transformers } = operation;
    let { x, y } = operation;
    let lines = text.split('\n');
    const clip = clips.at(-1);
    if (clip) {
      const clipHorizontally = typeof clip.x1 === 'number' && typeof clip.x2 === 'number';
      const clipVertically = typeof clip.y1 === 'number' && typeof clip.y2 === 'number';
      // Text wholly outside the clip is skipped.
      if (clipHorizontally) {
        const width = widestLines.get(text);
        if (x + width < clip.x1! || x > clip.x2!) continue;
      }
      if (clipVertically && (y + lines.length < clip.y1! || y > clip.y2!)) continue;
      if (clipHorizontally) {
        const x1 = clip.x1!;
        const x2 = clip.x2!;
        lines = lines.map((line) => {
          const from = x < x1 ? x1 - x : 0;
          const width = widths.get(line);
          const to = x + width > x2 ? x2 - x : width;
          return sliceAnsi(line, from, to);
        });
        if (x < x1) x = x1;
      }
      if (clipVertically) {
        const from = y < clip.y1! ? clip.y1! - y : 0;
        const to = y + lines.length > clip.y2! ? clip.y2! - y : lines.length;
        lines = lines.slice(from, to);
        if (y < clip.y1!) y = clip.y1!;
      }
    }
    let offsetY = 0;
    for (let [index, line] of lines.entries()) {
      const row = output[y + offsetY];
      // A line below the grid (text taller than the output) is dropped, and does not move the rest.
      if (!row) continue;
      for (const transformer of transformers) line = transformer(line, index);
      let offsetX = x;
      for (const character of styledChars.get(line)) {
        row[offsetX] = character;
        const width = cellWidth(character.value);
        // A wide character's following cells are cleared, so no stray space is drawn.
        for (let extra = 1; extra < width; extra++) row[offsetX + extra] = { type: 'char', value: '', fullWidth: false, styles: character.styles };
        offsetX += width;
      }
      offsetY++;
    }
  }
  return { output: output.map(rowToString).join('\n'), height: output.length };
}

/**
 * Makes Ink build every frame of this process with buildFrame (calling it again changes
 * nothing). Ink does not export its Output class, so it is loaded from the file beside
 * Ink's entry point: the very module Ink's renderer imports. Written against Ink 6.8 (the
 * version package.json pins).
 */
export async function installInkOutput(): Promise<void> {
  const { default: Output } = (await import(inkOutputUrl())) as { default: OutputClass };
  Output.prototype.get = buildFrame;
}

/** Where Ink's Output module is. */
export function inkOutputUrl(): string {
  return new URL('output.js', import.meta.resolve('ink')).href;
}
