// The filtered view's selection and its scroll window, after mitmproxy's view.py: the
// selection repairs itself when the store or the filter changes, and the window follows
// it. Written against the few fields it needs, so the store's state type stays its own.
import type { WebhookEvent } from '../../../server/types.js';
import { compileFilter, type LetGoBodies } from './filter.js';

/**
 * The part of the TUI's state (state.ts UiState) that the view and its selection are; the
 * filter matches the bodies the store let go by the log's answer (LetGoBodies).
 */
export interface ViewWindow extends LetGoBodies {
  /** Every event held, in arrival order. */
  events: readonly WebhookEvent[];
  filter: string;
  /** Indices into `events` of the events the filter keeps, in arrival order. */
  visible: readonly number[];
  /** Position of the selection in `visible`; -1 when nothing is visible. */
  cursor: number;
  /** First row of `visible` shown in the list window. */
  top: number;
  listRows: number;
  follow: boolean;
  detailScroll: number;
}

export function clamp(n: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, n));
}

/** Keeps the selection inside the list window and the window inside the list. */
export function withWindow<S extends ViewWindow>(state: S): S {
  const rows = Math.max(1, state.listRows);
  const maxTop = Math.max(0, state.visible.length - rows);
  let top = clamp(state.top, 0, maxTop);
  if (state.cursor >= 0) {
    if (state.cursor < top) top = state.cursor;
    else if (state.cursor >= top + rows) top = state.cursor - rows + 1;
  }
  return top === state.top ? state : { ...state, top };
}

/**
 * Moves the selection to a position in `visible`; selecting another event resets the
 * detail scroll. `previous` is the event index selected before, when `visible` changed.
 */
export function select<S extends ViewWindow>(state: S, cursor: number, previous = state.visible[state.cursor]): S {
  const next = state.visible.length === 0 ? -1 : clamp(cursor, 0, state.visible.length - 1);
  const changed = state.visible[next] !== previous;
  return withWindow({ ...state, cursor: next, detailScroll: changed ? 0 : state.detailScroll });
}

/** The position in `visible` nearest (in arrival order) to the event index `target`. */
function nearestPosition(visible: readonly number[], target: number): number {
  if (visible.length === 0) return -1;
  let lo = 0;
  let hi = visible.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((visible[mid] as number) < target) lo = mid + 1;
    else hi = mid;
  }
  // lo: first position whose index >= target; the one before it may be nearer.
  const after = lo;
  const before = lo - 1;
  if ((visible[after] as number) === target || before < 0) return after;
  if ((visible[after] as number) < target) return after; // every visible event is older
  return target - (visible[before] as number) <= (visible[after] as number) - target ? before : after;
}

/** Recomputes the view after the filter or the store changed, and repairs the selection. */
export function refilter<S extends ViewWindow>(state: S, previousIndex: number | undefined): S {
  const keep = compileFilter(state.filter, state);
  const visible: number[] = [];
  state.events.forEach((e, i) => {
    if (keep(e)) visible.push(i);
  });
  const next = { ...state, visible };
  if (state.follow || previousIndex === undefined) return select(next, state.follow ? visible.length - 1 : 0, previousIndex);
  return select(next, nearestPosition(visible, previousIndex), previousIndex);
}
