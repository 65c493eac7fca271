// The listener's side of recording a request: `accept` (the inspector) answers through
// this once the event is durable, or could not be made so.
/** How `accept` answers for one request. */
export interface Acknowledgement {
  /** The request is in the durable log, as event `id`. */
  accepted(id: string): void;
  /** It could not be recorded; `error` says why in one sentence. */
  failed(error: unknown): void;
}