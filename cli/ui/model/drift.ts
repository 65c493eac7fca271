// The TUI's view of each event's drift (SPEC.md "Schemas, drift and exports"): how its
// body's shape departs from the earlier events of its type that this TUI has seen. Fed
// the stream's messages as they arrive, before the reducer sees them, so each event's
// drift is computed once, incrementally; drawing and keys only look it up. Kept outside
// the reducer's state because a shape is learnt by mutation, which a pure reducer may not do.
import { jsonBody, Shapes, type Change } from '../../../server/schema/drift.js';
import type { InspectorMessage } from '../../../server/types.js';
import { DEFAULT_EVENT_LIMIT } from './state.js';

export class DriftView {
  readonly #shapes = new Shapes();
  /** The drift of each event that has some, oldest first; events without drift are not kept. */
  readonly #changes = new Map<string, readonly Change[]>();
  /** A reconnect replays history: an event is learnt once, the first time it comes. */
  #lastSeq = 0;
  readonly #limit: number;

  constructor(limit = DEFAULT_EVENT_LIMIT) {
    this.#limit = limit;
  }

  observe(messages: readonly InspectorMessage[]): void {
    for (const message of messages) {
      if (message.kind !== 'event' || message.event.seq <= this.#lastSeq) continue;
      const { event } = message;
      this.#lastSeq = event.seq;
      const changes = this.#shapes.observe(event.type, jsonBody(event));
      if (changes === null || changes.length === 0) continue;
      this.#changes.set(event.id, changes);
      // As bounded as the store: the oldest go first (a Map keeps insertion order).
      if (this.#changes.size > this.#limit) this.#changes.delete(this.#changes.keys().next().value!);
    }
  }

  /** The drift of an event, or undefined when it has none. */
  of(id: string): readonly Change[] | undefined {
    return this.#changes.get(id);
  }
}

/** One change as the Diff tab says it: `added accession.priority`, `type-changed client.id: number -> string`. */
export function formatDrift(change: Change): string {
  const path = change.path === '' ? '(the body)' : change.path;
  return change.change === 'type-changed' ? `type-changed ${path}: ${change.was} -> ${change.now}` : `${change.change} ${path}`;
}
