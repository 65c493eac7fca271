// The TUI's whole state and its pure reducer: the event store, the filtered view with its
// selection and scroll window (after mitmproxy's view.py), the detail tab, the filter
// input and the stream's connection state. Components only draw it and dispatch actions.
import type {
  ClientMessage,
  ForwardRecord,
  HelloMessage,
  InspectorMessage,
  SignatureStatus,
  TunnelRecord,
  WebhookEvent,
} from '../../../server/types.js';
import { compileFilter } from './filter.js';

export type Tab = 'headers' | 'body' | 'diff' | 'signature';
export const TABS: readonly Tab[] = ['headers', 'body', 'diff', 'signature'];

export type ConnectionState =
  | { status: 'connecting' }
  /** `historyReceived`: events of the history in so far, while it arrives (they are handed over at its end). */
  | { status: 'open'; restarted?: boolean; historyReceived?: number }
  | { status: 'reconnecting'; retryInMs: number; reason: string };

/** Over this many events the oldest tenth is dropped, so a long session stays bounded. */
export const DEFAULT_EVENT_LIMIT = 20_000;
/**
 * Over this many characters of bodies held, the oldest are dropped too: in `listen` the
 * TUI shares the listener's process, and a sender of large bodies must not exhaust its
 * heap (older events stay in the log). 32 Mi characters is 32 MiB of one-byte strings
 * and 64 MiB of two-byte ones (one character past Latin-1 makes a body two-byte), so
 * with the event objects and the process itself the TUI stays near 120 MB; the 128 Mi it
 * was could hold 256 MiB of bodies alone. 10,000 bodies of 2.5 KB fit.
 */
export const DEFAULT_BODY_BUDGET = 32 * 1024 * 1024;

export interface UiState {
  hello: HelloMessage | null;
  tunnel: TunnelRecord | null;
  connection: ConnectionState;
  /** True once the current connection's history has arrived (`history-end`). */
  historyLoaded: boolean;
  /** Every event held, in arrival order. */
  events: readonly WebhookEvent[];
  /** For each held event, the index of the previous held event of the same type, or -1. */
  prevOfType: readonly number[];
  lastOfType: ReadonlyMap<string | null, number>;
  indexById: ReadonlyMap<string, number>;
  /** Verdict counts over the whole session (dropped events included). */
  counts: Readonly<Record<SignatureStatus, number>>;
  dropped: number;
  limit: number;
  /** Characters of bodies held, and the most that may be held. */
  bodyChars: number;
  bodyBudget: number;
  forwards: ReadonlyMap<string, ForwardRecord>;
  saved: ReadonlyMap<string, string>;
  /** Events the user asked the listener to save or replay, until the answer arrives. */
  awaiting: ReadonlyMap<string, 'save' | 'replay'>;
  /** One line for the footer: an answer to the user's last request, until the next key. */
  notice: Notice | null;
  filter: string;
  filterEditing: boolean;
  /** Indices into `events` of the events the filter keeps, in arrival order. */
  visible: readonly number[];
  /** Position of the selection in `visible`; -1 when nothing is visible. */
  cursor: number;
  /** First row of `visible` shown in the list window. */
  top: number;
  listRows: number;
  follow: boolean;
  tab: Tab;
  detailScroll: number;
  help: boolean;
}

export interface Notice {
  text: string;
  tone: 'info' | 'error';
}

/** What the user can ask the listener for over the stream. */
export type RequestKind = 'save' | 'replay' | 'send';

export type Action =
  | { type: 'messages'; messages: readonly InspectorMessage[] }
  | { type: 'connection'; connection: ConnectionState }
  | { type: 'move'; delta: number }
  | { type: 'page'; direction: 1 | -1 }
  | { type: 'jump'; to: 'first' | 'last' }
  | { type: 'follow' }
  | { type: 'tab'; tab: Tab }
  | { type: 'tab-step'; delta: 1 | -1 }
  | { type: 'scroll-detail'; delta: number; max: number }
  | { type: 'filter-open' }
  | { type: 'filter-type'; text: string }
  /** The whole query at once: the web page's text field. */
  | { type: 'filter-set'; text: string }
  | { type: 'filter-backspace' }
  | { type: 'filter-accept' }
  | { type: 'filter-clear' }
  | { type: 'help'; open: boolean }
  | { type: 'request-sent'; kind: RequestKind; id?: string; text: string }
  | { type: 'notice'; notice: Notice }
  | { type: 'dismiss' }
  | { type: 'viewport'; listRows: number };

const ZERO_COUNTS: Record<SignatureStatus, number> = { valid: 0, invalid: 0, missing: 0, malformed: 0, unchecked: 0 };

