// The pure reducer: store, filtered view, selection repair, follow mode, window, tabs.
import { describe, expect, it } from 'vitest';
import { makeEvent } from '../../../helpers/inspector-feed.js';
import type { InspectorMessage, WebhookEvent } from '../../../../server/types.js';
import { requestFor } from '../../../../cli/ui/model/requests.js';
import { initialState, previousOfSameType, reducer, selectedEvent, type Action, type UiState } from '../../../../cli/ui/model/state.js';

const eventsMsg = (events: WebhookEvent[]): Action => ({
  type: 'messages',
  messages: events.map((event): InspectorMessage => ({ kind: 'event', event })),
});

function run(state: UiState, ...actions: Action[]): UiState {
  return actions.reduce(reducer, state);
}

// Types alternate: seq 1 accession/receive, 2 comment/create, 3 accession/receive, ...
function sample(n: number, from = 1): WebhookEvent[] {
  return Array.from({ length: n }, (_, i) =>
    makeEvent({ seq: from + i, type: (from + i) % 2 === 1 ? 'accession/receive' : 'comment/create' }),
  );
}

const selectedSeq = (s: UiState) => selectedEvent(s)?.seq;

describe('follow mode', () => {
  it('is on at start and keeps the newest event selected as events arrive', () => {
    let s = run(initialState(), eventsMsg(sample(3)));
    expect(s.follow).toBe(true);
    expect(selectedSeq(s)).toBe(3);
    s = run(s, eventsMsg(sample(2, 4)));
    expect(selectedSeq(s)).toBe(5);
  });

  it('turns off when the selection moves, and the selection then stays put', () => {
    let s = run(initialState(), eventsMsg(sample(5)), { type: 'move', delta: -2 });
    expect(s.follow).toBe(false);
    expect(selectedSeq(s)).toBe(3);
    s = run(s, eventsMsg(sample(3, 6)));
    expect(selectedSeq(s)).toBe(3);
  });

  it('f turns it back on and jumps to the newest event; f again turns it off', () => {
    let s = run(initialState(), eventsMsg(sample(5)), { type: 'jump', to: 'first' });
    expect([s.follow, selectedSeq(s)]).toEqual([false, 1]);
    s = run(s, { type: 'follow' });
    expect([s.follow, selectedSeq(s)]).toEqual([true, 5]);
    s = run(s, { type: 'follow' });
    expect(s.follow).toBe(false);
  });

  it('follows the newest event the filter keeps', () => {
    const s = run(initialState(), eventsMsg(sample(6)), { type: 'filter-type', text: 'accession/' });
    expect(selectedSeq(s)).toBe(5);
    expect(run(s, eventsMsg(sample(2, 7))).visible.length).toBe(4);
    expect(selectedSeq(run(s, eventsMsg(sample(2, 7))))).toBe(7);
  });
});

