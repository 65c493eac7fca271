// A line as the terminal gets it: cut at the pane's edge in cells, styled only where the
// style changes, plain when the output is not a terminal.
import { describe, expect, it } from 'vitest';
import { cellWidth, cutLine, lineToAnsi } from '../../../../cli/ui/view/ansi.js';
import { lineText, seg } from '../../../../cli/ui/view/text.js';

describe('cutLine', () => {
  it('keeps a line that fits, and says how many cells it takes', () => {
    const line = [seg('#12 ', { dim: true }), seg('valid')];
    expect(cutLine(line, 20)).toEqual({ line, cells: 9 });
  });

  it('cuts a longer line with an ellipsis in the last cell, keeping each segment its style', () => {
    const { line, cells } = cutLine([seg('abc', { bold: true }), seg('defgh', { colour: 'red' })], 6);
    expect(cells).toBe(6);
    expect(line).toEqual([seg('abc', { bold: true }), seg('de…', { colour: 'red' })]);
  });

  it('counts wide characters as two cells, so a cut line never runs past the edge', () => {
    expect(cellWidth('漢'.codePointAt(0)!)).toBe(2);
    const { line, cells } = cutLine([seg('漢字漢字')], 5);
    expect(lineText(line)).toBe('漢字…');
    expect(cells).toBe(5);
  });
});

describe('lineToAnsi', () => {
  it('is the plain text when not styled', () => {
    expect(lineToAnsi([seg('a', { bold: true }), seg('b', { colour: 'red' })], true, false)).toBe('ab');
  });

  it('puts a code where the style changes and a reset at the end', () => {
    const text = lineToAnsi([seg('#1', { dim: true }), seg(' '), seg('ok', { colour: 'green', bold: true }), seg('!', { colour: 'green', bold: true })], false, true);
    expect(text).toBe('\u001b[2m#1\u001b[0m \u001b[1;32mok!\u001b[0m');
  });

  it('inverts every segment of a selected row', () => {
    expect(lineToAnsi([seg('a'), seg('b', { dim: true })], true, true)).toBe('\u001b[7ma\u001b[0;2;7mb\u001b[0m');
  });
});
