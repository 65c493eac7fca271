// Fixture files: a received event saved so that it can be replayed, verified and
// committed into a test suite (../shared/SPEC.md "Fixture file"). Layout:
//   <fixtures-dir>/<resource>/<action>-<seq>-<short id>.json
// The type header comes from whoever sent the request, so every path part is rebuilt
// from a small alphabet: no type can name a file outside the fixtures dir. Files may hold
// customer data (client names, results), so they are created owner-only (0600, dirs 0700),
// and an existing file is never overwritten.
import { open, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { fileErrorReason } from './file-errors.js';
import { makeDirectory } from './make-directory.js';
import type { Signature, SignatureStatus, WebhookEvent } from '../types.js';

export const FIXTURE_FORMAT = 'coreone-inspect/fixture@1';

export interface Fixture {
  format: typeof FIXTURE_FORMAT;
  type: string | null;
  receivedAt: string;
  headers: Record<string, string>;
  /** Byte-exact: UTF-8 text, or base64 when the body was not valid UTF-8. */
  body: string;
  bodyEncoding: 'utf8' | 'base64';
  signature: Signature;
}

/** A fixture that cannot be written or read; the message is one sentence for the user. */
export class FixtureError extends Error {}

/** Longest resource or action kept in a path, so a long type cannot hit the file-name limit. */
const MAX_PART = 64;
/** Names Windows reserves for devices, whatever the extension; a directory may not be one. */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com\d|lpt\d)$/;

/**
 * One path part from untrusted text: accents folded (é -> e), lower-cased, every run of
 * characters outside [a-z0-9_] turned into one "_", no leading or trailing "_",
 * at most MAX_PART characters. So no ".", "/", "\", NUL or absolute path survives, and
 * the result may be empty (the caller falls back).
 */
export function sanitizePathPart(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .slice(0, MAX_PART)
    .replace(/^_+|_+$/g, '');
}

/**
 * Where an event's fixture goes, relative to the fixtures dir: `<resource>/<action>-<seq>-<id>`
 * without the extension. A type without a usable resource (null, no "/", "../..") goes
 * under `unknown/`; its action is whatever survives sanitizing, else "event".
 */
export function fixtureStem(event: Pick<WebhookEvent, 'type' | 'seq' | 'id'>): { dir: string; name: string } {
  const type = typeof event.type === 'string' ? event.type : '';
  const slash = type.indexOf('/');
  let resource = slash > 0 ? sanitizePathPart(type.slice(0, slash)) : '';
  const action = sanitizePathPart(slash >= 0 ? type.slice(slash + 1) : type) || 'event';
  if (resource === '') resource = 'unknown';
  if (WINDOWS_DEVICE.test(resource)) resource += '_';
  const seq = Number.isSafeInteger(event.seq) && event.seq >= 0 ? event.seq : 0;
  const shortId = String(event.id).replace(/[^A-Za-z0-9]/g, '').slice(0, 8) || 'noid';
  return { dir: resource, name: `${action}-${seq}-${shortId}` };
}

/** The fixture record of an event (the secret is not in it: only the hashes). */
export function fixtureOf(event: WebhookEvent): Fixture {
  return {
    format: FIXTURE_FORMAT,
    type: event.type,
    receivedAt: event.receivedAt,
    headers: event.headers,
    body: event.body,
    bodyEncoding: event.bodyEncoding,
    signature: event.signature,
  };
}

/** Attempts at a free name (`-2`, `-3`...) before giving up; only reached if something is very wrong. */
const MAX_ATTEMPTS = 1000;

/**
 * Write an event as a new fixture file under `dir` and return its path (`dir` joined with
 * the relative path). Never overwrites: a taken name gets a `-2`, `-3`... suffix. Rejects
 * with a FixtureError for an event whose body was not kept or a directory it cannot write.
 */
