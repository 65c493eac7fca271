// Other texts of the same JSON body, as serializers and middleware write them: the value
// re-serialized (compact, Python's separators, pretty-printed, keys sorted) and escaped
// (\uXXXX for non-ASCII, <, > and &, \/ ...), or the body's own text escaped in place.
// Several serializers often write the same bytes for a given body (for an ASCII body
// without slashes, JSON.stringify, Python's compact json.dumps and PHP's json_encode all
// do), so variants are grouped by their text: each text is tried once, and its message
// says what was done to the bytes and names every serializer that writes them. Callers
// bound the input size; everything here is linear in it, apart from the parse and the
// re-serializations themselves (at most one per layout, sorted or not).
import type { Diagnosis } from '../../types.js';

export interface TextVariant {
  text: string;
  causes: Diagnosis[];
}

type Layout = 'compact' | 'python' | 'indent2' | 'indent4' | 'tab';
type Escape = 'nonAscii' | 'lineTerminators' | 'del' | 'slash' | 'html' | 'gson';

interface Writer {
  /** Null for a combination no common serializer writes by default: described, not named. */
  name: string | null;
  /** Null: the body's own text, escaped in place. */
  layout: Layout | null;
  sorted?: boolean;
  escapes: readonly Escape[];
  /** How it writes floats; JSON.stringify writes the variant texts, so others are named only where they agree. */
  numbers?: NumberStyle;
}

/**
 * `es`: as JSON.stringify (Go's encoding/json too). `php`: an integral float without
 * `.0`, positional from 1e-4 to 1e15. `repr`: Python and Ruby, `1.0` for an integral
 * float, positional from 1e-4 to 1e16. `java`: Double.toString, positional from 1e-3 to 1e7.
 */
type NumberStyle = 'es' | 'php' | 'repr' | 'java';

// Documented defaults: Python's json.dumps has ensure_ascii=True (non-ASCII and DEL as
// lower-case \uXXXX) and, once indent is given, ',' and ': '; PHP's json_encode escapes
// non-ASCII and '/'; ActiveSupport (Rails) and Go's encoding/json escape <, >, & and
// U+2028/U+2029; Gson also escapes = and '. Go's encoding/json formats floats as ES6 does.
const PYTHON: readonly Escape[] = ['nonAscii', 'lineTerminators', 'del'];
const PHP: readonly Escape[] = ['nonAscii', 'lineTerminators', 'slash'];
const HTML: readonly Escape[] = ['html', 'lineTerminators'];
const GSON: readonly Escape[] = ['html', 'gson', 'lineTerminators'];

/** Likeliest first: when two writers' texts are equal, the earlier one's description is used. */
const WRITERS: readonly Writer[] = [
  { name: "JavaScript's JSON.stringify", layout: 'compact', escapes: [], numbers: 'es' },
  { name: "Python's json.dumps", layout: 'python', escapes: PYTHON },
  { name: "Python's json.dumps(separators=(',', ':'))", layout: 'compact', escapes: PYTHON },
  { name: "PHP's json_encode", layout: 'compact', escapes: PHP, numbers: 'php' },
  { name: "Ruby's to_json", layout: 'compact', escapes: [] },
  { name: "Rails' to_json", layout: 'compact', escapes: HTML },
  { name: "Go's json.Marshal", layout: 'compact', escapes: HTML, numbers: 'es' },
  { name: "Java's Jackson ObjectMapper", layout: 'compact', escapes: [], numbers: 'java' },
  { name: "Java's Gson", layout: 'compact', escapes: GSON, numbers: 'java' },
  { name: null, layout: 'python', escapes: [] },
  { name: 'JSON.stringify(value, null, 2)', layout: 'indent2', escapes: [], numbers: 'es' },
  { name: "Python's json.dumps(indent=2)", layout: 'indent2', escapes: PYTHON },
  { name: 'JSON.stringify(value, null, 4)', layout: 'indent4', escapes: [], numbers: 'es' },
  { name: "Python's json.dumps(indent=4)", layout: 'indent4', escapes: PYTHON },
  { name: "PHP's json_encode(JSON_PRETTY_PRINT)", layout: 'indent4', escapes: PHP, numbers: 'php' },
  { name: "JSON.stringify(value, null, '\\t')", layout: 'tab', escapes: [], numbers: 'es' },
  { name: 'RFC 8785 canonical JSON', layout: 'compact', sorted: true, escapes: [], numbers: 'es' },
  { name: "Go's json.Marshal of a map", layout: 'compact', sorted: true, escapes: HTML, numbers: 'es' },
  { name: "Python's json.dumps(sort_keys=True)", layout: 'python', sorted: true, escapes: PYTHON },
  { name: null, layout: 'python', sorted: true, escapes: [] },
  { name: "Python's json.dumps(sort_keys=True, indent=2)", layout: 'indent2', sorted: true, escapes: PYTHON },
  { name: null, layout: 'indent2', sorted: true, escapes: [] },
  { name: null, layout: null, escapes: PYTHON },
  { name: null, layout: null, escapes: HTML },
  { name: null, layout: null, escapes: PHP },
];

