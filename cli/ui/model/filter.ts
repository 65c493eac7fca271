// The `/` filter: a type prefix such as `accession/`, or free text.
import type { WebhookEvent } from '../../../server/types.js';
import { queryPattern } from '../../../server/stream/query-pattern.js';

export type EventMatcher = (event: WebhookEvent) => boolean;

/**
 * Bodies a store let go (held-bodies.ts) cannot be matched here: the log's answer to the
 * filter's text (MatchesMessage) stands in for them.
 */
export interface LetGoBodies {
  /** Ids of the events whose body was let go: their body reads '' meanwhile. */
  unheld: ReadonlySet<string>;
  search: BodySearch | null;
}

/** A free-text query put to the log, and its answer once it came (null until then). */
export interface BodySearch {
  query: string;
  ids: ReadonlySet<string> | null;
}

/** Something shaped like a type prefix: `accession/`, `accession/status`, `comment/create`. */
const TYPE_PREFIX = /^[\w.-]+\/[\w.-]*$/;

/** The query as free text to look for in bodies, trimmed; null when it is empty or a type prefix. */
export function freeText(query: string): string | null {
  const q = query.trim();
  return q === '' || TYPE_PREFIX.test(q) ? null : q;
}

/**
 * A query shaped like a type prefix keeps the events whose type starts with it; any other
 * query is free text, matched case-insensitively against the type, the verdict, the
 * path and the body. An empty query keeps everything.
 */
export function compileFilter(query: string, letGo?: LetGoBodies): EventMatcher {
  const q = query.trim();
  if (q === '') return () => true;
  if (TYPE_PREFIX.test(q)) {
    const prefix = q.toLowerCase();
    return (e) => e.type !== null && e.type.toLowerCase().startsWith(prefix);
  }
  const re = queryPattern(q);
  const found = letGo?.search?.query === q ? letGo.search.ids : null;
  const bodyMatches = (e: WebhookEvent): boolean => (letGo?.unheld.has(e.id) ? found?.has(e.id) === true : re.test(e.body));
  return (e) => re.test(e.type ?? '') || re.test(e.signature.status) || re.test(e.path) || (e.bodyEncoding === 'utf8' && bodyMatches(e));
}
