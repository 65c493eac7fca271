// The battery of `coreone-inspect check` (SPEC.md "Your handler"): what each case sends
// and what a correct handler answers. Bodies are fixed bytes (no clock, no randomness), so
// a handler that logs what it hashed can be compared run after run. Each body is chosen so
// that one common mistake, and only that one, changes the answer: `valid` survives a
// JavaScript parse/stringify round trip, `valid-spaced` survives Python's, `valid-escapes`
// survives none.
import { Buffer } from 'node:buffer';
import { SAMPLE_TYPES, sampleBody } from '../catalogue/samples.js';
import { webhookHeaders } from '../delivery/post.js';
import { computeSignature } from '../signature/verify.js';

export type Expectation = 'accept' | 'reject';

/** One POST of a case: the exact headers and bytes. */
export interface CheckRequest {
  type: string;
  headers: Record<string, string>;
  body: Buffer;
}

export interface CheckCase {
  id: CaseId;
  title: string;
  expect: Expectation;
  /** A wrong answer is a `warn`, not a `fail` (only `uppercase-hash`: SPEC leaves hex case to the handler's care). */
  lenient: boolean;
  /** Sent one after the other; one for every case but `every-type`. */
  requests: CheckRequest[];
}

/** The case ids in the order they run: stable, and `replayed` comes after `valid`. */
export const CASE_IDS = [
  'valid',
  'valid-pretty',
  'valid-spaced',
  'valid-unicode',
  'valid-escapes',
  'valid-large',
  'uppercase-hash',
  'unknown-type',
  'every-type',
  'replayed',
  'tampered-body',
  'wrong-secret',
  'missing-hash',
  'malformed-hash',
] as const;

export type CaseId = (typeof CASE_IDS)[number];

export const VALID_TYPE = 'accession/status_change';

/** A type outside the 33, the way a type CoreOne adds later arrives. */
export const UNKNOWN_TYPE = 'accession/archived';

/** The key `wrong-secret` signs with; `check` picks the other one if the user's secret happens to be it. */
const WRONG_SECRETS = ['coreone-inspect-check-not-your-secret', 'coreone-inspect-check-another-secret'];

/**
 * The `valid` value: the type's sample at another time, so that no other accepted case
 * sends the same bytes and a handler that turns away repeats is caught by `replayed` only.
 */
const validValue = (changedAt = '2026-11-28T14:05:12Z'): unknown => ({
  ...(JSON.parse(sampleBody(VALID_TYPE)!.toString('utf8')) as object),
  changed_at: changedAt,
});

const UNKNOWN_TYPE_VALUE = { accession_number: 'A26-004512', archived_at: '2026-11-29T09:00:00Z', archived_by: 'J. Lindqvist' };

/** Python's `json.dumps(value)` with its defaults: `, ` and `: ` separators, non-ASCII as \uXXXX. */
function pythonDumps(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonDumps).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value).map(([key, item]) => `${pythonDumps(key)}: ${pythonDumps(item)}`).join(', ')}}`;
  }
  const text = JSON.stringify(value);
  return typeof value === 'string' ? text.replace(/[^\x00-\x7f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`) : text;
}

/** Text that JSON.stringify(JSON.parse(...)), json.dumps(json.loads(...)) and json_encode(json_decode(...)) all change. */
const ESCAPES_BODY =
  '{"accession_number":"A26-004512","report_url":"https:\\/\\/lab.example\\/reports\\/A26-004512","submitter":"Dr. Ren\\u00e9e Caf\\u00e9","fee":1.50,"volume_ul":1e3}';

const UNICODE_VALUE = {
  accession_number: 'A26-004512',
  submitter: 'Dr. Zoë Brontë-Müller',
  clinic: 'Clínica Veterinária São João',
  temperature: '39.8 °C',
  note: 'Résultats prêts 🐄',
};

