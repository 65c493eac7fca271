// A client's questions to the stream (`{"kind":"body","id"}`, `{"kind":"search","query"}`),
// with a real hub and real `ws` clients: answered from the log, to the asking client alone,
// in the order asked, and never ahead of the live events a batched client is being sent.
import { afterEach, describe, expect, it } from 'vitest';
import { bodyMessage, splitBody } from '../../../server/stream/body-split.js';
import { CLOSE_TOO_SLOW, StreamHub } from '../../../server/stream/hub.js';
import type { HistorySource } from '../../../server/stream/history.js';
import type { ClientMessage, InspectorMessage, StreamQuestion, WebhookEvent } from '../../../server/types.js';
import { makeEvent } from '../../helpers/inspector-feed.js';
import { collect, gatedHistory, lineOf, linesOf, TEST_HELLO as hello, type MemoryLine } from '../../helpers/memory-log.js';
import { waitFor } from '../../helpers/wait.js';

const base64Event = (seq: number, text: string): WebhookEvent => ({ ...makeEvent({ seq }), body: Buffer.from(text).toString('base64'), bodyEncoding: 'base64' });
/** A line our log does not write (the keys in another order): it does not split, and is parsed. */
const unsplit = (event: WebhookEvent): MemoryLine => ({ seq: event.seq, id: event.id, line: Buffer.from(JSON.stringify({ event, kind: 'event' })) });

const events = [
  makeEvent({ seq: 1, body: 'The dog is called Bella.' }),
  base64Event(2, 'Bella'), // logged as "QmVsbGE="
  makeEvent({ seq: 3, body: 'literally a.c (x+)? [y]' }),
  makeEvent({ seq: 4, body: 'abc xxy' }),
  makeEvent({ seq: 5, body: 'He said "Bella"\nCafé' }), // logged with \" and \n
  makeEvent({ seq: 6, body: 'résumé' }), // logged with é as \u00e9 below
  makeEvent({ seq: 7, body: 'bella, parsed' }),
  base64Event(8, 'Bella, parsed'),
];
const lines = [...linesOf(events.slice(0, 5)), { ...linesOf([events[5]!])[0]!, line: Buffer.from(lineOf(events[5]!).toString().replaceAll('é', '\\u00e9')) }, unsplit(events[6]!), unsplit(events[7]!)];
const idOf = (seq: number): string => events[seq - 1]!.id;

let stream: StreamHub | undefined;
afterEach(async () => {
  await stream?.close();
  stream = undefined;
});

interface HubOptions {
  onMessage?: (message: ClientMessage) => Promise<void>;
  groupMs?: number;
  maxBufferedBytes?: number;
}

async function start(source: HistorySource, { onMessage = async () => undefined, groupMs, maxBufferedBytes }: HubOptions = {}): Promise<StreamHub> {
  stream = new StreamHub({ port: 0, hello: () => hello, history: source, onMessage, groupMs, maxBufferedBytes });
  await stream.listen();
  return stream;
}

/** A client that has had its history. */
async function connected(url: string): Promise<ReturnType<typeof collect>> {
  const client = collect(url);
  await waitFor(() => client.messages.some((m) => m.kind === 'history-end'), { what: 'history-end' });
  return client;
}

const ask = (client: ReturnType<typeof collect>, question: StreamQuestion | Record<string, unknown>): void => client.ws.send(JSON.stringify(question));
const after = (client: ReturnType<typeof collect>, kind: InspectorMessage['kind']): InspectorMessage[] => client.messages.slice(client.messages.findIndex((m) => m.kind === kind) + 1);
const answersTo = (client: ReturnType<typeof collect>) => after(client, 'history-end');

