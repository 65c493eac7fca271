// Which bodies the store holds. The web page holds every body it is sent. The TUI holds
// the newest up to its body budget and lets older ones go (`letBodiesGo`): they stay in the
// inspector's log, which answers for them (server/types.ts StreamQuestion). A body let go
// is asked for again when the detail pane shows it, and the free-text filter asks the log
// to search the bodies it no longer holds. Holding ten thousand bodies of 2.6 KB was a
// third of the TUI's memory (BENCHMARKS.md, issue 16). Written against the few fields it
// needs, as selection.ts is, so the store's state type stays its own.
import type { BodyMissingMessage, MatchesMessage, WebhookEvent } from '../../../server/types.js';
import { queryPattern } from '../../../server/stream/query-pattern.js';
import { freeText, type LetGoBodies } from './filter.js';

export interface BodyHold extends LetGoBodies {
  events: readonly WebhookEvent[];
  filter: string;
  visible: readonly number[];
  cursor: number;
  prevOfType: readonly number[];
  /** Characters of bodies held, and the most that may be held. */
  bodyChars: number;
  bodyBudget: number;
  /** Bodies to come: the history's (`bodies=after`, `bodies=log`) and those asked for again. */
  pendingBodies: ReadonlySet<string>;
  /** Bodies asked for again that the inspector no longer has (it restarted since). */
  lostBodies: ReadonlySet<string>;
}

/**
 * A pass lets go down to this share of the budget: it walks the whole store, so it must be
 * rare, and bodies arrive a few at a time.
 */
const LET_GO_TO = 0.75;

/**
 * Lets the oldest bodies go until the store is back under its budget, except the
 * selection's and the one its diff is against (they are on screen).
 */
export function letGoOldest<S extends BodyHold>(state: S): S {
  const shown = new Set<number>();
  const selected = state.visible[state.cursor];
  if (selected !== undefined) shown.add(selected).add(state.prevOfType[selected] ?? -1);
  // The filter's free text keeps an event whose body goes by the log's answer, which was
  // given before this body arrived, if it came after the search: add those it matches.
  const text = freeText(state.filter);
  const found = text !== null && state.search?.query === text && state.search.ids ? new Set(state.search.ids) : null;
  const test = found && text !== null ? queryPattern(text) : null;
  const events = state.events.slice();
  const unheld = new Set(state.unheld);
  let bodyChars = state.bodyChars;
  const target = state.bodyBudget * LET_GO_TO;
  for (let i = 0; i < events.length && bodyChars > target; i++) {
    const event = events[i] as WebhookEvent;
    // '' is a body to come, one let go already, or an empty one: nothing to let go.
    if (event.body === '' || shown.has(i)) continue;
    if (test && event.bodyEncoding === 'utf8' && test.test(event.body)) found!.add(event.id);
    bodyChars -= event.body.length;
    events[i] = { ...event, body: '' };
    unheld.add(event.id);
  }
  return { ...state, events, bodyChars, unheld, search: found && text !== null ? { query: text, ids: found } : state.search };
}

/** The TUI asked the log for these bodies (`{"kind":"body","id"}`): they are to come. */
export function bodiesAsked<S extends BodyHold>(state: S, ids: readonly string[]): S {
  const unheld = new Set(state.unheld);
  const pendingBodies = new Set(state.pendingBodies);
  for (const id of ids) if (unheld.delete(id)) pendingBodies.add(id);
  return { ...state, unheld, pendingBodies };
}

export function bodyMissing<S extends BodyHold>(state: S, message: BodyMissingMessage): S {
  if (!state.pendingBodies.has(message.id)) return state;
  const pendingBodies = new Set(state.pendingBodies);
  pendingBodies.delete(message.id);
  return { ...state, pendingBodies, lostBodies: new Set(state.lostBodies).add(message.id) };
}

/** The filter's free text was put to the log; its answer is to come. */
export function searchAsked<S extends BodyHold>(state: S, query: string): S {
  return { ...state, search: { query, ids: null } };
}

/** The log's answer, if it is for the query asked last (an older one is not). */
export function searchAnswered<S extends BodyHold>(state: S, message: MatchesMessage): S {
  if (state.search?.query !== message.query) return state;
  return { ...state, search: { query: message.query, ids: new Set(message.ids) } };
}

/** Bodies still to come that will not (their body phase or connection ended): let go, to be asked for again. */
export function notComing<S extends BodyHold>(state: S): S {
  if (state.pendingBodies.size === 0) return state;
  const unheld = new Set(state.unheld);
  for (const id of state.pendingBodies) unheld.add(id);
  return { ...state, unheld, pendingBodies: new Set() };
}

/**
 * A new connection (hello) answers nothing asked on the old one, and does not send again
 * the bodies of the events held already: those still to come are let go, and the
 * filter's search is asked again.
 */
export function reconnected<S extends BodyHold>(state: S): S {
  const next = notComing(state);
  return next.search === null ? next : { ...next, search: null };
}

/** Ids of the events no longer held, out of the body sets (after the oldest events were dropped). */
export function forgetDropped<S extends BodyHold>(state: S, held: ReadonlyMap<string, number>): S {
  const kept = (ids: ReadonlySet<string>) => (ids.size === 0 ? ids : new Set([...ids].filter((id) => held.has(id))));
  return { ...state, unheld: kept(state.unheld), pendingBodies: kept(state.pendingBodies), lostBodies: kept(state.lostBodies) };
}

/** Why an event's body (or, for the Diff tab, the previous one's) is not there to show. */
export type BodyGap = 'coming' | 'lost';

export function bodyGap(state: BodyHold, ...events: (WebhookEvent | null)[]): BodyGap | null {
  let gap: BodyGap | null = null;
  for (const event of events) {
    if (event === null) continue;
    if (state.lostBodies.has(event.id)) return 'lost';
    if (state.pendingBodies.has(event.id) || state.unheld.has(event.id)) gap = 'coming';
  }
  return gap;
}

/** The shown events whose bodies were let go: to ask the log for. */
export function bodiesToAsk(state: BodyHold, ...events: (WebhookEvent | null)[]): string[] {
  return events.filter((event): event is WebhookEvent => event !== null && state.unheld.has(event.id)).map((event) => event.id);
}

/** The filter's free text to put to the log: when bodies were let go and it has not been asked. */
export function searchToAsk(state: BodyHold): string | null {
  const text = freeText(state.filter);
  return text !== null && state.unheld.size > 0 && state.search?.query !== text ? text : null;
}

/** The filter's text needs the log's answer for the bodies let go, and it has not come yet. */
export function searching(state: BodyHold): boolean {
  const text = freeText(state.filter);
  return text !== null && state.unheld.size > 0 && (state.search?.query !== text || state.search.ids === null);
}
