// The client's side of the stream extension `bodies=after`: the history's events come as
// rows without their bodies, the bodies follow history-end newest first, then bodies-end.
// The store holds rows at once, fills each body in, and everything that needs a body
// (the Body and Diff tabs, curl, drift) waits for it rather than showing an empty one.
import { describe, expect, it } from 'vitest';
import { makeEvent } from '../../../helpers/inspector-feed.js';
import { TEST_HELLO as hello } from '../../../helpers/memory-log.js';
import type { InspectorMessage, WebhookEvent } from '../../../../server/types.js';
import { bodiesLoaded, initialState, reducer, selectedEvent, type Action, type StreamMessage, type UiState } from '../../../../cli/ui/model/state.js';
import { bodyGap } from '../../../../cli/ui/model/held-bodies.js';
import { DriftView } from '../../../../cli/ui/model/drift.js';
import { curlCommandFor } from '../../../../cli/ui/model/curl.js';
import { tabLines } from '../../../../cli/ui/view/detail.js';
import { streamSegments } from '../../../../cli/ui/view/status.js';

/** A history event of `bodies=after` as the connection hands it over: a row, its body '' until it comes. */
const row = (event: WebhookEvent): StreamMessage => ({ kind: 'row', event: { ...event, body: '' } });
const bodyOf = (event: WebhookEvent): InspectorMessage => ({ kind: 'body', id: event.id, body: event.body });
const messages = (...list: StreamMessage[]): Action => ({ type: 'messages', messages: list });
const run = (state: UiState, ...actions: Action[]) => actions.reduce(reducer, state);
const text = (lines: ReturnType<typeof tabLines>) => lines.map((line) => line.map((s) => s.text).join('')).join('\n');

// Types alternate, bodies are told apart by their note.
const history = Array.from({ length: 6 }, (_, i) =>
  makeEvent({ seq: i + 1, type: i % 2 === 0 ? 'accession/receive' : 'comment/create', body: JSON.stringify({ n: i + 1, note: `note-${i + 1}` }) }),
);
const loaded = () => run(initialState(), messages(hello, ...history.map(row), { kind: 'history-end', count: history.length }));

