// The TUI's stream client against a real WebSocket server that speaks the protocol.
import { afterEach, describe, expect, it } from 'vitest';
import { InspectorFeed, makeEvent, mixedEvents } from '../../helpers/inspector-feed.js';
import { StreamConnection } from '../../../cli/ui/connection.js';
import { openWsSocket } from '../../../cli/ui/ws-socket.js';
import type { ConnectionState, StreamMessage } from '../../../cli/ui/model/state.js';
import { gatedHistory, linesOf, TEST_HELLO } from '../../helpers/memory-log.js';
import { StreamHub } from '../../../server/stream/hub.js';
import { waitFor } from '../../helpers/wait.js';
import { WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';

const feeds: InspectorFeed[] = [];
const streams: StreamConnection[] = [];
afterEach(async () => {
  for (const s of streams.splice(0)) s.close();
  for (const f of feeds.splice(0)) await f.close();
});

function client(url: string, options = {}) {
  const batches: StreamMessage[][] = [];
  const states: ConnectionState[] = [];
  const stream = new StreamConnection(url, openWsSocket, { onMessages: (m) => batches.push(m), onState: (s) => states.push(s) }, options);
  streams.push(stream);
  stream.start();
  const messages = () => batches.flat();
  return { stream, batches, states, messages };
}

describe('StreamConnection', () => {
  it('hands over hello, the history and history-end, in order', async () => {
    const feed = await InspectorFeed.start({ history: mixedEvents(3) });
    feeds.push(feed);
    const c = client(feed.url);
    await waitFor(() => c.messages().some((m) => m.kind === 'history-end'), { what: 'history-end' });
    expect(c.messages().map((m) => m.kind)).toEqual(['hello', 'event', 'event', 'event', 'history-end']);
    expect(c.states).toEqual([{ status: 'connecting' }, { status: 'open' }]);
  });

  it('holds a slow history back until history-end, one hand-over, reporting how much is in meanwhile', async () => {
    // A history that takes a while: one event every 40 ms, twelve in all.
    const events = mixedEvents(12);
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => server.once('listening', resolve));
    server.on('connection', (socket) => {
      socket.send(JSON.stringify({ kind: 'hello', version: 'test', historyLimit: 100 }));
      let sent = 0;
      const next = setInterval(() => {
        if (sent < events.length) socket.send(JSON.stringify({ kind: 'event', event: events[sent++] }));
        else {
          clearInterval(next);
          socket.send(JSON.stringify({ kind: 'history-end', count: events.length }));
        }
      }, 40);
      socket.on('close', () => clearInterval(next));
    });
    try {
      const c = client(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/stream?token=t`);
      await waitFor(() => c.messages().some((m) => m.kind === 'history-end'), { what: 'history-end' });
      // hello at once (the header needs it), then the whole history with its end.
      expect(c.batches.map((batch) => batch.map((m) => m.kind).join(','))).toEqual(['hello', [...events.map(() => 'event'), 'history-end'].join(',')]);
      const progress = c.states.flatMap((s) => (s.status === 'open' && s.historyReceived !== undefined ? [s.historyReceived] : []));
      expect(progress.length).toBeGreaterThan(0);
      expect(progress.every((n) => n > 0 && n <= events.length)).toBe(true);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
    } finally {
      for (const socket of server.clients) socket.terminate();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('batches a burst: 1,000 events arrive in a few hand-overs, not 1,000', async () => {
    const feed = await InspectorFeed.start();
    feeds.push(feed);
    const c = client(feed.url, { batchMs: 33 });
    await waitFor(() => c.messages().some((m) => m.kind === 'history-end'), { what: 'history-end' });
    const before = c.batches.length;
    for (const event of mixedEvents(1000)) feed.publish(event);
    await waitFor(() => c.messages().filter((m) => m.kind === 'event').length === 1000, { what: 'all 1,000 events' });
    expect(c.batches.length - before).toBeLessThan(50);
  });

  it('reconnects after the listener goes away and comes back, saying why it waits', async () => {
    const feed = await InspectorFeed.start();
    feeds.push(feed);
    const c = client(feed.url, { retryMinMs: 20, retryMaxMs: 50 });
    await waitFor(() => c.states.some((s) => s.status === 'open'), { what: 'open' });
    await feed.close();
    await waitFor(() => c.states.some((s) => s.status === 'reconnecting' && /connection refused/.test(s.reason)), { what: 'reconnecting' });
    await feed.listen();
    await waitFor(() => c.states.filter((s) => s.status === 'open').length === 2, { what: 'open again' });
    feed.publish(makeEvent({ seq: 1 }));
    await waitFor(() => c.messages().some((m) => m.kind === 'event'), { what: 'a live event after the reconnect' });
  });

  it('asks refreshUrl before each reconnection and moves to a new URL, saying the inspector restarted', async () => {
    const first = await InspectorFeed.start();
    feeds.push(first);
    let current: string | null = first.url;
    const c = client(first.url, { retryMinMs: 20, retryMaxMs: 50, refreshUrl: async () => current });
    await waitFor(() => c.states.some((s) => s.status === 'open'), { what: 'open' });
    await first.close();
    // No inspector named yet (the file is gone while it restarts): it keeps the URL it had.
    current = null;
    await waitFor(() => c.states.filter((s) => s.status === 'reconnecting').length >= 2, { what: 'two failed attempts' });
    const second = await InspectorFeed.start();
    feeds.push(second);
    current = second.url;
    await waitFor(() => c.states.some((s) => s.status === 'open' && s.restarted === true), { what: 'open on the new URL' });
    second.publish(makeEvent({ seq: 1 }));
    await waitFor(() => c.messages().some((m) => m.kind === 'event'), { what: 'a live event from the restarted inspector' });
  });

  it('explains a refused token in one sentence', async () => {
    const feed = await InspectorFeed.start();
    feeds.push(feed);
    const c = client(feed.url.replace(/token=[^&]+/, 'token=wrong'), { retryMinMs: 1000 });
    const state = await waitFor(() => c.states.find((s) => s.status === 'reconnecting'), { what: 'the refusal' });
    expect(state).toMatchObject({
      reason: 'token refused (HTTP 401): a restarted inspector has a new URL',
    });
  });

  it('sends client messages while open; close() is final and safe twice', async () => {
    const feed = await InspectorFeed.start();
    feeds.push(feed);
    const fast = { retryMinMs: 20, retryMaxMs: 20 };
    const c = client(feed.url, fast);
    const witness = client(feed.url, fast); // reconnects on the same schedule, to show time passed
    await waitFor(() => feed.clientCount === 2, { what: 'both clients' });
    expect(c.stream.send({ kind: 'save', id: 'evt-1' })).toBe(true);
    await waitFor(() => feed.received.length === 1, { what: 'the save message' });
    expect(feed.received).toEqual([{ kind: 'save', id: 'evt-1' }]);
    c.stream.close();
    c.stream.close();
    expect(c.stream.send({ kind: 'save', id: 'evt-1' })).toBe(false);
    const states = c.states.length;
    await feed.close();
    await feed.listen();
    await waitFor(() => witness.states.filter((s) => s.status === 'open').length === 2, { what: 'the witness to reconnect' });
    expect(feed.clientCount).toBe(1); // the witness only: no reconnect after close()
    expect(c.states.length).toBe(states);
  });
});

describe('StreamConnection on the real hub, which knows bodies=after', () => {
  it('hands the history over as rows without bodies, then each body newest first, then bodies-end', async () => {
    const history = [1, 2, 3].map((seq) => makeEvent({ seq, body: JSON.stringify({ seq }) }));
    const hub = new StreamHub({ port: 0, hello: () => TEST_HELLO, history: gatedHistory(linesOf(history)).source, onMessage: async () => undefined });
    await hub.listen();
    try {
      const c = client(hub.url, { batchMs: 5 });
      await waitFor(() => c.messages().some((m) => m.kind === 'bodies-end'), { what: () => JSON.stringify(c.messages().map((m) => m.kind)) });
      const kinds = c.messages().map((m) => m.kind);
      expect(kinds).toEqual(['hello', 'row', 'row', 'row', 'history-end', 'body', 'body', 'body', 'bodies-end']);
      const rows = c.messages().filter((m) => m.kind === 'row');
      expect(rows.map((m) => [m.event.seq, m.event.body])).toEqual([[1, ''], [2, ''], [3, '']]);
      const bodies = c.messages().filter((m) => m.kind === 'body');
      expect(bodies.map((m) => m.body)).toEqual(history.map((e) => e.body).reverse());
      c.stream.close();
    } finally {
      await hub.close();
    }
  });
});
