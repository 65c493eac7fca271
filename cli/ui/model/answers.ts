// The listener's answers to what the user asked it for about an event (save, replay): a
// notice, once, for the request that is waiting for it. Written against the few fields
// it needs, as selection.ts is.
import type { ForwardRecord, SavedRecord, WebhookEvent } from '../../../server/types.js';

/** One line for the footer: an answer to the user's last request, until the next key. */
export interface Notice {
  text: string;
  tone: 'info' | 'error';
}

export interface Asking {
  events: readonly WebhookEvent[];
  indexById: ReadonlyMap<string, number>;
  /** Events the user asked the listener to save or replay, until the answer arrives. */
  awaiting: ReadonlyMap<string, 'save' | 'replay'>;
  notice: Notice | null;
}

function seqLabel(state: Asking, id: string): string {
  const index = state.indexById.get(id);
  const event = index === undefined ? undefined : state.events[index];
  return event ? `#${event.seq}` : 'the event';
}

/** A save or replay the user asked for has its answer: say so once. */
function answered<S extends Asking>(state: S, id: string, kind: 'save' | 'replay', notice: Notice): S {
  if (state.awaiting.get(id) !== kind) return state;
  const awaiting = new Map(state.awaiting);
  awaiting.delete(id);
  return { ...state, awaiting, notice };
}

export function replayAnswered<S extends Asking>(state: S, record: ForwardRecord): S {
  const what = `Replayed ${seqLabel(state, record.id)} to ${record.url}`;
  const notice: Notice = record.error
    ? { text: `${what}: ${record.error}`, tone: 'error' }
    : { text: `${what}: HTTP ${record.status ?? '?'}${record.ms === undefined ? '' : ` in ${record.ms} ms`}`, tone: 'info' };
  return answered(state, record.id, 'replay', notice);
}

export function saveAnswered<S extends Asking>(state: S, record: SavedRecord): S {
  return answered(state, record.id, 'save', { text: `Saved ${seqLabel(state, record.id)} as ${record.path}`, tone: 'info' });
}
