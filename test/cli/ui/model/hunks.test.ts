// The Diff tab's hunks: the numbers in each header, the context and the merging rule as
// `diff -u` has them, a diff that is always a shortest one, and the budget that stops it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unifiedHunks, type Hunk } from '../../../../cli/ui/model/hunks.js';

const lines = (n: number, from = 1) => Array.from({ length: n }, (_, i) => `line ${i + from}`);
const header = (h: Hunk) => `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`;
const NO_BUDGET = Number.MAX_SAFE_INTEGER;

/** The hunks applied to `before`, each unchanged and removed line checked against it. */
function apply(before: readonly string[], hunks: Hunk[]): string[] {
  const out: string[] = [];
  let at = 0;
  for (const hunk of hunks) {
    while (at < hunk.oldStart - 1) out.push(before[at++]!);
    for (const line of hunk.lines) {
      const [mark, text] = [line[0], line.slice(1)];
      if (mark === '+') out.push(text);
      else {
        expect(before[at]).toBe(text);
        if (mark === ' ') out.push(text);
        at++;
      }
    }
  }
  while (at < before.length) out.push(before[at++]!);
  return out;
}

function longestCommon(a: readonly string[], b: readonly string[]): number {
  const row = new Array<number>(b.length + 1).fill(0);
  for (const x of a) {
    let diagonal = 0;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j]!;
      row[j] = x === b[j - 1] ? diagonal + 1 : Math.max(row[j]!, row[j - 1]!);
      diagonal = up;
    }
  }
  return row[b.length]!;
}

describe('unifiedHunks', () => {
  it.each([
    { what: 'no change', before: lines(5), after: lines(5), headers: [] },
    { what: 'one line changed, three lines of context each side', before: lines(10), after: [...lines(4), 'new', ...lines(5, 6)], headers: ['@@ -2,7 +2,7 @@'] },
    { what: 'a change at the top', before: lines(6), after: ['new', ...lines(5, 2)], headers: ['@@ -1,4 +1,4 @@'] },
    { what: 'a line added at the end', before: lines(6), after: [...lines(6), 'new'], headers: ['@@ -4,3 +4,4 @@'] },
    { what: 'everything added to nothing', before: [], after: lines(2), headers: ['@@ -1,0 +1,2 @@'] },
    { what: 'changes six lines apart share a hunk', before: lines(20), after: [...lines(2), 'x', ...lines(6, 4), 'y', ...lines(10, 11)], headers: ['@@ -1,13 +1,13 @@'] },
    { what: 'changes seven lines apart do not', before: lines(20), after: [...lines(2), 'x', ...lines(7, 4), 'y', ...lines(9, 12)], headers: ['@@ -1,6 +1,6 @@', '@@ -8,7 +8,7 @@'] },
  ])('$what', ({ before, after, headers }) => {
    const hunks = unifiedHunks(before, after, 3, NO_BUDGET)!;
    expect(hunks.map(header)).toEqual(headers);
    expect(apply(before, hunks)).toEqual(after);
  });

  it('lists removed lines before the added ones that replace them', () => {
    const [hunk] = unifiedHunks(['a', 'b', 'c'], ['a', 'B', 'c'], 3, NO_BUDGET)!;
    expect(hunk?.lines).toEqual([' a', '-b', '+B', ' c']);
  });

  it('gives a shortest diff that turns one text into the other, with context as diff -u has it', () => {
    const text = fc.array(fc.constantFrom('a', 'b', 'c', 'd', ''), { maxLength: 40 });
    fc.assert(
      fc.property(text, text, fc.integer({ min: 0, max: 4 }), (before, after, context) => {
        const hunks = unifiedHunks(before, after, context, NO_BUDGET)!;
        expect(apply(before, hunks)).toEqual(after);
        const changed = hunks.flatMap((h) => h.lines).filter((l) => l[0] !== ' ').length;
        expect(changed).toBe(before.length + after.length - 2 * longestCommon(before, after));
        const edges = hunks.map((hunk) => {
          const marks = hunk.lines.map((l) => l[0]);
          return { lead: marks.findIndex((m) => m !== ' '), trail: [...marks].reverse().findIndex((m) => m !== ' ') };
        });
        for (const [i, hunk] of hunks.entries()) {
          expect(edges[i]!.lead).toBeLessThanOrEqual(context);
          expect(edges[i]!.trail).toBeLessThanOrEqual(context);
          const next = hunks[i + 1];
          // Apart only where more than twice the context lies between their changes.
          if (next) expect(edges[i]!.trail + next.oldStart - (hunk.oldStart + hunk.oldLines) + edges[i + 1]!.lead).toBeGreaterThan(2 * context);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('stops, with null, once the comparisons pass the budget', () => {
    const before = lines(300);
    const after = lines(300, 1000);
    expect(unifiedHunks(before, after, 3, 1000)).toBeNull();
    expect(unifiedHunks(before, after, 3, NO_BUDGET)?.length).toBe(1);
  });
});
