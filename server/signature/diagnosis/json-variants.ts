// Other texts of the same JSON body, as senders and middleware produce them: the value
// re-serialized (compact, pretty, keys sorted, Python's default separators) and the text
// escaped differently (Python's ensure_ascii, Rails' to_json, PHP's json_encode). Each
// variant names its causes. Callers bound the input size; everything here is linear in
// it, apart from the parse and the re-serialization itself.
import type { Diagnosis } from '../../types.js';

export interface TextVariant {
  text: string;
  causes: Diagnosis[];
}

function reserialized(how: string): Diagnosis {
  return {
    code: 'body-reserialized',
    message: `The hash was computed over the JSON re-serialized ${how}, not over the bytes that were sent: sign the exact body bytes you send, and keep any framework or proxy from parsing and re-writing them.`,
  };
}

function escaped(how: string): Diagnosis {
  return {
    code: 'body-unicode-escaped',
    message: `The hash was computed over the body ${how}, not over the bytes that were sent: sign the exact body bytes you send, escaped the same way.`,
  };
}

const ASCII_ESCAPED = escaped("with non-ASCII characters escaped as \\uXXXX (Python's json.dumps default ensure_ascii)");
const HTML_ESCAPED = escaped("with <, > and & escaped as \\uXXXX (Rails' to_json)");
const PHP_ESCAPED = escaped("with slashes escaped as \\/ and non-ASCII characters as \\uXXXX (PHP's json_encode default)");
const UNESCAPED = escaped('with its \\uXXXX and \\/ escapes written out as plain characters');

/**
 * The variants in likelihood order; texts equal to the body or to an earlier variant are
 * left out, so a recipe is tried once under its simplest explanation.
 */
export function* jsonTextVariants(body: string): Generator<TextVariant> {
  const seen = new Set<string>([body]);
  let value: unknown;
  let parsed = false;
  try {
    value = JSON.parse(body);
    parsed = true;
  } catch {
    // Not JSON: only the escaping variants of the text itself apply.
  }

  // Computed on first use: the search usually stops at an early match.
  const compact = once(() => (parsed ? JSON.stringify(value) : undefined));
  const sortedValue = once(() => sortKeys(value));
  const python = once(() => {
    const text = compact();
    return text === undefined ? undefined : pythonSeparators(text);
  });
  const pythonSorted = once(() => (parsed ? pythonSeparators(JSON.stringify(sortedValue())) : undefined));
  const escapedWith = (text: () => string | undefined, escape: (text: string) => string) => (): string | undefined => {
    const base = text();
    return base === undefined ? undefined : escape(base);
  };

  const candidates: Array<[() => string | undefined, Diagnosis[]]> = [
    [compact, [reserialized('compactly (JSON.stringify)')]],
    [python, [reserialized("with Python json.dumps' default ', ' and ': ' separators")]],
    [() => (parsed ? JSON.stringify(value, null, 2) : undefined), [reserialized('pretty-printed with 2-space indents')]],
    [() => (parsed ? JSON.stringify(value, null, 4) : undefined), [reserialized('pretty-printed with 4-space indents')]],
    [() => (parsed ? JSON.stringify(value, null, '\t') : undefined), [reserialized('pretty-printed with tab indents')]],
    [() => (parsed ? JSON.stringify(sortedValue()) : undefined), [reserialized('with its keys sorted')]],
    [() => (parsed ? JSON.stringify(sortedValue(), null, 2) : undefined), [reserialized('with its keys sorted and 2-space indents')]],
    [pythonSorted, [reserialized('with its keys sorted, as Python json.dumps(sort_keys=True) writes it')]],
    // Python's json.dumps(value) both re-serializes and escapes: the most common Python sender.
    [escapedWith(python, pythonAsciiEscape), [reserialized("by Python's json.dumps defaults"), ASCII_ESCAPED]],
    [escapedWith(pythonSorted, pythonAsciiEscape), [reserialized('by Python json.dumps(sort_keys=True)'), ASCII_ESCAPED]],
    [escapedWith(compact, htmlEscape), [reserialized('by Rails to_json'), HTML_ESCAPED]],
    [escapedWith(compact, phpEscape), [reserialized("by PHP's json_encode"), PHP_ESCAPED]],
    [escapedWith(compact, pythonAsciiEscape), [reserialized('compactly'), ASCII_ESCAPED]],
    [() => pythonAsciiEscape(body), [ASCII_ESCAPED]],
    [() => htmlEscape(body), [HTML_ESCAPED]],
    [() => phpEscape(body), [PHP_ESCAPED]],
    [() => unescape(body), [UNESCAPED]],
  ];
  for (const [make, causes] of candidates) {
    const text = make();
    if (text === undefined || seen.has(text)) continue;
    seen.add(text);
    yield { text, causes };
  }
}

function once<T>(compute: () => T): () => T {
  let done = false;
  let result: T;
  return () => {
    if (!done) {
      result = compute();
      done = true;
    }
    return result;
  };
}

/** A deep copy with every object's keys in sorted order (arrays keep theirs). */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const source = value as Record<string, unknown>;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(source).sort()) {
    const item = sortKeys(source[key]);
    // Assigning "__proto__" would set the prototype; JSON.parse made it an own key, so keep it one.
    if (key === '__proto__') Object.defineProperty(sorted, key, { value: item, enumerable: true, writable: true, configurable: true });
    else sorted[key] = item;
  }
  return sorted;
}

/** Compact JSON text with Python's default separators: `, ` between items, `: ` after keys. */
function pythonSeparators(compact: string): string {
  let out = '';
  let from = 0;
  let inString = false;
  for (let i = 0; i < compact.length; i++) {
    const c = compact.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x2c /* , */ || c === 0x3a /* : */) {
      out += compact.slice(from, i + 1) + ' ';
      from = i + 1;
    }
  }
  return out + compact.slice(from);
}

// The characters below can only occur inside JSON strings, so replacing them anywhere in
// the text escapes exactly the string contents, as the serializers do.
const u = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** Python's ensure_ascii: everything outside printable ASCII, DEL included, as \uXXXX (surrogate pairs stay pairs). */
function pythonAsciiEscape(text: string): string {
  return text.replace(/[\u007f-\uffff]/g, u);
}

/** ActiveSupport's JSON escaping: <, >, & and the two JavaScript line terminators. */
function htmlEscape(text: string): string {
  // Fixed replacements, no callback: several times faster on a large body.
  return text
    .replaceAll('<', '\\u003c')
    .replaceAll('>', '\\u003e')
    .replaceAll('&', '\\u0026')
    .replaceAll('\u2028', '\\u2028')
    .replaceAll('\u2029', '\\u2029');
}

/** PHP json_encode without flags: `/` as `\/`, non-ASCII as \uXXXX. */
function phpEscape(text: string): string {
  return text.replace(/\//g, '\\/').replace(/[\u0080-\uffff]/g, u);
}

/**
 * \uXXXX and \/ written out as the characters they stand for, except the ones JSON
 * requires escaped (controls, quote, backslash). Escapes are matched pairwise from the
 * left, so the `\\u0041` of an escaped backslash is never taken for an escape.
 */
function unescape(text: string): string {
  return text.replace(/\\(?:u([0-9a-fA-F]{4})|(\/)|[^])/g, (match, hex: string | undefined, slash: string | undefined) => {
    if (slash) return '/';
    if (hex === undefined) return match;
    const code = Number.parseInt(hex, 16);
    return code < 0x20 || code === 0x22 || code === 0x5c ? match : String.fromCharCode(code);
  });
}