const LAYOUT_PHRASE: Record<Layout, string> = {
  compact: 'compactly (no whitespace between tokens)',
  python: "with ', ' and ': ' separators",
  indent2: 'pretty-printed with 2-space indents',
  indent4: 'pretty-printed with 4-space indents',
  tab: 'pretty-printed with tab indents',
};

const ESCAPE_PHRASE: Record<Escape, string> = {
  nonAscii: 'non-ASCII characters as \\uXXXX',
  lineTerminators: 'U+2028 and U+2029 as \\u2028 and \\u2029',
  del: 'DEL as \\u007f',
  slash: '/ as \\/',
  html: '<, > and & as \\uXXXX',
  gson: "= and ' as \\uXXXX",
};

const ESCAPE_CLASS: Record<Escape, string> = {
  nonAscii: '\\u0080-\\u2027\\u202a-\\uffff',
  lineTerminators: '\\u2028\\u2029',
  del: '\\u007f',
  slash: '/',
  html: '<>&',
  gson: "='",
};

const ESCAPES = Object.keys(ESCAPE_CLASS) as Escape[];

const UNESCAPED: Diagnosis = {
  code: 'body-unicode-escaped',
  message:
    'The hash was computed over the body with its \\uXXXX and \\/ escapes written out as plain characters, not over the bytes that were sent: sign the exact body bytes you send, escaped the same way.',
};

/** What was done to the body's bytes: only the steps that changed them. */
interface Change {
  layout: Layout | null;
  sorted: boolean;
  escapes: Escape[];
}

/**
 * The variants, likeliest first. `smaller` holds texts that a smaller change to the bytes
 * already explains (a newline added at the end, a byte-order mark): a re-serialization
 * that happens to write one of them is left out, so the smaller change is the one named.
 */
export function* jsonTextVariants(body: string, smaller: ReadonlySet<string> = new Set()): Generator<TextVariant> {
  let value: unknown;
  let parsed = false;
  try {
    value = JSON.parse(body);
    parsed = true;
  } catch {
    // Not JSON: only the in-place escapes of the text itself apply.
  }
  const source = memo((layout: Layout | 'body', sorted: boolean) => {
    if (layout === 'body') return body;
    const from = sorted ? sortedValue() : value;
    const indent = layout === 'indent2' ? 2 : layout === 'indent4' ? 4 : layout === 'tab' ? '\t' : undefined;
    const text = JSON.stringify(from, null, indent);
    return layout === 'python' ? pythonSeparators(text) : text;
  });
  const sortedValue = once(() => sortKeys(value));
  const present = memo((text: string) => new Set(ESCAPES.filter((escape) => new RegExp(`[${ESCAPE_CLASS[escape]}]`).test(text))));
  const alike = once(() => numberStylesAlike(body));

  // Each writer reduced to what it changes on this body; writers that change the same
  // things write the same text, which is built once.
  const groups = new Map<string, { layout: Layout | 'body'; change: Change; names: string[] }>();
  for (const writer of WRITERS) {
    if (writer.layout !== null && !parsed) continue;
    const layout = writer.layout ?? 'body';
    const base = source(layout, false);
    const relayout = layout !== 'body' && base !== body;
    const sorted = layout !== 'body' && writer.sorted === true && source(layout, true) !== base;
    const escapes = writer.escapes.filter((escape) => present(base).has(escape));
    const change: Change = { layout: relayout ? writer.layout : null, sorted, escapes };
    const key = `${layout}|${relayout}|${sorted}|${escapes.join()}`;
    const group = groups.get(key) ?? { layout, change, names: [] };
    if (writer.name !== null && alike().has(writer.numbers ?? 'repr')) group.names.push(writer.name);
    groups.set(key, group);
  }

  const byText = new Map<string, { change: Change; names: string[] }>();
  for (const { layout, change, names } of groups.values()) {
    const text = escape(source(layout, change.sorted), change.escapes);
    if (text === body || smaller.has(text)) continue;
    const same = byText.get(text);
    if (same) same.names.push(...names.filter((name) => !same.names.includes(name)));
    else byText.set(text, { change, names: [...names] });
  }
  for (const [text, { change, names }] of byText) yield { text, causes: describe(change, names) };

  const written = unescape(body);
  if (written !== body && !byText.has(written) && !smaller.has(written)) yield { text: written, causes: [UNESCAPED] };
}