/** About 1 MiB of compact JSON: the valid event with a long list of plate-reader wells. */
function largeValue(): unknown {
  const wells = Array.from({ length: 14_600 }, (_, index) => ({
    well: `${String.fromCharCode(65 + (index % 8))}${(index % 12) + 1}`,
    plate: Math.floor(index / 96) + 1,
    optical_density: '0.' + String(100 + ((index * 37) % 900)),
    result: index % 7 === 0 ? 'Positive' : 'Negative',
  }));
  return { ...(validValue() as object), readings: wells };
}

/** Every case, in CASE_IDS order, signed with `secret` (never sent: only hashes are). */
export function buildCases(secret: string): CheckCase[] {
  const signed = (type: string, body: Buffer, hash: string | null = computeSignature(body, secret)): CheckRequest => ({
    type,
    headers: webhookHeaders(type, hash),
    body,
  });
  const valid = Buffer.from(JSON.stringify(validValue()), 'utf8');
  const validHash = computeSignature(valid, secret);
  const tampered = Buffer.from(valid.toString('utf8').replace('"changed_by":"J. Lindqvist"', '"changed_by":"M. Mallory"'), 'utf8');
  const wrongSecret = WRONG_SECRETS.find((candidate) => candidate !== secret)!;
  const text = (value: string) => Buffer.from(value, 'utf8');
  const upper = text(JSON.stringify(validValue('2026-11-28T14:06:40Z')));

  const table: Record<CaseId, [title: string, expect: Expectation, requests: CheckRequest[]]> = {
    valid: ['compact JSON, right hash', 'accept', [signed(VALID_TYPE, valid)]],
    'valid-pretty': ['pretty-printed JSON, right hash', 'accept', [signed(VALID_TYPE, text(JSON.stringify(validValue(), null, 2)))]],
    'valid-spaced': ["JSON as Python's json.dumps writes it, right hash", 'accept', [signed(VALID_TYPE, text(pythonDumps(validValue())))]],
    'valid-unicode': ['non-ASCII text (accents, °, an emoji), right hash', 'accept', [signed(VALID_TYPE, text(JSON.stringify(UNICODE_VALUE)))]],
    'valid-escapes': ['escapes and numbers a round trip rewrites, right hash', 'accept', [signed(VALID_TYPE, text(ESCAPES_BODY))]],
    'valid-large': ['a body of about 1 MiB, right hash', 'accept', [signed(VALID_TYPE, text(JSON.stringify(largeValue())))]],
    'uppercase-hash': ['the right hash in upper-case hex', 'accept', [signed(VALID_TYPE, upper, computeSignature(upper, secret).toUpperCase())]],
    'unknown-type': [`a type outside the 33 (${UNKNOWN_TYPE}), right hash`, 'accept', [signed(UNKNOWN_TYPE, text(JSON.stringify(UNKNOWN_TYPE_VALUE)))]],
    'every-type': [`one event of each of the ${SAMPLE_TYPES.length} types`, 'accept', SAMPLE_TYPES.map((type) => signed(type, sampleBody(type)!))],
    replayed: ['valid again, byte for byte', 'accept', [signed(VALID_TYPE, valid)]],
    'tampered-body': ['valid with one value changed after signing', 'reject', [signed(VALID_TYPE, tampered, validHash)]],
    'wrong-secret': ['signed with another secret', 'reject', [signed(VALID_TYPE, valid, computeSignature(valid, wrongSecret))]],
    'missing-hash': ['no X-Coreone-Webhook-Hash header', 'reject', [signed(VALID_TYPE, valid, null)]],
    'malformed-hash': ['a hash header that is not 64 hex digits', 'reject', [signed(VALID_TYPE, valid, validHash.slice(0, 40))]],
  };
  return CASE_IDS.map((id) => {
    const [title, expect, requests] = table[id];
    return { id, title, expect, lenient: id === 'uppercase-hash', requests };
  });
}
