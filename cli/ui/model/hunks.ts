// A unified line diff (hunks with context, as `diff -u` prints them) of two texts already
// split into lines. The comparison itself is @jest/diff-sequences (Myers' algorithm, linear
// space), about five times faster on the Diff tab's bodies than the `diff` package it
// replaced, which was most of a key press there (BENCHMARKS.md, issue 16).
import sequences from '@jest/diff-sequences';

// Node and the bundler load its ES module build, whose default export is the function; its
// types describe the CommonJS build, where it sits under `default`, so it is typed here.
type DiffSequence = (aLength: number, bLength: number, isCommon: (a: number, b: number) => boolean, found: (count: number, a: number, b: number) => void) => void;
const diffSequence = sequences as unknown as DiffSequence;

export interface Hunk {
  /** 1-based number of the hunk's first line in each text (after the lines before it). */
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** Each line with its mark: ' ' in both, '-' only in the old, '+' only in the new. */
  lines: string[];
}

type Mark = ' ' | '-' | '+';

/** Thrown from inside the comparison to stop it; never leaves this module. */
const OVER_BUDGET = Symbol('over budget');

/**
 * The hunks turning `before` into `after`, each change with up to `context` unchanged
 * lines around it; changes closer than twice that share a hunk. Null when the comparison
 * would take more than `budget` line comparisons: very different large texts cost the
 * product of their lengths, and the caller says so rather than freeze the screen.
 */
export function unifiedHunks(before: readonly string[], after: readonly string[], context: number, budget: number): Hunk[] | null {
  const marks: Mark[] = [];
  const texts: string[] = [];
  let oldAt = 0;
  let newAt = 0;
  const upTo = (oldEnd: number, newEnd: number) => {
    for (; oldAt < oldEnd; oldAt++) marks.push('-'), texts.push(before[oldAt]!);
    for (; newAt < newEnd; newAt++) marks.push('+'), texts.push(after[newAt]!);
  };
  let comparisons = 0;
  try {
    diffSequence(
      before.length,
      after.length,
      (a: number, b: number) => {
        if (++comparisons > budget) throw OVER_BUDGET;
        return before[a] === after[b];
      },
      (count: number, oldCommon: number, newCommon: number) => {
        upTo(oldCommon, newCommon);
        for (let i = 0; i < count; i++) marks.push(' '), texts.push(before[oldAt + i]!);
        oldAt += count;
        newAt += count;
      },
    );
  } catch (error) {
    if (error === OVER_BUDGET) return null;
    throw error;
  }
  upTo(before.length, after.length);
  return group(marks, texts, context);
}

/** Cuts the marked lines into hunks: each run of changes with its context, merged when the contexts meet. */
function group(marks: readonly Mark[], texts: readonly string[], context: number): Hunk[] {
  const hunks: Hunk[] = [];
  let oldLine = 1;
  let newLine = 1;
  let i = 0;
  while (i < marks.length) {
    if (marks[i] === ' ') {
      oldLine++, newLine++, i++;
      continue;
    }
    // A change at i: back up over its leading context, then run to the last change whose
    // gap to the next is at most twice the context.
    const lead = Math.min(context, countBack(marks, i));
    let end = i;
    for (;;) {
      while (end < marks.length && marks[end] !== ' ') end++;
      const gap = countForward(marks, end);
      if (end + gap < marks.length && gap <= 2 * context) end += gap;
      else {
        end += Math.min(context, gap);
        break;
      }
    }
    const start = i - lead;
    const hunk: Hunk = { oldStart: oldLine - lead, oldLines: 0, newStart: newLine - lead, newLines: 0, lines: [] };
    for (let at = start; at < end; at++) {
      const mark = marks[at]!;
      hunk.lines.push(mark + texts[at]);
      if (mark !== '+') hunk.oldLines++;
      if (mark !== '-') hunk.newLines++;
    }
    hunks.push(hunk);
    oldLine = hunk.oldStart + hunk.oldLines;
    newLine = hunk.newStart + hunk.newLines;
    i = end;
  }
  return hunks;
}

/** Unchanged lines just before `at`. */
function countBack(marks: readonly Mark[], at: number): number {
  let n = 0;
  while (at - n > 0 && marks[at - n - 1] === ' ') n++;
  return n;
}

/** Unchanged lines from `at` on. */
function countForward(marks: readonly Mark[], at: number): number {
  let n = 0;
  while (at + n < marks.length && marks[at + n] === ' ') n++;
  return n;
}