describe('the body question', () => {
  it("answers the asking client alone, with the bytes of the body phase, and not the inspector's requests", async () => {
    const received: ClientMessage[] = [];
    const s = await start(gatedHistory(lines).source, { onMessage: async (message) => void received.push(message) });
    const asker = await connected(s.url);
    const other = await connected(s.url);
    ask(asker, { kind: 'body', id: idOf(5) });
    await waitFor(() => asker.messages.at(-1)?.kind === 'body', { what: 'the body' });
    expect(asker.frames.at(-1)).toBe(bodyMessage(idOf(5), splitBody(lines[4]!.line)!.body).toString());
    expect(asker.messages.at(-1)).toEqual({ kind: 'body', id: idOf(5), body: 'He said "Bella"\nCafé' });

    // The other client's own answer comes after anything sent to it before: the body was not.
    ask(other, { kind: 'body', id: idOf(1) });
    await waitFor(() => other.messages.at(-1)?.kind === 'body', { what: "the other client's body" });
    expect(answersTo(other)).toEqual([{ kind: 'body', id: idOf(1), body: events[0]!.body }]);
    expect(received).toEqual([]);
    asker.ws.close();
    other.ws.close();
  });

  it("parses a line that does not split, and says body-missing for an id not in the history or a line without a body", async () => {
    const odd = { seq: 9, id: 'odd', line: Buffer.from('{"kind":"event","event":{"id":"odd","seq":9}}') };
    const s = await start(gatedHistory([...lines, odd]).source);
    const client = await connected(s.url);
    for (const id of [idOf(7), idOf(8), 'gone', 'odd']) ask(client, { kind: 'body', id });
    await waitFor(() => answersTo(client).length === 4, { what: 'four answers' });
    expect(answersTo(client)).toEqual([
      { kind: 'body', id: idOf(7), body: 'bella, parsed' },
      { kind: 'body', id: idOf(8), body: events[7]!.body },
      { kind: 'body-missing', id: 'gone' },
      { kind: 'body-missing', id: 'odd' },
    ]);
    client.ws.close();
  });

  it('answers a question the log cannot answer with one sentence', async () => {
    const memory = gatedHistory(lines);
    // The history reads succeed; the questions' fail, as a disk would.
    const read = async (entry: Parameters<HistorySource['read']>[0]) => {
      if (memory.counter.reads >= lines.length) throw Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
      return memory.source.read(entry);
    };
    const s = await start({ history: memory.source.history, read });
    const client = await connected(s.url);
    ask(client, { kind: 'body', id: idOf(1) });
    ask(client, { kind: 'search', query: 'bella' });
    await waitFor(() => answersTo(client).length === 2, { what: 'two answers' });
    expect(answersTo(client)).toEqual([
      { kind: 'error', message: 'The event log could not be read: EIO: i/o error, read.' },
      { kind: 'error', message: 'The event log could not be read: EIO: i/o error, read.' },
    ]);
    client.ws.close();
  });
});

describe('the search question', () => {
  it.each<[string, string, number[]]>([
    ['case-insensitively, oldest first, in both layouts of line', 'BELLA', [1, 5, 7]],
    ['never in a base64 body, whose logged text holds it', 'QmVsbGE', []],
    ['with a dot taken literally', 'a.c', [3]],
    ['with a group and quantifiers taken literally', '(x+)?', [3]],
    ['with brackets taken literally', '[y]', [3]],
    ['a quote and a newline in the decoded body', '"Bella"\nCaf', [5]],
    ['not the escapes as logged', '\\"', []],
    ['an escaped é decoded', 'RÉSUMÉ', [6]],
    ['not the \\u escape as logged', 'u00e9', []],
  ])('finds the bodies that hold the query: %s', async (_, query, seqs) => {
    const s = await start(gatedHistory(lines).source);
    const client = await connected(s.url);
    ask(client, { kind: 'search', query });
    await waitFor(() => client.messages.at(-1)?.kind === 'matches', { what: 'the matches' });
    expect(client.messages.at(-1)).toEqual({ kind: 'matches', query, ids: seqs.map(idOf) });
    client.ws.close();
  });

  it('answers two searches from one client in the order they were asked', async () => {
    const memory = gatedHistory(lines);
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    // The first search's first read waits at the gate. The gate opens a turn after the hub
    // took the message sent after the second search: an answer to the second that did not
    // wait for the first would be out by then.
    let reads = 0;
    const read = async (entry: Parameters<HistorySource['read']>[0]) => {
      if (++reads === lines.length + 1) await gate;
      return memory.source.read(entry);
    };
    const s = await start({ history: memory.source.history, read }, { onMessage: async () => void setImmediate(open) });
    const client = await connected(s.url);
    ask(client, { kind: 'search', query: 'bella' });
    ask(client, { kind: 'search', query: 'a.c' });
    client.ws.send(JSON.stringify({ kind: 'save', id: idOf(1) }));
    await waitFor(() => answersTo(client).length === 2, { what: 'two answers' });
    expect(answersTo(client)).toEqual([
      { kind: 'matches', query: 'bella', ids: [1, 5, 7].map(idOf) },
      { kind: 'matches', query: 'a.c', ids: [idOf(3)] },
    ]);
    client.ws.close();
  });

  it('answers a query that is not 1 to 1,000 characters of text with one sentence', async () => {
    const s = await start(gatedHistory(lines).source);
    const client = await connected(s.url);
    for (const query of ['', 5, undefined, 'x'.repeat(1001)]) ask(client, { kind: 'search', query });
    ask(client, { kind: 'search', query: 'x'.repeat(1000) });
    await waitFor(() => client.messages.at(-1)?.kind === 'matches', { what: 'the matches' });
    const sentence = 'A "search" message needs the text to look for as its "query", of 1 to 1,000 characters.';
    expect(answersTo(client)).toEqual([...Array.from({ length: 4 }, () => ({ kind: 'error', message: sentence })), { kind: 'matches', query: 'x'.repeat(1000), ids: [] }]);
    client.ws.close();
  });
});