describe('selection repairs itself when the filter changes', () => {
  it('keeps the selected event when the filter still shows it', () => {
    const s = run(initialState(), eventsMsg(sample(9)), { type: 'jump', to: 'first' }, { type: 'move', delta: 4 });
    expect(selectedSeq(s)).toBe(5);
    const filtered = run(s, { type: 'filter-type', text: 'accession/' });
    expect(filtered.visible.map((i) => filtered.events[i]?.seq)).toEqual([1, 3, 5, 7, 9]);
    expect(selectedSeq(filtered)).toBe(5);
  });

  it('moves to the nearest shown event when the filter hides the selected one', () => {
    const s = run(initialState(), eventsMsg(sample(9)), { type: 'jump', to: 'first' }, { type: 'move', delta: 3 });
    expect(selectedSeq(s)).toBe(4); // a comment/create
    const filtered = run(s, { type: 'filter-type', text: 'accession/' });
    expect([3, 5]).toContain(selectedSeq(filtered));
    expect(selectedSeq(filtered)).toBe(3); // ties go to the older neighbour
  });

  it('picks the last shown event when every shown event is older than the selection', () => {
    const events = [...sample(4), makeEvent({ seq: 5, type: 'payment/create' })];
    const s = run(initialState(), eventsMsg(events), { type: 'move', delta: 0 });
    expect(selectedSeq(s)).toBe(5);
    expect(selectedSeq(run(s, { type: 'filter-type', text: 'comment/' }))).toBe(4);
  });

  it('has no selection when nothing matches, and finds one again when the filter is cleared', () => {
    const s = run(initialState(), eventsMsg(sample(4)), { type: 'move', delta: -1 }, { type: 'filter-type', text: 'invoice/' });
    expect(s.cursor).toBe(-1);
    expect(selectedEvent(s)).toBeNull();
    const cleared = run(s, { type: 'filter-clear' });
    expect(cleared.filter).toBe('');
    expect(cleared.visible.length).toBe(4);
    expect(selectedSeq(cleared)).toBe(1);
  });

  it('keeps the detail scroll when the same event stays selected, resets it for another', () => {
    const s = run(initialState(), eventsMsg(sample(9)), { type: 'jump', to: 'first' }, { type: 'move', delta: 4 }, { type: 'scroll-detail', delta: 3, max: 10 });
    expect(run(s, { type: 'filter-type', text: 'accession/' }).detailScroll).toBe(3); // #5 is still selected
    expect(run(s, { type: 'filter-type', text: 'comment/' }).detailScroll).toBe(0); // #4 or #6 now
  });

  it('backspace widens the filter again', () => {
    const s = run(initialState(), eventsMsg(sample(4)), { type: 'filter-open' }, { type: 'filter-type', text: 'comment/x' });
    expect(s.visible.length).toBe(0);
    const wider = run(s, { type: 'filter-backspace' });
    expect(wider.filter).toBe('comment/');
    expect(wider.visible.length).toBe(2);
  });

  it('matches free text in the body and the verdict, case-insensitively', () => {
    const events = [
      makeEvent({ seq: 1, body: '{"status":"Pending"}' }),
      makeEvent({ seq: 2, body: '{"status":"Received"}', status: 'invalid' }),
    ];
    const s = run(initialState(), eventsMsg(events));
    expect(run(s, { type: 'filter-type', text: 'RECEIVED' }).visible).toEqual([1]);
    expect(run(s, { type: 'filter-type', text: 'invalid' }).visible).toEqual([1]);
  });
});

