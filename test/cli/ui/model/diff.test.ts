// The Diff tab's engine and the JSON pretty-printer it compares through.
import { describe, expect, it } from 'vitest';
import { makeEvent } from '../../../helpers/inspector-feed.js';
import { changedPaths, diffBodies, formatChange } from '../../../../cli/ui/model/diff.js';
import { prettyJsonLines, prettyJsonText } from '../../../../cli/ui/model/json-pretty.js';
import { formatBytes } from '../../../../cli/output/terminal-text.js';
import { paneText, wrapLine, lineText } from '../../../../cli/ui/view/text.js';

describe('prettyJsonText', () => {
  it('indents like JSON.stringify(_, null, 2) for ordinary JSON', () => {
    const value = { a: 1, b: [true, null, { c: 'x, y: {z}' }], d: {}, e: [], f: 'q"uote' };
    expect(prettyJsonText(JSON.stringify(value))).toBe(JSON.stringify(value, null, 2));
  });

  it('keeps number literals, duplicate keys and key order exactly as sent', () => {
    const text = prettyJsonText('{"b":12345678901234567890,"a":1.50,"a":2e3}');
    expect(text).toBe('{\n  "b": 12345678901234567890,\n  "a": 1.50,\n  "a": 2e3\n}');
  });

  it('colours keys, strings, numbers and literals differently', () => {
    const [, line] = prettyJsonLines('{"k":"v","n":1,"t":true}');
    expect(line?.map((s) => [s.text, s.colour])).toEqual([
      ['  ', undefined],
      ['"k"', 'cyan'],
      [': ', undefined],
      ['"v"', 'green'],
      [',', undefined],
    ]);
    const lines = prettyJsonLines('{"k":"v","n":1,"t":true}');
    expect(lines[2]?.find((s) => s.text === '1')?.colour).toBe('yellow');
    expect(lines[3]?.find((s) => s.text === 'true')?.colour).toBe('magenta');
  });

  it('handles escaped quotes inside strings', () => {
    expect(prettyJsonText('["a\\"b",1]')).toBe('[\n  "a\\"b",\n  1\n]');
  });
});

describe('changedPaths', () => {
  it('names the changed leaf with its old and new value', () => {
    const changes = changedPaths({ id: 1, status: 'Pending' }, { id: 1, status: 'Received' });
    expect(changes.map((c) => formatChange(c))).toEqual(['status: "Pending" -> "Received"']);
  });

  it('walks nested objects and arrays, and says what appeared and what went', () => {
    const before = { a: { b: [1, 2, 3] }, gone: true, 'odd key': 1 };
    const after = { a: { b: [1, 5] }, added: null, 'odd key': 2 };
    expect(changedPaths(before, after).map((c) => formatChange(c))).toEqual([
      'a.b[1]: 2 -> 5',
      'a.b[2]: 3 -> (absent)',
      'added: (absent) -> null',
      '["odd key"]: 1 -> 2',
      'gone: true -> (absent)',
    ]);
  });

  it('reports a change of kind at the path where it happens', () => {
    expect(changedPaths({ x: [1] }, { x: { 0: 1 } }).map((c) => formatChange(c))).toEqual(['x: [1] -> {"0":1}']);
  });

  it('shortens long values', () => {
    const change = changedPaths({ s: 'a'.repeat(200) }, { s: 'b' })[0];
    expect(change && formatChange(change, 20)).toBe(`s: "${'a'.repeat(18)}… -> "b"`);
  });
});

describe('diffBodies', () => {
  it('gives a unified diff with context and the changed paths', () => {
    const a = makeEvent({ seq: 1, body: JSON.stringify({ id: 7, status: 'Pending', client: 'Clinic 1' }) });
    const b = makeEvent({ seq: 2, body: JSON.stringify({ id: 7, status: 'Received', client: 'Clinic 1' }) });
    const diff = diffBodies(a, b);
    expect(diff.kind).toBe('changed');
    if (diff.kind !== 'changed') return;
    expect(diff.lines.filter((l) => l.kind === 'del').map((l) => l.text)).toEqual(['-  "status": "Pending",']);
    expect(diff.lines.filter((l) => l.kind === 'add').map((l) => l.text)).toEqual(['+  "status": "Received",']);
    expect(diff.lines.some((l) => l.kind === 'context' && l.text.includes('"id": 7'))).toBe(true);
    expect(diff.lines[0]?.kind).toBe('hunk');
    expect(diff.changes?.map((c) => formatChange(c))).toEqual(['status: "Pending" -> "Received"']);
  });

  it('says identical bodies are identical', () => {
    const body = '{"a":1}';
    expect(diffBodies(makeEvent({ seq: 1, body }), makeEvent({ seq: 2, body })).kind).toBe('identical');
  });

  it('diffs non-JSON bodies as text, without a path summary', () => {
    const diff = diffBodies(makeEvent({ seq: 1, body: 'a\nb' }), makeEvent({ seq: 2, body: 'a\nc' }));
    expect(diff.kind === 'changed' && diff.changes).toBeNull();
  });

  it('explains when a body cannot be compared', () => {
    const big = { ...makeEvent({ seq: 2 }), truncated: true, body: '' };
    const diff = diffBodies(makeEvent({ seq: 1 }), big);
    expect(diff).toEqual({ kind: 'unavailable', reason: 'No line diff: the body of #2 was over --max-body and not kept.' });
  });
});

describe('text helpers', () => {
  it('makes control characters visible so a body cannot drive the terminal, and expands tabs', () => {
    expect(paneText('a\u001b]52;c;SGVsbG8=\u0007b\tc\u009b')).toBe('a\\x1b]52;c;SGVsbG8=\\x07b  c\\x9b');
  });

  it('sizes in binary units with at most three digits, so the size cell of the list stays narrow', () => {
    const sizes = [1023, 1024, 10_188, 10_189, 40_000, 1024 * 1024 - 1, 5 * 1024 * 1024, 6_000_000];
    expect(sizes.map(formatBytes)).toEqual(['1023 B', '1.0 KiB', '9.9 KiB', '10 KiB', '39 KiB', '1.0 MiB', '5.0 MiB', '5.7 MiB']);
  });

  it('wraps prose at spaces and a long token at the width', () => {
    expect(wrapLine([{ text: 'the quick brown fox' }], 10).map(lineText)).toEqual(['the quick ', 'brown fox']);
    expect(wrapLine([{ text: 'abcdefghij klm' }], 4).map(lineText)).toEqual(['abcd', 'efgh', 'ij ', 'klm']);
  });

  it('wraps a styled line and keeps the styles', () => {
    const rows = wrapLine([{ text: 'abcd', colour: 'red' }, { text: 'efg' }], 3);
    expect(rows.map(lineText)).toEqual(['abc', 'def', 'g']);
    expect(rows[1]?.map((s) => s.colour)).toEqual(['red', undefined]);
  });
});
