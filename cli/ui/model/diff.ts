// The Diff tab's content: a unified line diff of the pretty-printed bodies (hunks.ts) and
// a summary of the JSON paths whose values changed.
import { unifiedHunks } from './hunks.js';
import type { WebhookEvent } from '../../../server/types.js';
import { prettyJsonText } from './json-pretty.js';

export interface PathChange {
  path: string;
  /** JSON text of the old value; undefined when the path did not exist before. */
  before?: string;
  /** JSON text of the new value; undefined when the path is gone. */
  after?: string;
}

export type DiffLineKind = 'hunk' | 'add' | 'del' | 'context';

export interface DiffLine {
  kind: DiffLineKind;
  text: string;
}

export type BodyDiff =
  | { kind: 'identical' }
  | { kind: 'changed'; lines: DiffLine[]; changes: PathChange[] | null }
  | { kind: 'unavailable'; reason: string };

const CONTEXT_LINES = 3;
/**
 * Largest body shown or diffed as it is (characters): past this the Body tab draws only its
 * start and the Diff tab says so, so one huge webhook cannot make every frame wrap
 * megabytes (in `listen` the TUI shares the listener's heap).
 */
export const MAX_BODY_CHARS = 256 * 1024;
/**
 * Line comparisons a diff may make before it stops, rather than freeze the keys on two very
 * different large bodies: about 100 ms here, where two unrelated bodies of 40 KB take 80.
 */
const DIFF_BUDGET = 3_000_000;

/** The text a body is compared as: pretty JSON when it parses, else the raw text. */
export function comparableText(event: WebhookEvent): string | null {
  if (event.truncated || event.bodyEncoding !== 'utf8') return null;
  return event.json.ok ? prettyJsonText(event.body) : event.body;
}

export function diffBodies(before: WebhookEvent, after: WebhookEvent): BodyDiff {
  const large = [before, after].find((e) => e.body.length > MAX_BODY_CHARS);
  if (large) {
    return { kind: 'unavailable', reason: `No line diff: the body of #${large.seq} is over ${MAX_BODY_CHARS / 1024} KiB; compare saved fixtures instead.` };
  }
  const a = comparableText(before);
  const b = comparableText(after);
  if (a === null || b === null) {
    const which = a === null ? before : after;
    const why = which.truncated ? 'was over --max-body and not kept' : 'is binary (not UTF-8)';
    return { kind: 'unavailable', reason: `No line diff: the body of #${which.seq} ${why}.` };
  }
  if (a === b) return { kind: 'identical' };
  const hunks = unifiedHunks(a.split('\n'), b.split('\n'), CONTEXT_LINES, DIFF_BUDGET);
  if (!hunks) {
    return { kind: 'unavailable', reason: 'No line diff: the bodies are too large and too different to compare quickly.' };
  }
  const lines: DiffLine[] = [];
  for (const hunk of hunks) {
    lines.push({ kind: 'hunk', text: `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@` });
    for (const l of hunk.lines) {
      const kind: DiffLineKind = l[0] === '+' ? 'add' : l[0] === '-' ? 'del' : 'context';
      lines.push({ kind, text: l });
    }
  }
  const changes = before.json.ok && after.json.ok ? changedPaths(JSON.parse(before.body), JSON.parse(after.body)) : null;
  return { kind: 'changed', lines, changes };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `a.b[2]`, with keys that are not identifiers quoted in brackets: `a["odd key"]`. */
function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  if (!IDENTIFIER.test(key)) return `${parent}[${JSON.stringify(key)}]`;
  return parent ? `${parent}.${key}` : key;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The leaf paths whose values differ between two parsed JSON values, in document order:
 * objects are compared key by key, arrays index by index.
 */
export function changedPaths(before: unknown, after: unknown, path = ''): PathChange[] {
  if (isObject(before) && isObject(after)) {
    const out: PathChange[] = [];
    const keys = [...Object.keys(after), ...Object.keys(before).filter((k) => !Object.hasOwn(after, k))];
    for (const key of keys) {
      const p = childPath(path, key);
      if (!Object.hasOwn(before, key)) out.push({ path: p, after: JSON.stringify(after[key]) });
      else if (!Object.hasOwn(after, key)) out.push({ path: p, before: JSON.stringify(before[key]) });
      else out.push(...changedPaths(before[key], after[key], p));
    }
    return out;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const out: PathChange[] = [];
    for (let i = 0; i < Math.max(before.length, after.length); i++) {
      const p = childPath(path, i);
      if (i >= before.length) out.push({ path: p, after: JSON.stringify(after[i]) });
      else if (i >= after.length) out.push({ path: p, before: JSON.stringify(before[i]) });
      else out.push(...changedPaths(before[i], after[i], p));
    }
    return out;
  }
  if (sameJson(before, after)) return [];
  return [{ path: path || '(whole body)', before: JSON.stringify(before), after: JSON.stringify(after) }];
}

function shorten(json: string | undefined, max: number): string {
  if (json === undefined) return '(absent)';
  return json.length > max ? `${json.slice(0, max - 1)}…` : json;
}

/** `status: "Pending" -> "Received"` */
export function formatChange(change: PathChange, maxValue = 60): string {
  return `${change.path}: ${shorten(change.before, maxValue)} -> ${shorten(change.after, maxValue)}`;
}
