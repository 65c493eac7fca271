// The TUI's whole state and its pure reducer: the event store, the filtered view with its
// selection and scroll window (after mitmproxy's view.py), the detail tab, the filter
// input and the stream's connection state. Components only draw it and dispatch actions.
import type {
  BodyMessage,
  ForwardRecord,
  HelloMessage,
  InspectorMessage,
  SignatureStatus,
  TunnelRecord,
  WebhookEvent,
} from '../../../server/types.js';
import { compileFilter } from './filter.js';
import { clamp, refilter, select, withWindow, type ViewWindow } from './selection.js';
import { replayAnswered, saveAnswered, type Asking, type Notice } from './answers.js';
import { bodiesAsked, bodyMissing, forgetDropped, letGoOldest, notComing, reconnected, searchAnswered, searchAsked, type BodyHold } from './held-bodies.js';

export type { Notice } from './answers.js';

export type Tab = 'headers' | 'body' | 'diff' | 'signature';
export const TABS: readonly Tab[] = ['headers', 'body', 'diff', 'signature'];

/**
 * What the stream connection hands the model: the stream's messages, except that a history
 * event of `bodies=after`, which comes without its body, is handed as a `row` whose body is
 * '' until its `body` message comes.
 */
export type StreamMessage = InspectorMessage | HistoryRow;
export interface HistoryRow {
  kind: 'row';
  event: WebhookEvent;
}

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

/**
 * The store and, from ViewWindow, the filtered view with its selection and window; from
 * BodyHold, which bodies it holds; from Asking, the requests waiting for their answer.
 */
export interface UiState extends ViewWindow, BodyHold, Asking {
  hello: HelloMessage | null;
  tunnel: TunnelRecord | null;
  connection: ConnectionState;
  /** True once the current connection's history has arrived (`history-end`). */
  historyLoaded: boolean;
  /** For each held event, the index of the previous held event of the same type, or -1. */
  prevOfType: readonly number[];
  lastOfType: ReadonlyMap<string | null, number>;
  indexById: ReadonlyMap<string, number>;
  /** Verdict counts over the whole session (dropped events included). */
  counts: Readonly<Record<SignatureStatus, number>>;
  dropped: number;
  limit: number;
  /** Over the body budget, let the oldest bodies go (held-bodies.ts) rather than drop the oldest events: the TUI. */
  letBodiesGo: boolean;
  forwards: ReadonlyMap<string, ForwardRecord>;
  saved: ReadonlyMap<string, string>;
  filterEditing: boolean;
  tab: Tab;
  help: boolean;
}

/** What the user can ask the listener for over the stream. */
export type RequestKind = 'save' | 'replay' | 'send';

export type Action =
  | { type: 'messages'; messages: readonly StreamMessage[] }
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
  /** Bodies let go, asked for again (`{"kind":"body","id"}`), and the filter's text put to the log. */
  | { type: 'bodies-asked'; ids: readonly string[] }
  | { type: 'search-asked'; query: string }
  | { type: 'notice'; notice: Notice }
  | { type: 'dismiss' }
  | { type: 'viewport'; listRows: number };

const ZERO_COUNTS: Record<SignatureStatus, number> = { valid: 0, invalid: 0, missing: 0, malformed: 0, unchecked: 0 };

