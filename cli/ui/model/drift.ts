// The TUI's view of each event's drift (SPEC.md "Schemas, drift and exports"): how its
// body's shape departs from the earlier events of its type that this TUI has seen. Fed
// the stream's messages as they arrive, before the reducer sees them, so each event's
// drift is computed once, incrementally (in idle time, see learn); drawing and keys only
// look it up. Kept outside the reducer's state because a shape is learnt by mutation, which a pure reducer may not do.
import { jsonBody, Shapes, type Change } from '../../../server/schema/drift.js';
import type { WebhookEvent } from '../../../server/types.js';
import { DEFAULT_EVENT_LIMIT, type StreamMessage } from './state.js';

export class DriftView {
  readonly #shapes = new Shapes();
  /** The drift of each event that has some, oldest first; events without drift are not kept. */
  readonly #changes = new Map<string, readonly Change[]>();
  /** A reconnect replays history: an event is learnt once, the first time it comes. */
  #lastSeq = 0;
  readonly #limit: number;
  /**
   * Events observed and not learnt yet, oldest first, from `#next` on. Learning parses
   * every body (0.6 s for a history of 9,000), so a caller may spread it over idle time
   * with learn(); of() learns them all first, so it always answers as if every event
   * had been learnt on arrival.
   */
  #pending: (WebhookEvent | null)[] = [];
  #next = 0;
  readonly #pendingIds = new Set<string>();
  /**
   * History rows of `bodies=after` whose body is still to come, by id: their place in
   * `#pending`. Learning stops at the first of them, since shapes are learnt in log order.
   */
  readonly #awaiting = new Map<string, number>();
  /** Characters of the bodies that `#pending` holds, and the most it may before it learns them at once. */
  #pendingChars = 0;
  readonly #maxPendingChars: number;

  /**
   * `maxPendingChars`: a store that lets bodies go (held-bodies.ts) must not have them held
   * here instead, waiting for idle time: past this many, observe() learns what it can at
   * once. Learning is in log order, so with the history's bodies oldest first
   * (`bodies=log`) each is learnt soon after it comes.
   */
  constructor(limit = DEFAULT_EVENT_LIMIT, maxPendingChars = Infinity) {
    this.#limit = limit;
    this.#maxPendingChars = maxPendingChars;
  }

  observe(messages: readonly StreamMessage[]): void {
    for (const message of messages) {
      if (message.kind === 'body') this.#fill(message.id, message.body);
      // Bodies that did not come on this connection will not: learn the rest without them.
      if (message.kind === 'bodies-end') this.#awaiting.clear();
      if ((message.kind !== 'event' && message.kind !== 'row') || message.event.seq <= this.#lastSeq) continue;
      this.#lastSeq = message.event.seq;
      if (message.kind === 'row') this.#awaiting.set(message.event.id, this.#pending.length);
      this.#pending.push(message.event);
      this.#pendingIds.add(message.event.id);
      this.#pendingChars += message.event.body.length;
    }
    if (this.#pendingChars > this.#maxPendingChars) this.learn();
  }

  #fill(id: string, body: string): void {
    const at = this.#awaiting.get(id);
    if (at === undefined) return;
    this.#awaiting.delete(id);
    this.#pending[at] = { ...(this.#pending[at] as WebhookEvent), body };
    this.#pendingChars += body.length;
  }

  /** Events observed and not learnt yet. */
  get pending(): number {
    return this.#pending.length - this.#next;
  }

  /**
   * Learns pending events, oldest first, for about `budgetMs` at most; true while some are
   * left that can be learnt now (not those from a row whose body is still to come).
   */
  learn(budgetMs = Infinity): boolean {
    const until = performance.now() + budgetMs;
    while (this.#next < this.#pending.length) {
      const event = this.#pending[this.#next] as WebhookEvent;
      if (this.#awaiting.has(event.id)) return false; // the rest waits for this body
      // Learnt: its body is not held here any longer (the store may have let it go).
      this.#pending[this.#next++] = null;
      this.#learnOne(event);
      if (this.#next % 64 === 0 && performance.now() >= until) break;
    }
    if (this.#next < this.#pending.length) return true;
    this.#pending = [];
    this.#next = 0;
    return false;
  }

  #learnOne(event: WebhookEvent): void {
    this.#pendingIds.delete(event.id);
    this.#pendingChars -= event.body.length;
    const changes = this.#shapes.observe(event.type, jsonBody(event));
    if (changes === null || changes.length === 0) return;
    this.#changes.set(event.id, changes);
    // As bounded as the store: the oldest go first (a Map keeps insertion order).
    if (this.#changes.size > this.#limit) this.#changes.delete(this.#changes.keys().next().value!);
  }

  /** The drift of an event, or undefined when it has none. */
  of(id: string): readonly Change[] | undefined {
    if (this.#pendingIds.has(id)) this.learn();
    return this.#changes.get(id);
  }

  /** The drift of an event if it is learnt already (undefined too while it is not): for drawing many rows without waiting. */
  learnt(id: string): readonly Change[] | undefined {
    return this.#changes.get(id);
  }
}

/**
 * Learns a DriftView's arrived events in idle time, a slice at a time, so a history of
 * thousands is drawn before its shapes are learnt (0.6 s for 9,000 bodies) and keys never
 * wait behind it; `onLearnt` once all are, for the list's drift marks. The TUI and the web
 * page both call soon() after observing events.
 */
const QUIET_MS = 60;
/**
 * The longest learning waits for quiet: the events waiting hold their bodies, even those
 * the store has dropped, so a stream that never pauses for QUIET_MS must not keep them.
 */
const MAX_WAIT_MS = 1_000;

export class IdleLearner {
  readonly #drift: DriftView;
  readonly #onLearnt: () => void;
  readonly #sliceMs: number;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #learning = false;
  /** When the armed wait for quiet began (performance.now()). */
  #waitingSince = 0;

  /** `sliceMs`: the longest stretch of learning between two chances to draw or read a key. */
  constructor(drift: DriftView, onLearnt: () => void, sliceMs = 8) {
    this.#drift = drift;
    this.#onLearnt = onLearnt;
    this.#sliceMs = sliceMs;
  }

  /**
   * Starts learning once the stream has been quiet for QUIET_MS, or at the latest some
   * MAX_WAIT_MS after the first call: during a burst every slice would be taken from
   * drawing the events still arriving (a burst of 1,000 in the web page: some 170 ms).
   * Once started, it goes on between batches until done.
   */
  soon(): void {
    if (this.#learning) return;
    if (this.#timer === null) this.#waitingSince = performance.now();
    else if (performance.now() - this.#waitingSince >= MAX_WAIT_MS) return; // waited long enough: keep the timer
    else clearTimeout(this.#timer);
    this.#timer = setTimeout(this.#step, QUIET_MS);
  }

  #step = (): void => {
    this.#learning = true;
    this.#timer = this.#drift.learn(this.#sliceMs) ? setTimeout(this.#step, 0) : null;
    if (this.#timer) return;
    this.#learning = false;
    this.#onLearnt();
  };

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#learning = false;
  }
}

/** One change as the Diff tab says it: `added accession.priority`, `type-changed client.id: number -> string`. */
export function formatDrift(change: Change): string {
  const path = change.path === '' ? '(the body)' : change.path;
  return change.change === 'type-changed' ? `type-changed ${path}: ${change.was} -> ${change.now}` : `${change.change} ${path}`;
}