function describe({ layout, sorted, escapes }: Change, names: string[]): Diagnosis[] {
  const by = names.length === 0 ? '' : ` (as ${list(names)} ${names.length === 1 ? 'writes' : 'write'} it)`;
  const causes: Diagnosis[] = [];
  if (layout !== null || sorted) {
    const how = [layout === null ? null : LAYOUT_PHRASE[layout], sorted ? 'with its keys sorted' : null].filter((part) => part !== null);
    causes.push({
      code: 'body-reserialized',
      message: `The hash was computed over the JSON re-serialized ${how.join(' and ')}${by}, not over the bytes that were sent: sign the exact body bytes you send, and keep any framework or proxy from parsing and re-writing them.`,
    });
  }
  if (escapes.length > 0) {
    // U+2028 and U+2029 are non-ASCII: named apart only when nothing else non-ASCII is escaped.
    const shown = escapes.includes('nonAscii') ? escapes.filter((e) => e !== 'lineTerminators') : escapes;
    causes.push({
      code: 'body-unicode-escaped',
      message: `The hash was computed over the body with ${list(shown.map((e) => ESCAPE_PHRASE[e]))}${causes.length === 0 ? by : ''}, not over the bytes that were sent: sign the exact body bytes you send, escaped the same way.`,
    });
  }
  return causes;
}

function list(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** The number styles that write every number of this body as JSON.stringify does. */
function numberStylesAlike(body: string): Set<NumberStyle> {
  const alike = new Set<NumberStyle>(['es', 'php', 'repr', 'java']);
  const outsideStrings = body.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  for (const [token] of outsideStrings.matchAll(/-?\d[\d.eE+-]*/g)) {
    // An integer of up to 15 digits is an integer to every parser and written as such.
    if (/^-?(?:0|[1-9]\d{0,14})$/.test(token)) continue;
    const n = Math.abs(Number(token));
    const within = (low: number, high: number): boolean => n === 0 || (n >= low && n < high);
    if (Number.isInteger(n)) {
      alike.delete('repr');
      alike.delete('java');
    } else {
      if (!within(1e-4, 1e16)) alike.delete('repr');
      if (!within(1e-3, 1e7)) alike.delete('java');
    }
    if (!within(1e-4, 1e15)) alike.delete('php');
  }
  return alike;
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

function memo<A extends unknown[], T>(compute: (...args: A) => T): (...args: A) => T {
  const results = new Map<string, T>();
  return (...args) => {
    const key = args.join('\u0000');
    if (!results.has(key)) results.set(key, compute(...args));
    return results.get(key) as T;
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

// The escaped characters can only occur inside JSON strings, so replacing them anywhere
// in the text escapes exactly the string contents, as the serializers do (lower-case hex;
// a character outside the BMP is already two UTF-16 units, so it becomes a surrogate pair).
const u = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

function escape(text: string, escapes: readonly Escape[]): string {
  if (escapes.length === 0) return text;
  const pattern = new RegExp(`[${escapes.map((e) => ESCAPE_CLASS[e]).join('')}]`, 'g');
  return text.replace(pattern, (c) => (c === '/' ? '\\/' : u(c)));
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
