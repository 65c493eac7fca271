// The `/` filter: a type prefix such as `accession/`, or free text.
import type { WebhookEvent } from '../../../server/types.js';

export type EventMatcher = (event: WebhookEvent) => boolean;

/** Something shaped like a type prefix: `accession/`, `accession/status`, `comment/create`. */
const TYPE_PREFIX = /^[\w.-]+\/[\w.-]*$/;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A query shaped like a type prefix keeps the events whose type starts with it; any other
 * query is free text, matched case-insensitively against the type, the verdict, the
 * path and the body. An empty query keeps everything.
 */
export function compileFilter(query: string): EventMatcher {
  const q = query.trim();
  if (q === '') return () => true;
  if (TYPE_PREFIX.test(q)) {
    const prefix = q.toLowerCase();
    return (e) => e.type !== null && e.type.toLowerCase().startsWith(prefix);
  }
  const re = new RegExp(escapeRegExp(q), 'i');
  return (e) =>
    re.test(e.type ?? '') ||
    re.test(e.signature.status) ||
    re.test(e.path) ||
    (e.bodyEncoding === 'utf8' && re.test(e.body));
}