export async function saveFixture(dir: string, event: WebhookEvent): Promise<string> {
  if (event.truncated) {
    throw new FixtureError(
      `Event ${event.id} was over --max-body, so its body was not kept and it cannot be saved as a fixture.`,
    );
  }
  const stem = fixtureStem(event);
  const folder = path.join(dir, stem.dir);
  assertInside(dir, folder);
  const content = `${JSON.stringify(fixtureOf(event), null, 2)}\n`;
  try {
    await makeDirectory(folder, 0o700);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const file = path.join(folder, `${stem.name}${attempt === 1 ? '' : `-${attempt}`}.json`);
      const handle = await open(file, 'wx', 0o600).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'EEXIST') return null;
        throw error;
      });
      if (handle === null) continue;
      try {
        await handle.writeFile(content, 'utf8');
      } catch (error) {
        // A half-written fixture would fail to replay later; better none at all.
        await handle.close();
        await unlink(file).catch(() => undefined);
        throw error;
      }
      await handle.close();
      return file;
    }
  } catch (error) {
    throw new FixtureError(`Cannot save a fixture in ${folder}: ${fileErrorReason(error)}.`);
  }
  throw new FixtureError(`Cannot save a fixture in ${folder}: ${MAX_ATTEMPTS} files named ${stem.name}* already exist.`);
}

/** Belt and braces: sanitizing already guarantees this; a bug there must not write elsewhere. */
function assertInside(dir: string, target: string): void {
  const relative = path.relative(path.resolve(dir), path.resolve(target));
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new FixtureError(`Refusing to write a fixture outside ${dir}.`);
  }
}

const STATUSES: ReadonlySet<SignatureStatus> = new Set(['valid', 'invalid', 'missing', 'malformed', 'unchecked']);
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Read and check a fixture file. Rejects with a FixtureError whose message is one sentence
 * naming the file and what is wrong with it (commands turn it into a usage error, exit 2).
 */
export async function readFixture(file: string): Promise<Fixture> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new FixtureError(`Cannot read fixture ${file}: ${fileErrorReason(error)}.`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new FixtureError(`${file} is not a fixture: it is not valid JSON (${fileErrorReason(error)}).`);
  }
  if (!isObject(data) || !('format' in data)) {
    throw new FixtureError(`${file} is not a coreone-inspect fixture (it has no "format": "${FIXTURE_FORMAT}").`);
  }
  if (data.format !== FIXTURE_FORMAT) {
    throw new FixtureError(`${file} has fixture format ${JSON.stringify(data.format)}; this version reads "${FIXTURE_FORMAT}".`);
  }
  const corrupt = (what: string) => new FixtureError(`${file} is a corrupt fixture: ${what}.`);
  const { type, receivedAt, headers, body, bodyEncoding, signature } = data;
  if (type !== null && typeof type !== 'string') throw corrupt('"type" must be a string or null');
  if (typeof receivedAt !== 'string') throw corrupt('"receivedAt" must be a string');
  if (!isObject(headers) || !Object.values(headers).every((v) => typeof v === 'string')) {
    throw corrupt('"headers" must be an object of strings');
  }
  if (typeof body !== 'string') throw corrupt('"body" must be a string');
  if (bodyEncoding !== 'utf8' && bodyEncoding !== 'base64') throw corrupt('"bodyEncoding" must be "utf8" or "base64"');
  if (bodyEncoding === 'base64' && !BASE64.test(body)) throw corrupt('"body" is not valid base64');
  // A lone surrogate has no UTF-8 form: the bytes sent would not be the bytes received.
  if (bodyEncoding === 'utf8' && LONE_SURROGATE.test(body)) throw corrupt('"body" holds text that is not valid UTF-8');
  if (!isSignature(signature)) throw corrupt('"signature" is missing or not a signature verdict');
  return {
    format: FIXTURE_FORMAT,
    type,
    receivedAt,
    headers: headers as Record<string, string>,
    body,
    bodyEncoding,
    signature,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSignature(value: unknown): value is Signature {
  if (!isObject(value)) return false;
  const nullableString = (v: unknown) => v === null || typeof v === 'string';
  return (
    STATUSES.has(value.status as SignatureStatus) &&
    nullableString(value.received) &&
    nullableString(value.expected) &&
    Array.isArray(value.diagnosis) &&
    value.diagnosis.every((d) => isObject(d) && typeof d.code === 'string' && typeof d.message === 'string')
  );
}
