import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isJsonText } from '../server/json-check.js';

/** The reference: what JSON.parse says about the same bytes. */
function parses(bytes: Buffer): boolean {
  try {
    JSON.parse(bytes.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}

const agrees = (text: string): void => {
  const bytes = Buffer.from(text, 'utf8');
  expect(isJsonText(bytes), JSON.stringify(text)).toBe(parses(bytes));
};

describe('isJsonText', () => {
  it.each([
    ['{}'], ['[]'], [' \t\r\n{ } '], ['0'], ['-0'], ['-0.5e-7'], ['1E+5'], ['12.50'], ['"é \u2028 😀"'],
    ['"\\u00e9\\uD800\\"\\\\\\/\\b\\f\\n\\r\\t"'], ['true'], ['null'], ['[false,{"a":[1,{"b":null}]}]'],
    ['{"a" : 1 , "b":[ ] }'],
  ])('accepts %s, as JSON.parse does', (text) => {
    expect(isJsonText(Buffer.from(text))).toBe(true);
    agrees(text);
  });

  it.each([
    [''], [' '], ['01'], ['1.'], ['.5'], ['+1'], ['1e'], ['1e+'], ['-'], ['--1'], ['0x10'], ['NaN'], ['Infinity'],
    ['tru'], ['nul'], ['True'], ['"abc'], ['"\t"'], ['"\\x"'], ['"\\u00G0"'], ['"\\u00e"'], ['"\\'], ["'a'"],
    ['[1,]'], ['[,1]'], ['[1 2]'], ['{"a":1,}'], ['{"a" 1}'], ['{a:1}'], ['{"a":1}}'], ['[[]'], ['[]]'], ['{]'],
    ['{"a"}'], ['{,}'], ['1 2'], ['\uFEFF{}'], ['\u00a0{}'], ['{}\u000b'], ['[1]x'],
  ])('refuses %j, as JSON.parse does', (text) => {
    expect(isJsonText(Buffer.from(text))).toBe(false);
    agrees(text);
  });

  it('agrees with JSON.parse on every kind of byte at every place of a long string (its 16-byte blocks)', () => {
    for (const special of ['"', '\\', '\\"', '\\u0041', '\\u00G1', '\\x', '\u0001', '\n', '\u007f', 'é', '😀']) {
      for (let at = 0; at < 40; at++) {
        for (const end of ['"]', '"', '', '"] ']) agrees(`["${'a'.repeat(at)}${special}${'b'.repeat(39 - at)}${end}`);
      }
    }
  });

  it('scans a body larger than its shared memory at first (the memory grows), valid or broken anywhere', () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => ({ i, s: `row "${i}" \\ é`, v: i / 7, ok: i % 2 === 0, n: null }));
    const text = JSON.stringify({ rows });
    expect(text.length).toBeGreaterThan(1024 * 1024);
    expect(isJsonText(Buffer.from(text))).toBe(true);
    for (const at of [1, text.length >> 1, text.length - 2]) agrees(`${text.slice(0, at)}\u0001${text.slice(at)}`);
    agrees(text.slice(0, -1));
    // And the shared instance still answers after it.
    expect(isJsonText(Buffer.from('{"after":[1,2]}'))).toBe(true);
  });

  it('scans a body past what the shared memory grows to (an instance of its own), valid or not', () => {
    const text = `[${'"0123456789abcdef",'.repeat(500_000)}{"end":true}]`;
    expect(text.length).toBeGreaterThan(8 * 1024 * 1024);
    expect(isJsonText(Buffer.from(text))).toBe(true);
    expect(isJsonText(Buffer.from(text.replace('{"end":true}', '{"end":tru}')))).toBe(false);
    expect(isJsonText(Buffer.from('[1,{"after":"it"}]'))).toBe(true);
  });

  it('handles nesting far deeper than its initial stack', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(isJsonText(Buffer.from(deep))).toBe(true);
    expect(isJsonText(Buffer.from(deep.slice(0, -1)))).toBe(false);
  });

  it('accepts every value JSON.stringify writes, compact or indented', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(undefined, 2, '\t'), (value, indent) => {
        expect(isJsonText(Buffer.from(JSON.stringify(value, null, indent)))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with JSON.parse on JSON texts with one character inserted, deleted or replaced', () => {
    const alphabet = fc.constantFrom(...'{}[]:,"\\ \t\n\r0123456789.-+eEtrufalsn\u0000\u001fé'.split(''));
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(), fc.constantFrom('insert', 'delete', 'replace'), alphabet, (value, at, edit, char) => {
        const text = JSON.stringify(value) ?? 'null';
        const p = at % (text.length + 1);
        const mutated =
          edit === 'insert' ? text.slice(0, p) + char + text.slice(p)
          : edit === 'delete' ? text.slice(0, p) + text.slice(p + 1)
          : text.slice(0, p) + char + text.slice(p + 1);
        agrees(mutated);
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees with JSON.parse on arbitrary short strings of JSON characters', () => {
    const piece = fc.constantFrom('{', '}', '[', ']', ':', ',', '"', '\\', ' ', '0', '1', '-', '.', 'e', 'true', 'null', '"a"', '\\u0041', 'é');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => agrees(pieces.join(''))),
      { numRuns: 5000 },
    );
  });
});
