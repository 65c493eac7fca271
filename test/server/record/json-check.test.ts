import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isJsonText } from '../../../server/record/json-check.js';

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

  it('agrees with JSON.parse as containers open and close in any order', () => {
    // What comes after a close (a key, or an element) depends on the container it returns to.
    const piece = fc.constantFrom('{', '}', '[', ']', ',', ':', '"k":', '"k"', '1', '[]', '{}', ' ');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 16 }), (pieces) => agrees(pieces.join(''))),
      { numRuns: 5000 },
    );
  });

  it('agrees with JSON.parse on \\u escapes whatever their four characters', () => {
    const char = fc.constantFrom(...'09afAFgG"\\ '.split(''));
    fc.assert(
      fc.property(fc.array(char, { minLength: 0, maxLength: 5 }), (chars) => agrees(`["\\u${chars.join('')}"]`)),
      { numRuns: 2000 },
    );
  });
});