describe('questions from a batched client', () => {
  it('are answered while live events flow, after the events of a held group', async () => {
    const s = await start(gatedHistory(lines).source, { groupMs: 300 });
    const client = collect(`${s.url}&batch=1&bodies=log`);
    await waitFor(() => client.messages.at(-1)?.kind === 'bodies-end', { what: 'bodies-end' });
    const live = [101, 102, 103, 104, 105, 106].map((seq) => makeEvent({ seq, body: `live Bella ${seq}` }));
    // A group of four makes the next one wait...
    for (const event of live.slice(0, 4)) s.broadcast({ line: lineOf(event), seq: event.seq });
    await waitFor(() => after(client, 'bodies-end').length === 4, { what: 'four live events' });
    s.broadcast({ line: lineOf(live[4]!), seq: live[4]!.seq });
    // ...and the answers do not overtake it; live events go on after them.
    ask(client, { kind: 'body', id: idOf(1) });
    ask(client, { kind: 'search', query: 'bella' });
    await waitFor(() => client.messages.at(-1)?.kind === 'matches', { what: 'the matches' });
    s.broadcast({ line: lineOf(live[5]!), seq: live[5]!.seq });
    await waitFor(() => after(client, 'matches').length === 1, { what: 'the last live event' });
    expect(after(client, 'bodies-end')).toEqual([
      ...live.slice(0, 5).map((event) => ({ kind: 'event', event })),
      { kind: 'body', id: idOf(1), body: events[0]!.body },
      { kind: 'matches', query: 'bella', ids: [1, 5, 7].map(idOf) },
      { kind: 'event', event: live[5] },
    ]);
    client.ws.close();
  });
});

describe('questions from a client that does not read', () => {
  it('are answered only as far as its unsent data may go, then it is dropped', async () => {
    const big = makeEvent({ seq: 1, body: 'b'.repeat(100 * 1024) });
    const s = await start(gatedHistory(linesOf([big])).source, { maxBufferedBytes: 256 * 1024 });
    const client = await connected(s.url);
    const closed = new Promise<number>((resolve) => client.ws.on('close', (code) => resolve(code)));
    // Stop reading from the socket underneath, and ask for 30 MiB of bodies.
    const socket = (client.ws as unknown as { _socket: import('node:net').Socket })._socket;
    socket.pause();
    for (let i = 0; i < 300; i++) ask(client, { kind: 'body', id: big.id });
    await waitFor(() => s.clientCount === 0, { what: 'the client to be dropped' });
    socket.resume();
    expect(await closed).toBe(CLOSE_TOO_SLOW);
  });
});