export function initialState(options: { limit?: number; bodyBudget?: number; listRows?: number } = {}): UiState {
  return {
    hello: null,
    tunnel: null,
    connection: { status: 'connecting' },
    historyLoaded: false,
    events: [],
    prevOfType: [],
    lastOfType: new Map(),
    indexById: new Map(),
    counts: ZERO_COUNTS,
    dropped: 0,
    limit: options.limit ?? DEFAULT_EVENT_LIMIT,
    bodyChars: 0,
    bodyBudget: options.bodyBudget ?? DEFAULT_BODY_BUDGET,
    forwards: new Map(),
    saved: new Map(),
    awaiting: new Map(),
    notice: null,
    filter: '',
    filterEditing: false,
    visible: [],
    cursor: -1,
    top: 0,
    listRows: options.listRows ?? 10,
    follow: true,
    tab: 'body',
    detailScroll: 0,
    help: false,
  };
}

export function selectedEvent(state: UiState): WebhookEvent | null {
  const index = state.visible[state.cursor];
  return index === undefined ? null : (state.events[index] ?? null);
}

/** The previous event of the same type as the selection, in arrival order. */
export function previousOfSameType(state: UiState): WebhookEvent | null {
  const index = state.visible[state.cursor];
  if (index === undefined) return null;
  const prev = state.prevOfType[index] ?? -1;
  return prev < 0 ? null : (state.events[prev] ?? null);
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, n));
}