describe('the store', () => {
  it('skips events it already holds (a reconnect replays the history)', () => {
    const events = sample(3);
    const s = run(initialState(), eventsMsg(events), eventsMsg([...events, ...sample(1, 4)]));
    expect(s.events.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(s.counts.valid).toBe(4);
  });

  it('links each event to the previous one of the same type, in arrival order', () => {
    const s = run(initialState(), eventsMsg(sample(5)), { type: 'jump', to: 'last' });
    expect(previousOfSameType(s)?.seq).toBe(3);
    expect(previousOfSameType(run(s, { type: 'jump', to: 'first' }))).toBeNull();
  });

  it('counts verdicts', () => {
    const s = run(
      initialState(),
      eventsMsg([makeEvent({ seq: 1 }), makeEvent({ seq: 2, status: 'invalid' }), makeEvent({ seq: 3, status: 'missing' })]),
    );
    expect(s.counts).toEqual({ valid: 1, invalid: 1, missing: 1, malformed: 0, unchecked: 0 });
  });

  it('drops the oldest events once their bodies pass the budget, keeping the newest', () => {
    const big = sample(10).map((e) => ({ ...e, body: 'x'.repeat(1000) }));
    const s = run(initialState({ bodyBudget: 4500 }), eventsMsg(big));
    expect(s.bodyChars).toBeLessThanOrEqual(4500 * 0.5);
    expect(s.events.map((e) => e.id)).toEqual(big.slice(8).map((e) => e.id));
    expect(s.dropped).toBe(8);
    const huge = run(initialState({ bodyBudget: 100 }), eventsMsg(big.slice(0, 3)));
    expect(huge.events.map((e) => e.id)).toEqual([big[2]!.id]);
  });

  it('drops the oldest tenth past its limit and keeps the selection on the same event', () => {
    let s = run(initialState({ limit: 100 }), eventsMsg(sample(100)), { type: 'jump', to: 'first' }, { type: 'move', delta: 50 });
    const before = selectedEvent(s)?.id;
    s = run(s, eventsMsg(sample(1, 101)));
    expect(s.events.length).toBe(90);
    expect(s.dropped).toBe(11);
    expect(s.events[0]?.seq).toBe(12);
    expect(selectedEvent(s)?.id).toBe(before);
    expect(s.indexById.get(s.events[0]?.id ?? '')).toBe(0);
  });

  it('takes hello, tunnel, forward, saved and error messages', () => {
    const [event] = sample(1) as [WebhookEvent];
    const s = run(initialState(), {
      type: 'messages',
      messages: [
        { kind: 'hello', version: '1', webhookUrl: 'http://127.0.0.1:1/', tunnelUrl: null, secret: null, tunnel: null, logPath: '/l', historyLimit: 10 },
        { kind: 'event', event },
        { kind: 'history-end', count: 1 },
        { kind: 'tunnel', status: 'up', url: 'https://x.example' },
        { kind: 'forward', id: event.id, url: 'http://app', status: 502, ms: 3 },
        { kind: 'saved', id: event.id, path: 'fixtures/accession/receive-1.json' },
        { kind: 'error', message: 'nothing to replay' },
      ],
    });
    expect(s.hello?.webhookUrl).toBe('http://127.0.0.1:1/');
    expect(s.historyLoaded).toBe(true);
    expect(s.tunnel).toMatchObject({ status: 'up', url: 'https://x.example' });
    expect(s.forwards.get(event.id)?.status).toBe(502);
    expect(s.saved.get(event.id)).toBe('fixtures/accession/receive-1.json');
    expect(s.notice).toEqual({ text: 'nothing to replay', tone: 'error' });
  });
});

describe('the list window and the detail pane', () => {
  it('scrolls the window only when the selection leaves it', () => {
    let s = run(initialState({ listRows: 5 }), eventsMsg(sample(20)));
    expect([s.top, s.cursor]).toEqual([15, 19]);
    s = run(s, { type: 'move', delta: -3 });
    expect([s.top, s.cursor]).toEqual([15, 16]);
    s = run(s, { type: 'move', delta: -2 });
    expect([s.top, s.cursor]).toEqual([14, 14]);
    s = run(s, { type: 'page', direction: -1 });
    expect([s.top, s.cursor]).toEqual([10, 10]);
    s = run(s, { type: 'viewport', listRows: 3 });
    expect(s.cursor - s.top).toBeLessThan(3);
  });

  it('clamps moves at both ends of the list', () => {
    const s = run(initialState(), eventsMsg(sample(3)), { type: 'move', delta: 10 });
    expect(selectedSeq(s)).toBe(3);
    expect(selectedSeq(run(s, { type: 'move', delta: -10 }))).toBe(1);
  });

  it('cycles tabs both ways and resets the detail scroll on a new tab or a new selection', () => {
    let s = run(initialState(), eventsMsg(sample(3)), { type: 'scroll-detail', delta: 5, max: 3 });
    expect(s.detailScroll).toBe(3);
    s = run(s, { type: 'tab-step', delta: 1 });
    expect([s.tab, s.detailScroll]).toEqual(['diff', 0]);
    expect(run(s, { type: 'tab-step', delta: 1 }, { type: 'tab-step', delta: 1 }).tab).toBe('headers');
    expect(run(s, { type: 'tab', tab: 'headers' }, { type: 'tab-step', delta: -1 }).tab).toBe('signature');
    s = run(s, { type: 'scroll-detail', delta: 2, max: 9 }, { type: 'move', delta: -1 });
    expect(s.detailScroll).toBe(0);
  });

  it('does not change the state object for a no-op', () => {
    const s = run(initialState(), eventsMsg(sample(2)));
    expect(reducer(s, { type: 'messages', messages: [] })).toBe(s);
    expect(reducer(s, { type: 'tab', tab: s.tab })).toBe(s);
  });
});

describe('requests to the listener', () => {
  it('builds save and replay for the selection, and needs one', () => {
    expect(requestFor(initialState(), 'save')).toEqual({ text: 'Select an event first.', tone: 'error' });
    const s = run(initialState(), eventsMsg(sample(2)));
    const id = selectedEvent(s)?.id;
    expect(requestFor(s, 'save')).toEqual({ message: { kind: 'save', id }, text: 'Saving #2 as a fixture…', id });
    expect(requestFor(s, 'replay')).toMatchObject({ message: { kind: 'replay', id } });
  });

  it("sends a test of the selection's type, or of the first catalogued type", () => {
    expect(requestFor(initialState(), 'send')).toMatchObject({ message: { kind: 'send', type: 'accession/status_change' } });
    const s = run(initialState(), eventsMsg([makeEvent({ seq: 1, type: 'invoice/close' })]));
    expect(requestFor(s, 'send')).toMatchObject({ message: { kind: 'send', type: 'invoice/close' } });
    const unknown = run(initialState(), eventsMsg([makeEvent({ seq: 1, type: 'custom/x' })]));
    expect(requestFor(unknown, 'send')).toMatchObject({ message: { kind: 'send', type: 'accession/status_change' } });
    // A type chosen by name (the web page's picker) wins over the selection's.
    expect(requestFor(s, 'send', 'client/update')).toEqual({ message: { kind: 'send', type: 'client/update' }, text: 'Asked the listener to send itself a test client/update event.' });
  });

  it('announces the answer to a save the user asked for, once, and not to others', () => {
    const [a, b] = sample(2) as [WebhookEvent, WebhookEvent];
    let s = run(initialState(), eventsMsg([a, b]), { type: 'request-sent', kind: 'save', id: a.id, text: 'Saving #1…' });
    expect(s.notice?.text).toBe('Saving #1…');
    s = run(s, { type: 'messages', messages: [{ kind: 'saved', id: b.id, path: 'fixtures/b.json' }] });
    expect(s.notice?.text).toBe('Saving #1…'); // --save-all saves of other events say nothing
    s = run(s, { type: 'messages', messages: [{ kind: 'saved', id: a.id, path: 'fixtures/a.json' }] });
    expect(s.notice).toEqual({ text: 'Saved #1 as fixtures/a.json', tone: 'info' });
    expect(s.awaiting.size).toBe(0);
    expect(s.saved.get(b.id)).toBe('fixtures/b.json');
    expect(run(s, { type: 'dismiss' }).notice).toBeNull();
  });

  it('announces a replay result, failed or not', () => {
    const [a] = sample(1) as [WebhookEvent];
    const s = run(initialState(), eventsMsg([a]), { type: 'request-sent', kind: 'replay', id: a.id, text: 'Replaying…' });
    const ok = run(s, { type: 'messages', messages: [{ kind: 'forward', id: a.id, url: 'http://app/', status: 204, ms: 12 }] });
    expect(ok.notice).toEqual({ text: 'Replayed #1 to http://app/: HTTP 204 in 12 ms', tone: 'info' });
    const failed = run(s, { type: 'messages', messages: [{ kind: 'forward', id: a.id, url: 'http://app/', error: 'connection refused' }] });
    expect(failed.notice).toEqual({ text: 'Replayed #1 to http://app/: connection refused', tone: 'error' });
  });
});