export function initialState(options: { limit?: number; bodyBudget?: number; letBodiesGo?: boolean; listRows?: number } = {}): UiState {
  return {
    hello: null,
    tunnel: null,
    connection: { status: 'connecting' },
    historyLoaded: false,
    pendingBodies: new Set(),
    unheld: new Set(),
    lostBodies: new Set(),
    search: null,
    events: [],
    prevOfType: [],
    lastOfType: new Map(),
    indexById: new Map(),
    counts: ZERO_COUNTS,
    dropped: 0,
    limit: options.limit ?? DEFAULT_EVENT_LIMIT,
    bodyChars: 0,
    bodyBudget: options.bodyBudget ?? DEFAULT_BODY_BUDGET,
    letBodiesGo: options.letBodiesGo ?? false,
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

/** `rows`: the ids of those that are history rows, their bodies to come. */
function addEvents(state: UiState, incoming: readonly WebhookEvent[], rows: ReadonlySet<string>): UiState {
  if (incoming.length === 0) return state;
  const events = state.events.slice();
  const prevOfType = state.prevOfType.slice();
  const lastOfType = new Map(state.lastOfType);
  const indexById = new Map(state.indexById);
  const counts = { ...state.counts };
  const visible = state.visible.slice();
  const keep = compileFilter(state.filter, state);
  let bodyChars = state.bodyChars;
  let pendingBodies: Set<string> | null = null;
  for (const event of incoming) {
    // A reconnect replays the history: events already held are skipped.
    if (indexById.has(event.id)) continue;
    if (rows.has(event.id)) (pendingBodies ??= new Set(state.pendingBodies)).add(event.id);
    const index = events.length;
    events.push(event);
    indexById.set(event.id, index);
    prevOfType.push(lastOfType.get(event.type) ?? -1);
    lastOfType.set(event.type, index);
    counts[event.signature.status]++;
    bodyChars += event.body.length;
    if (keep(event)) visible.push(index);
  }
  let next: UiState = { ...state, events, prevOfType, lastOfType, indexById, counts, visible, bodyChars, pendingBodies: pendingBodies ?? state.pendingBodies };
  if (events.length > state.limit || (bodyChars > state.bodyBudget && !state.letBodiesGo)) return dropOldest(next);
  if (bodyChars > state.bodyBudget) next = letGoOldest(next);
  if (state.follow) return select(next, visible.length - 1);
  if (state.cursor < 0) return select(next, 0);
  return withWindow(next);
}

/** Bodies of held history rows (`bodies=after`) fill them in; others are not waited for. */
function addBodies(state: UiState, bodies: readonly BodyMessage[]): UiState {
  if (bodies.length === 0) return state;
  const pendingBodies = new Set(state.pendingBodies);
  let events: WebhookEvent[] | null = null;
  let bodyChars = state.bodyChars;
  for (const { id, body } of bodies) {
    const index = state.indexById.get(id);
    if (index === undefined || !pendingBodies.delete(id)) continue;
    events ??= state.events.slice();
    events[index] = { ...(events[index] as WebhookEvent), body };
    bodyChars += body.length;
  }
  if (events === null) return { ...state, pendingBodies };
  let next = { ...state, events, bodyChars, pendingBodies };
  if (bodyChars > state.bodyBudget) {
    if (!state.letBodiesGo) return dropOldest(next);
    next = letGoOldest(next);
  }
  // Free text is matched against bodies too, so what the filter keeps may grow with them.
  return state.filter.trim() === '' ? next : refilter(next, state.visible[state.cursor]);
}

/** All bodies the history has are in: drift can be learnt. */
export function bodiesLoaded(state: UiState): boolean {
  return state.historyLoaded && state.pendingBodies.size === 0;
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
  while (!state.letBodiesGo && bodyChars > state.bodyBudget * 0.5 && excess < state.events.length - 1) {
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
  const next = forgetDropped({ ...state, events, prevOfType, lastOfType, indexById, bodyChars, dropped: state.dropped + excess }, indexById);
  const previousIndex = selectedId === undefined ? undefined : (indexById.get(selectedId) ?? 0);
  return refilter(next, previousIndex);
}

function applyMessages(state: UiState, messages: readonly StreamMessage[]): UiState {
  let next = state;
  let pending: WebhookEvent[] = [];
  let rows = new Set<string>();
  let bodies: BodyMessage[] = [];
  const flush = () => {
    next = addBodies(addEvents(next, pending, rows), bodies);
    pending = [];
    rows = new Set();
    bodies = [];
  };
  for (const m of messages) {
    switch (m.kind) {
      case 'event':
        pending.push(m.event);
        break;
      case 'row':
        pending.push(m.event);
        rows.add(m.event.id);
        break;
      case 'body':
        bodies.push(m);
        break;
      case 'bodies-end':
        flush();
        // Any still missing are not coming on this connection (the TUI may ask for them again).
        if (next.pendingBodies.size > 0) next = next.letBodiesGo ? notComing(next) : { ...next, pendingBodies: new Set() };
        break;
      case 'body-missing':
        flush();
        next = bodyMissing(next, m);
        break;
      case 'matches':
        flush();
        next = refilter(searchAnswered(next, m), next.visible[next.cursor]);
        break;
      case 'hello':
        flush();
        if (next.letBodiesGo) next = reconnected(next);
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
        next = { ...replayAnswered(next, m), forwards: new Map(next.forwards).set(m.id, m) };
        break;
      case 'saved':
        next = { ...saveAnswered(next, m), saved: new Map(next.saved).set(m.id, m.path) };
        break;
      case 'error':
        next = { ...next, notice: { text: m.message, tone: 'error' } };
        break;
    }
  }
  flush();
  return next;
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
    case 'bodies-asked':
      return bodiesAsked(state, action.ids);
    case 'search-asked':
      return searchAsked(state, action.query);
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
