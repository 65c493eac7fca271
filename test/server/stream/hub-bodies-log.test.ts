// The stream extension `bodies=log`, with a real hub and real `ws` clients: what
// `bodies=after` sends (the rows without bodies, history-end, the bodies, bodies-end),
// the bodies oldest first instead of newest first; `bodies=after` keeps its order.
import { afterEach, describe, expect, it } from 'vitest';
import { StreamHub } from '../../../server/stream/hub.js';
import type { WebhookEvent } from '../../../server/types.js';
import { makeEvent } from '../../helpers/inspector-feed.js';
import { collect, gatedHistory, linesOf, TEST_HELLO as hello } from '../../helpers/memory-log.js';
import { waitFor } from '../../helpers/wait.js';

/** A history line our log never writes: it keeps its body's absence, and gets no body message. */
const ODD_LINE = Buffer.from('{"kind":"event","event":{"id":"odd","seq":3}}');

let stream: StreamHub | undefined;
afterEach(async () => {
  await stream?.close();
  stream = undefined;
});

describe('inspector stream, bodies=log', () => {
  const events = [1, 2, 4, 5].map((seq) => makeEvent({ seq, body: JSON.stringify({ seq, note: `"quoted" é ${seq}` }) }));
  const lines = linesOf(events);
  lines.splice(2, 0, { seq: 3, id: 'odd', line: ODD_LINE });
  const bodiesOf = (order: readonly WebhookEvent[]) => order.map(({ id, body }) => ({ kind: 'body', id, body }));

  it.each([
    ['bodies=log', '&bodies=log', bodiesOf(events)],
    ['bodies=log, batched', '&bodies=log&batch=1', bodiesOf(events)],
    ['bodies=after, as before', '&bodies=after', bodiesOf([...events].reverse())],
    ['bodies=after, batched, as before', '&bodies=after&batch=1', bodiesOf([...events].reverse())],
  ])('sends the rows without bodies, then the bodies in their order (%s)', async (_, query, bodies) => {
    stream = new StreamHub({ port: 0, hello: () => hello, history: gatedHistory(lines).source, onMessage: async () => undefined });
    await stream.listen();
    const client = collect(`${stream.url}${query}`);
    await waitFor(() => client.messages.at(-1)?.kind === 'bodies-end', { what: 'bodies-end' });

    const rows = events.map(({ body, ...rest }) => ({ kind: 'event', event: rest }));
    rows.splice(2, 0, JSON.parse(ODD_LINE.toString()) as (typeof rows)[number]);
    expect(client.messages).toEqual([
      hello,
      ...rows,
      { kind: 'history-end', count: lines.length },
      ...bodies,
      { kind: 'bodies-end', count: events.length },
    ]);
    client.ws.close();
  });
});