/** Keeps the selection inside the list window and the window inside the list. */
function withWindow(state: UiState): UiState {
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
function select(state: UiState, cursor: number, previous = state.visible[state.cursor]): UiState {
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
function refilter(state: UiState, previousIndex: number | undefined): UiState {
  const keep = compileFilter(state.filter);
  const visible: number[] = [];
  state.events.forEach((e, i) => {
    if (keep(e)) visible.push(i);
  });
  const next = { ...state, visible };
  if (state.follow || previousIndex === undefined) return select(next, state.follow ? visible.length - 1 : 0, previousIndex);
  return select(next, nearestPosition(visible, previousIndex), previousIndex);
}

function addEvents(state: UiState, incoming: readonly WebhookEvent[]): UiState {
  if (incoming.length === 0) return state;
  const events = state.events.slice();
  const prevOfType = state.prevOfType.slice();
  const lastOfType = new Map(state.lastOfType);
  const indexById = new Map(state.indexById);
  const counts = { ...state.counts };
  const visible = state.visible.slice();
  const keep = compileFilter(state.filter);
  let bodyChars = state.bodyChars;
  for (const event of incoming) {
    // A reconnect replays the history: events already held are skipped.
    if (indexById.has(event.id)) continue;
    const index = events.length;
    events.push(event);
    indexById.set(event.id, index);
    prevOfType.push(lastOfType.get(event.type) ?? -1);
    lastOfType.set(event.type, index);
    counts[event.signature.status]++;
    bodyChars += event.body.length;
    if (keep(event)) visible.push(index);
  }
  let next: UiState = { ...state, events, prevOfType, lastOfType, indexById, counts, visible, bodyChars };
  if (events.length > state.limit || bodyChars > state.bodyBudget) return dropOldest(next);
  if (state.follow) return select(next, visible.length - 1);
  if (state.cursor < 0) return select(next, 0);
  return withWindow(next);
}

/**
 * Drops the oldest events until the store is back to nine tenths of its event limit and
 * half its body budget (amortised: a drop rebuilds the indexes, so it must be rare; bodies
 * come in a few large ones), always keeping the newest.
 */
function dropOldest(state: UiState): UiState {
  let excess = Math.max(0, state.events.length - Math.floor(state.limit * 0.9));
  let bodyChars = state.bodyChars;
  for (let i = 0; i < excess; i++) bodyChars -= state.events[i]!.body.length;
  while (bodyChars > state.bodyBudget * 0.5 && excess < state.events.length - 1) {
    bodyChars -= state.events[excess]!.body.length;
    excess++;
  }
  const selectedId = selectedEvent(state)?.id;
  const events = state.events.slice(excess);
  const prevOfType: number[] = [];
  const lastOfType = new Map<string | null, number>();
  const indexById = new Map<string, number>();
  events.forEach((e, i) => {
    indexById.set(e.id, i);
    prevOfType.push(lastOfType.get(e.type) ?? -1);
    lastOfType.set(e.type, i);
  });
  const next = { ...state, events, prevOfType, lastOfType, indexById, bodyChars, dropped: state.dropped + excess };
  const previousIndex = selectedId === undefined ? undefined : (indexById.get(selectedId) ?? 0);
  return refilter(next, previousIndex);
}

function applyMessages(state: UiState, messages: readonly InspectorMessage[]): UiState {
  let next = state;
  let pending: WebhookEvent[] = [];
  const flush = () => {
    next = addEvents(next, pending);
    pending = [];
  };
  for (const m of messages) {
    switch (m.kind) {
      case 'event':
        pending.push(m.event);
        break;
      case 'hello':
        flush();
        next = {
          ...next,
          hello: m,
          tunnel: m.tunnel ?? (m.tunnelUrl ? { kind: 'tunnel', status: 'up', url: m.tunnelUrl } : null),
          historyLoaded: false,
        };
        break;
      case 'history-end':
        flush();
        next = { ...next, historyLoaded: true };
        break;
      case 'tunnel':
        next = { ...next, tunnel: m };
        break;
      case 'forward':
        next = { ...answered(next, m.id, 'replay', replayNotice(next, m)), forwards: new Map(next.forwards).set(m.id, m) };
        break;
      case 'saved':
        next = {
          ...answered(next, m.id, 'save', { text: `Saved ${seqLabel(next, m.id)} as ${m.path}`, tone: 'info' }),
          saved: new Map(next.saved).set(m.id, m.path),
        };
        break;
      case 'error':
        next = { ...next, notice: { text: m.message, tone: 'error' } };
        break;
    }
  }
  flush();
  return next;
}

function seqLabel(state: UiState, id: string): string {
  const index = state.indexById.get(id);
  const event = index === undefined ? undefined : state.events[index];
  return event ? `#${event.seq}` : 'the event';
}

function replayNotice(state: UiState, record: ForwardRecord): Notice {
  const what = `Replayed ${seqLabel(state, record.id)} to ${record.url}`;
  if (record.error) return { text: `${what}: ${record.error}`, tone: 'error' };
  return { text: `${what}: HTTP ${record.status ?? '?'}${record.ms === undefined ? '' : ` in ${record.ms} ms`}`, tone: 'info' };
}

/** A save or replay the user asked for has its answer: say so once. */
function answered(state: UiState, id: string, kind: 'save' | 'replay', notice: Notice): UiState {
  if (state.awaiting.get(id) !== kind) return state;
  const awaiting = new Map(state.awaiting);
  awaiting.delete(id);
  return { ...state, awaiting, notice };
}

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

export function reducer(state: UiState, action: Action): UiState {
  switch (action.type) {
    case 'messages':
      return applyMessages(state, action.messages);
    case 'connection':
      return { ...state, connection: action.connection };
    case 'move':
      return select({ ...state, follow: false }, state.cursor + action.delta);
    case 'page':
      return select({ ...state, follow: false }, state.cursor + action.direction * Math.max(1, state.listRows - 1));
    case 'jump':
      return select({ ...state, follow: false }, action.to === 'first' ? 0 : state.visible.length - 1);
    case 'follow':
      return state.follow ? { ...state, follow: false } : select({ ...state, follow: true }, state.visible.length - 1);
    case 'tab':
      return action.tab === state.tab ? state : { ...state, tab: action.tab, detailScroll: 0 };
    case 'tab-step': {
      const i = (TABS.indexOf(state.tab) + action.delta + TABS.length) % TABS.length;
      return { ...state, tab: TABS[i] as Tab, detailScroll: 0 };
    }
    case 'scroll-detail':
      return { ...state, detailScroll: clamp(state.detailScroll + action.delta, 0, Math.max(0, action.max)) };
    case 'filter-open':
      return { ...state, filterEditing: true, help: false };
    case 'filter-type':
      return refilter({ ...state, filter: state.filter + action.text }, state.visible[state.cursor]);
    case 'filter-set':
      return action.text === state.filter ? state : refilter({ ...state, filter: action.text }, state.visible[state.cursor]);
    case 'filter-backspace':
      return refilter({ ...state, filter: Array.from(state.filter).slice(0, -1).join('') }, state.visible[state.cursor]);
    case 'filter-accept':
      return { ...state, filterEditing: false };
    case 'filter-clear':
      return refilter({ ...state, filter: '', filterEditing: false }, state.visible[state.cursor]);
    case 'help':
      return { ...state, help: action.open };
    case 'request-sent': {
      const notice: Notice = { text: action.text, tone: 'info' };
      if (action.kind === 'send' || action.id === undefined) return { ...state, notice };
      return { ...state, notice, awaiting: new Map(state.awaiting).set(action.id, action.kind) };
    }
    case 'notice':
      return { ...state, notice: action.notice };
    case 'dismiss':
      return state.notice ? { ...state, notice: null } : state;
    case 'viewport':
      return action.listRows === state.listRows ? state : withWindow({ ...state, listRows: action.listRows });
  }
}
