// The TUI's store lets its oldest bodies go past its body budget (`letBodiesGo`) instead of
// dropping events: it keeps what is on screen, asks the inspector for a body again when it
// is shown, and filters the bodies it let go by the log's answer to a search.
import { describe, expect, it } from 'vitest';
import { makeEvent } from '../../../helpers/inspector-feed.js';
import { TEST_HELLO as hello } from '../../../helpers/memory-log.js';
import type { WebhookEvent } from '../../../../server/types.js';
import { initialState, reducer, selectedEvent, type Action, type StreamMessage, type UiState } from '../../../../cli/ui/model/state.js';
import { bodiesToAsk, bodyGap, searching, searchToAsk } from '../../../../cli/ui/model/held-bodies.js';
import { curlCommandFor } from '../../../../cli/ui/model/curl.js';

const messages = (...list: StreamMessage[]): Action => ({ type: 'messages', messages: list });
const run = (state: UiState, ...actions: Action[]) => actions.reduce(reducer, state);
const visibleSeqs = (s: UiState) => s.visible.map((i) => s.events[i]!.seq);

/** Ten events of two types, each body 100 characters, the odd ones mentioning a walrus. */
const events: WebhookEvent[] = Array.from({ length: 10 }, (_, i) => {
  const seq = i + 1;
  const note = seq % 2 === 1 ? `walrus-${seq}` : `plain-${seq}`;
  // JSON may end in white space: every body is 100 characters.
  return makeEvent({ seq, type: seq % 2 === 0 ? 'accession/receive' : 'comment/create', body: JSON.stringify({ seq, note }).padEnd(100, ' ') });
});
/** Room for four bodies: each pass lets go down to three. */
const tui = () => initialState({ letBodiesGo: true, bodyBudget: 400 });
const live = (...list: WebhookEvent[]) => messages(...list.map((event): StreamMessage => ({ kind: 'event', event })));

