// The stream extension `bodies=after`, with a real hub and real `ws` clients: the history
// without its bodies, history-end, then the bodies newest first, bodies-end; live events
// keep their bodies and are not held back by the body phase; other clients see no change.
import { afterEach, describe, expect, it } from 'vitest';
import { StreamHub } from '../../../server/stream/hub.js';
import type { WebhookEvent } from '../../../server/types.js';
import { makeEvent } from '../../helpers/inspector-feed.js';
import { collect, gatedHistory, lineOf, linesOf, TEST_HELLO as hello } from '../../helpers/memory-log.js';
import { waitFor } from '../../helpers/wait.js';

/** Bodies of about 100 KB with quotes, backslashes and multi-byte text: three fill a batched frame. */
function bigEvent(seq: number): WebhookEvent {
  return makeEvent({ seq, body: JSON.stringify({ seq, note: `"q" \\ é ${seq} `.repeat(8_000) }) });
}

/** A history line our log never writes: it keeps its body's absence, and gets no body message. */
const ODD_LINE = Buffer.from('{"kind":"event","event":{"id":"odd","seq":4}}');

let stream: StreamHub | undefined;
afterEach(async () => {
  await stream?.close();
  stream = undefined;
});

async function start(source: ReturnType<typeof gatedHistory>['source']): Promise<StreamHub> {
  stream = new StreamHub({ port: 0, hello: () => hello, history: source, onMessage: async () => undefined });
  await stream.listen();
  return stream;
}

describe('inspector stream, bodies=after', () => {
  it.each([
    ['one message a frame', ''],
    ['batched (batch=1)', '&batch=1'],
  ])('sends the history without bodies, then the bodies newest first, with live events in between (%s)', async (_, batch) => {
    const events = [1, 2, 3, 5, 6, 7, 8, 9].map(bigEvent);
    const lines = linesOf(events);
    lines.splice(3, 0, { seq: 4, id: 'odd', line: ODD_LINE });
    const live = bigEvent(10);
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    // Two bodies fill a batched frame, so the first body message is out before the gate.
    const history = gatedHistory(lines, 3, gate);
    const s = await start(history.source);

    let liveSent = false;
    const client = collect(`${s.url}&bodies=after${batch}`, (message) => {
      if (message.kind === 'body' && !liveSent) {
        liveSent = true;
        s.broadcast({ line: lineOf(live), seq: live.seq });
      }
      if (message.kind === 'event' && message.event.seq === live.seq) open();
    });
    await waitFor(() => client.messages.at(-1)?.kind === 'bodies-end', { what: 'bodies-end' });
    const kinds = client.messages.map((m) => m.kind);

    const historyEnd = kinds.indexOf('history-end');
    expect(kinds.slice(0, historyEnd + 1)).toEqual(['hello', ...lines.map(() => 'event'), 'history-end']);
    const rows = client.messages.slice(1, historyEnd).map((m) => (m as { event: WebhookEvent }).event);
    expect(rows.map((row) => row.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(rows.filter((row) => 'body' in row)).toEqual([]);
    for (const event of events) {
      const { body, ...rest } = event;
      expect(rows.find((row) => row.id === event.id)).toEqual(rest);
    }

    const bodies = client.messages.filter((m) => m.kind === 'body');
    expect(bodies).toEqual([...events].reverse().map(({ id, body }) => ({ kind: 'body', id, body })));
    expect(client.messages.at(-1)).toEqual({ kind: 'bodies-end', count: events.length });

    // The live event came whole, after the first body and before bodies-end.
    const liveAt = client.messages.findIndex((m) => m.kind === 'event' && m.event.seq === live.seq);
    expect(client.messages[liveAt]).toEqual({ kind: 'event', event: live });
    expect(liveAt).toBeGreaterThan(kinds.indexOf('body'));
    expect(liveAt).toBeLessThan(kinds.indexOf('bodies-end'));
    if (batch) expect(client.frames.some((frame) => frame.split('\n').filter((line) => line.startsWith('{"kind":"body"')).length > 1)).toBe(true);
    client.ws.close();
  });

  it('sends bodies-end with a count of 0 for an empty history', async () => {
    const s = await start(gatedHistory([]).source);
    const client = collect(`${s.url}&bodies=after`);
    await waitFor(() => client.messages.at(-1)?.kind === 'bodies-end', { what: 'bodies-end' });
    expect(client.messages).toEqual([hello, { kind: 'history-end', count: 0 }, { kind: 'bodies-end', count: 0 }]);
    client.ws.close();
  });

  it('stops reading the log for a client that goes away during the body phase', async () => {
    const events = [1, 2, 3, 4, 5].map(bigEvent);
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const history = gatedHistory(linesOf(events), 1, gate);
    const s = await start(history.source);
    const client = collect(`${s.url}&bodies=after`, (message) => {
      if (message.kind === 'body') client.ws.close();
    });
    await waitFor(() => client.messages.some((m) => m.kind === 'body') && s.clientCount === 0, { what: 'the server to see the client go' });
    // The read the gate held (the second body's) goes on, and is the last for that client:
    // the next client's twice five reads come after it, a handshake later.
    open();
    const other = collect(`${s.url}&bodies=after`);
    await waitFor(() => other.messages.at(-1)?.kind === 'bodies-end', { what: 'the next client to be served' });
    expect(history.counter.reads).toBe(events.length + 2 + 2 * events.length);
    other.ws.close();
  });

  it('sends a client without the parameter exactly what it got before: every record whole', async () => {
    const events = [1, 2, 3].map(bigEvent);
    const lines = linesOf(events);
    const history = gatedHistory(lines);
    const s = await start(history.source);
    const client = collect(s.url);
    await waitFor(() => client.messages.at(-1)?.kind === 'history-end', { what: 'history-end' });
    // A body phase would have begun reading the log again in the turn that sent history-end.
    expect(history.counter.reads).toBe(3);
    const live = bigEvent(4);
    s.broadcast({ line: lineOf(live), seq: live.seq });
    await waitFor(() => client.frames.length === 6, { what: 'the live event' });
    expect(client.frames).toEqual([JSON.stringify(hello), ...lines.map(({ line }) => line.toString()), JSON.stringify({ kind: 'history-end', count: 3 }), lineOf(live).toString()]);
    client.ws.close();
  });
});