describe('a history of rows, then its bodies', () => {
  it('holds the rows at once, each waiting for its body, and the list is complete', () => {
    const s = loaded();
    expect(s.events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(s.historyLoaded).toBe(true);
    expect(bodiesLoaded(s)).toBe(false);
    expect(s.pendingBodies.size).toBe(6);
    expect(s.bodyChars).toBe(0);
    expect(selectedEvent(s)?.seq).toBe(6);
    expect(bodyGap(s, selectedEvent(s))).toBe('coming');
    expect(streamSegments({ ...s, connection: { status: 'open' } }).map((x) => x.text).join('')).toBe('● live · 6 bodies to come');
  });

  it('fills each body in as it comes, newest first, until bodies-end says all are in', () => {
    let s = loaded();
    const before = s.events[5];
    s = run(s, messages(bodyOf(history[5]!), bodyOf(history[4]!)));
    expect(s.events[5]).not.toBe(before); // a new object, so views drawn from it are drawn again
    expect(s.events[5]!.body).toBe(history[5]!.body);
    expect(s.events[4]!.body).toBe(history[4]!.body);
    expect(s.bodyChars).toBe(history[5]!.body.length + history[4]!.body.length);
    expect(bodyGap(s, s.events[5]!)).toBeNull();
    expect(bodyGap(s, s.events[5]!, s.events[3]!)).toBe('coming');
    s = run(s, messages(...history.slice(0, 4).reverse().map(bodyOf), { kind: 'bodies-end', count: 6 }));
    expect(s.events.map((e) => e.body)).toEqual(history.map((e) => e.body));
    expect(bodiesLoaded(s)).toBe(true);
  });

  it('ignores a body for an event it does not hold or that came whole, and gives up on the missing at bodies-end', () => {
    const live = makeEvent({ seq: 7, body: '{"live":true}' });
    let s = run(loaded(), messages({ kind: 'event', event: live }));
    s = run(s, messages({ kind: 'body', id: live.id, body: '{"other":1}' }, { kind: 'body', id: 'no-such-event', body: '{}' }));
    expect(s.events[6]!.body).toBe('{"live":true}');
    expect(s.pendingBodies.size).toBe(6);
    s = run(s, messages({ kind: 'bodies-end', count: 0 }));
    expect(bodiesLoaded(s)).toBe(true);
  });

  it('keeps, under a free-text filter, the events whose body matches once it has come', () => {
    let s = run(loaded(), { type: 'filter-set', text: 'note-2' });
    expect(s.visible).toEqual([]);
    s = run(s, messages(bodyOf(history[1]!)));
    expect(s.visible.map((i) => s.events[i]!.seq)).toEqual([2]);
  });

  it('over its body budget, drops the oldest events, whose bodies had not come yet', () => {
    const budget = history[0]!.body.length * 3;
    let s = run(initialState({ bodyBudget: budget }), messages(hello, ...history.map(row), { kind: 'history-end', count: 6 }));
    s = run(s, messages(...history.slice().reverse().map(bodyOf), { kind: 'bodies-end', count: 6 }));
    expect(s.bodyChars).toBeLessThanOrEqual(budget);
    expect(s.events.at(-1)!.seq).toBe(6);
    expect(s.events.every((e) => e.body === history[e.seq - 1]!.body)).toBe(true);
    expect(s.dropped).toBeGreaterThan(0);
  });

  it('after a reconnect, keeps the rows it holds and takes the bodies the new history sends', () => {
    let s = run(loaded(), messages(bodyOf(history[5]!)));
    s = run(s, messages(hello, ...history.map(row), { kind: 'history-end', count: 6 }));
    expect(s.events).toHaveLength(6);
    expect(s.events[5]!.body).toBe(history[5]!.body);
    s = run(s, messages(...history.slice(0, 5).reverse().map(bodyOf), { kind: 'bodies-end', count: 5 }));
    expect(s.events.map((e) => e.body)).toEqual(history.map((e) => e.body));
  });
});

describe('what needs a body waits for it', () => {
  it('the Body and Diff tabs say it is on its way; the Headers and Signature tabs do not wait', () => {
    const s = loaded();
    const event = s.events[5]!;
    expect(text(tabLines('body', event, null, undefined, 'coming'))).toMatch(/on its way/);
    expect(text(tabLines('diff', event, s.events[3]!, undefined, 'coming'))).toMatch(/on its way/);
    expect(text(tabLines('headers', event, null, undefined, 'coming'))).toMatch(/x-coreone-webhook-type/i);
    expect(text(tabLines('signature', event, null, undefined, 'coming'))).not.toMatch(/on its way/);
  });

  it('copy as curl says to try again rather than re-send an empty body', () => {
    const s = { ...loaded(), hello };
    expect(curlCommandFor(s)).toMatchObject({ tone: 'error', text: expect.stringMatching(/still on its way/) });
    const filled = run(s, messages(bodyOf(history[5]!)));
    expect(curlCommandFor(filled)).toHaveProperty('command');
  });

  it('drift is learnt in log order once the bodies are in, the same as from whole events', () => {
    const shaped = [{ id: 1 }, { id: 2 }, { id: 'x', extra: true }].map((body, i) => makeEvent({ seq: i + 1, body: JSON.stringify(body) }));
    const whole = new DriftView();
    whole.observe(shaped.map((event) => ({ kind: 'event', event })));
    const rows = new DriftView();
    // Each view gets its own message objects, as each connection parses its own.
    rows.observe(structuredClone(shaped).map(row));
    rows.observe([bodyOf(shaped[2]!), bodyOf(shaped[1]!)]);
    // The oldest body is still to come: nothing can be learnt before it, so nothing is.
    expect(rows.learn()).toBe(false);
    expect(rows.learnt(shaped[2]!.id)).toBeUndefined();
    rows.observe([bodyOf(shaped[0]!), { kind: 'bodies-end', count: 3 }]);
    expect(rows.learn()).toBe(false);
    expect(rows.learnt(shaped[2]!.id)).toEqual(whole.of(shaped[2]!.id));
    expect(rows.learnt(shaped[2]!.id)).toContainEqual({ path: 'extra', change: 'added' });
  });
});