describe('letting bodies go', () => {
  it('lets the oldest go past the budget, keeps every event, and the page keeps dropping events instead', () => {
    const s = run(tui(), messages(hello), live(...events));
    expect(s.events).toHaveLength(10);
    expect(s.dropped).toBe(0);
    expect(s.bodyChars).toBeLessThanOrEqual(400);
    const held = s.events.filter((e) => e.body !== '').map((e) => e.seq);
    expect(held).toEqual([8, 9, 10]);
    expect([...s.unheld]).toEqual(events.slice(0, 7).map((e) => e.id));
    const page = run(initialState({ bodyBudget: 400 }), messages(hello), live(...events));
    expect(page.unheld.size).toBe(0);
    expect(page.dropped).toBeGreaterThan(0);
  });

  it('keeps the selection and the event its diff is against, wherever they are', () => {
    let s = run(tui(), messages(hello), live(...events.slice(0, 3)));
    s = run(s, { type: 'jump', to: 'first' }, live(...events.slice(3)));
    expect(selectedEvent(s)?.seq).toBe(1);
    expect(s.events[0]!.body).toBe(events[0]!.body);
    // #3 is selected (its body asked for and back), and its type's previous event is #1.
    s = run(s, { type: 'move', delta: 2 }, { type: 'bodies-asked', ids: [events[2]!.id] }, messages({ kind: 'body', id: events[2]!.id, body: events[2]!.body }));
    s = run(s, live(makeEvent({ seq: 11, body: 'x'.repeat(300) })));
    expect(selectedEvent(s)?.seq).toBe(3);
    expect(s.unheld.has(events[2]!.id)).toBe(false);
    expect(s.events[2]!.body).toBe(events[2]!.body);
    expect(s.events[0]!.body).toBe(events[0]!.body);
  });

  it('asks for a shown body it let go, waits for it, and holds it when it comes', () => {
    let s = run(tui(), messages(hello), live(...events), { type: 'jump', to: 'first' });
    const first = selectedEvent(s)!;
    expect(first.body).toBe('');
    expect(bodyGap(s, first)).toBe('coming');
    expect(curlCommandFor(s)).toMatchObject({ tone: 'error', text: expect.stringMatching(/still on its way/) });
    expect(bodiesToAsk(s, first, null)).toEqual([first.id]);
    s = run(s, { type: 'bodies-asked', ids: [first.id] });
    expect(bodiesToAsk(s, selectedEvent(s))).toEqual([]);
    expect(s.pendingBodies.has(first.id)).toBe(true);
    s = run(s, messages({ kind: 'body', id: first.id, body: events[0]!.body }));
    expect(selectedEvent(s)?.body).toBe(events[0]!.body);
    expect(bodyGap(s, selectedEvent(s))).toBeNull();
    expect(curlCommandFor(s)).toHaveProperty('command');
  });

  it('says so when the inspector no longer has a body it is asked for', () => {
    let s = run(tui(), messages(hello), live(...events), { type: 'jump', to: 'first' });
    const id = selectedEvent(s)!.id;
    s = run(s, { type: 'bodies-asked', ids: [id] }, messages({ kind: 'body-missing', id }));
    expect(bodyGap(s, selectedEvent(s))).toBe('lost');
    expect(bodiesToAsk(s, selectedEvent(s))).toEqual([]);
    expect(curlCommandFor(s)).toMatchObject({ tone: 'error', text: expect.stringMatching(/no longer has the body of #1/) });
  });

  it('lets go again, at a reconnect, the bodies asked for on the old connection, and asks again', () => {
    let s = run(tui(), messages(hello), live(...events), { type: 'jump', to: 'first' });
    const id = selectedEvent(s)!.id;
    s = run(s, { type: 'bodies-asked', ids: [id] }, messages(hello));
    expect(s.pendingBodies.size).toBe(0);
    expect(bodiesToAsk(s, selectedEvent(s))).toEqual([id]);
  });

  it('forgets the ids of the events it drops at its event limit', () => {
    const s = run(initialState({ letBodiesGo: true, bodyBudget: 400, limit: 8 }), messages(hello), live(...events));
    expect(s.dropped).toBeGreaterThan(0);
    for (const id of s.unheld) expect(s.indexById.has(id)).toBe(true);
  });
});

describe('the free-text filter over bodies let go', () => {
  const filtered = (query: string) => run(tui(), messages(hello), live(...events), { type: 'filter-open' }, { type: 'filter-type', text: query });

  it('matches the bodies it holds at once and asks the log for the rest', () => {
    let s = filtered('WALRUS');
    expect(visibleSeqs(s)).toEqual([9]);
    expect(searchToAsk(s)).toBe('WALRUS');
    expect(searching(s)).toBe(true);
    s = run(s, { type: 'search-asked', query: 'WALRUS' });
    expect(searchToAsk(s)).toBeNull();
    expect(searching(s)).toBe(true);
    s = run(s, messages({ kind: 'matches', query: 'WALRUS', ids: [1, 3, 5, 7].map((seq) => events[seq - 1]!.id) }));
    expect(searching(s)).toBe(false);
    expect(visibleSeqs(s)).toEqual([1, 3, 5, 7, 9]);
  });

  it('takes no answer to an older query, and asks again once the text changes', () => {
    let s = run(filtered('walrus'), { type: 'search-asked', query: 'walrus' }, { type: 'filter-type', text: '-1' });
    expect(searchToAsk(s)).toBe('walrus-1');
    s = run(s, messages({ kind: 'matches', query: 'walrus', ids: events.map((e) => e.id) }));
    expect(visibleSeqs(s)).toEqual([]);
    expect(searching(s)).toBe(true);
  });

  it('keeps a match whose body it lets go after the answer, and never asks for type prefixes', () => {
    let s = run(filtered('walrus'), { type: 'search-asked', query: 'walrus' });
    s = run(s, messages({ kind: 'matches', query: 'walrus', ids: [1, 3, 5, 7, 9].map((seq) => events[seq - 1]!.id) }));
    const later = makeEvent({ seq: 11, type: 'comment/create', body: '{"note":"walrus-11"}' });
    s = run(s, live(later, ...Array.from({ length: 4 }, (_, i) => makeEvent({ seq: 12 + i, body: 'y'.repeat(150) }))));
    expect(s.unheld.has(later.id)).toBe(true);
    // The view is worked out again from the store, with #11's body gone.
    s = run(s, { type: 'filter-backspace' }, { type: 'filter-type', text: 's' });
    expect(searchToAsk(s)).toBeNull();
    expect(visibleSeqs(s)).toEqual([1, 3, 5, 7, 9, 11]);
    s = run(s, { type: 'filter-clear' }, { type: 'filter-open' }, { type: 'filter-type', text: 'comment/' });
    expect(searchToAsk(s)).toBeNull();
    expect(visibleSeqs(s)).toEqual([1, 3, 5, 7, 9, 11]);
  });
});
