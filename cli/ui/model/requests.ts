// What the user asks the listener for about the selection (save, replay, send a test), as
// the stream message to send, or the one sentence that says why there is none.
import type { ClientMessage } from '../../../server/types.js';
import { selectedEvent, type Notice, type RequestKind, type UiState } from './state.js';

/** The stream message for a request about the selection, or why there is none. */
export function requestFor(state: UiState, kind: RequestKind, chosenType?: string): { message: ClientMessage; text: string; id?: string } | Notice {
  const event = selectedEvent(state);
  if (kind === 'send') {
    // A test of the type chosen (the web page's picker), else of the selected event's
    // type, else of the first catalogued type.
    const type = chosenType ?? (event?.knownType && event.type ? event.type : 'accession/status_change');
    return { message: { kind: 'send', type }, text: `Asked the listener to send itself a test ${type} event.` };
  }
  if (!event) return { text: 'Select an event first.', tone: 'error' };
  const text = kind === 'save' ? `Saving #${event.seq} as a fixture…` : `Replaying #${event.seq} to --forward-to…`;
  return { message: { kind, id: event.id }, text, id: event.id };
}
