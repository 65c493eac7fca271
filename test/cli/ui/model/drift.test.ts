// The TUI's drift view: each event learnt once as it arrives (a reconnect's replayed
// history is not learnt again), looked up by id, and said as the Diff tab says it.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DriftView, formatDrift, IdleLearner } from '../../../../cli/ui/model/drift.js';
import type { InspectorMessage } from '../../../../server/types.js';
import { makeEvent } from '../../../helpers/inspector-feed.js';

const idOf = (message: InspectorMessage) => (message.kind === 'event' ? message.event.id : '');
const eventMessage = (seq: number, body: unknown): InspectorMessage => ({ kind: 'event', event: makeEvent({ seq, body: JSON.stringify(body) }) });

describe('DriftView', () => {
  it('computes the drift of each event when it arrives, and looks it up by id', () => {
    const view = new DriftView();
    const first = [eventMessage(1, { id: 1 }), eventMessage(2, { id: 2 })];
    const third = eventMessage(3, { id: 'x', extra: true });
    view.observe([...first, third]);
    expect(view.of(idOf(first[1]!))).toBeUndefined();
    expect(view.of(idOf(third))).toEqual([
      { path: 'id', change: 'type-changed', was: 'number', now: 'string' },
      { path: 'extra', change: 'added' },
    ]);
  });

  it('does not learn again the history a reconnect replays', () => {
    const view = new DriftView();
    const first = eventMessage(1, { a: 1 });
    view.observe([first]);
    view.observe([first]);
    // Learnt twice, "a" would be in two earlier events and count as removed here.
    const next = eventMessage(2, {});
    view.observe([next]);
    expect(view.of(idOf(next))).toBeUndefined();
  });

  it('keeps at most its limit of drifted events, dropping the oldest', () => {
    const view = new DriftView(1);
    const messages = [eventMessage(1, { a: 1 }), eventMessage(2, { b: 1 }), eventMessage(3, { c: 1 })];
    view.observe(messages);
    expect(view.of(idOf(messages[1]!))).toBeUndefined();
    expect(view.of(idOf(messages[2]!))).toContainEqual({ path: 'c', change: 'added' });
  });
});

describe('DriftView learning in idle time', () => {
  it('holds observed events until learn(), while of() always answers as if all were learnt', () => {
    const view = new DriftView();
    const messages = [eventMessage(1, { id: 1 }), eventMessage(2, { id: 2 }), eventMessage(3, { id: 3, extra: 1 })];
    view.observe(messages);
    expect(view.pending).toBe(3);
    expect(view.learnt(idOf(messages[2]!))).toBeUndefined();
    expect(view.learn()).toBe(false);
    expect(view.pending).toBe(0);
    expect(view.learnt(idOf(messages[2]!))).toEqual([{ path: 'extra', change: 'added' }]);

    const later = eventMessage(4, { id: 'x' });
    view.observe([later]);
    expect(view.of(idOf(later))).toEqual([{ path: 'id', change: 'type-changed', was: 'number', now: 'string' }]);
    expect(view.pending).toBe(0);
  });

  it('learns at once what it can past maxPendingChars of bodies held, in log order, bodies of rows included', () => {
    const view = new DriftView(undefined, 20);
    view.observe([eventMessage(1, { id: 1 })]); // 8 characters
    expect(view.pending).toBe(1);
    // Rows wait for their bodies (`bodies=log`: oldest first), and learning waits for them.
    const bodies = [JSON.stringify({ id: 2, padding: 'x' }), '{"id":3}'];
    const rows = bodies.map((body, i) => ({ ...makeEvent({ seq: i + 2, body }), body: '' }));
    view.observe(rows.map((event) => ({ kind: 'row', event })));
    view.observe([{ kind: 'body', id: rows[0]!.id, body: bodies[0]! }]);
    expect(view.pending).toBe(1); // #1 and #2 learnt, #3 waits for its body
    expect(view.learnt(rows[0]!.id)).toEqual([{ path: 'padding', change: 'added' }]);
    view.observe([{ kind: 'body', id: rows[1]!.id, body: bodies[1]! }]);
    expect(view.pending).toBe(1); // under the bound again: left for idle time
    expect(view.learn()).toBe(false);
    expect(view.pending).toBe(0);
  });
});

describe('formatDrift', () => {
  it('says each change in one line', () => {
    expect(formatDrift({ path: 'accession.priority', change: 'added' })).toBe('added accession.priority');
    expect(formatDrift({ path: 'client.id', change: 'type-changed', was: 'number', now: 'string' })).toBe('type-changed client.id: number -> string');
    expect(formatDrift({ path: '', change: 'removed' })).toBe('removed (the body)');
  });
});

describe('IdleLearner', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const events = (view: DriftView) => view.observe(Array.from({ length: 300 }, (_, i) => eventMessage(i + 1, { id: i, [`k${i % 7}`]: i })));

  it('starts once the stream is quiet, then goes on while events come, and says once when all is learnt', () => {
    vi.useFakeTimers();
    const view = new DriftView();
    events(view);
    let learnt = 0;
    // A slice of no time learns one group of events (64) before it looks at the clock.
    const learner = new IdleLearner(view, () => learnt++, 0);
    learner.soon();
    vi.advanceTimersByTime(40);
    learner.soon(); // an event before 60 ms of quiet: the wait starts again
    vi.advanceTimersByTime(40);
    expect(view.pending).toBe(300);
    vi.advanceTimersByTime(20); // quiet: the first slice
    expect(view.pending).toBe(300 - 64);
    learner.soon(); // an event while learning: it goes on
    vi.advanceTimersByTime(1000);
    expect([view.pending, learnt]).toEqual([0, 1]);
  });

  it('does not wait for quiet for ever: a stream that never pauses is learnt after about a second', () => {
    vi.useFakeTimers();
    const view = new DriftView();
    events(view);
    const learner = new IdleLearner(view, () => undefined, 0);
    learner.soon();
    // Events every 20 ms: never 60 ms of quiet.
    for (let t = 0; t < 900; t += 20) {
      vi.advanceTimersByTime(20);
      learner.soon();
    }
    expect(view.pending).toBe(300);
    for (let t = 0; t < 1000; t += 20) {
      vi.advanceTimersByTime(20);
      learner.soon();
    }
    expect(view.pending).toBe(0);
  });
});
