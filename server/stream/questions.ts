// Questions a client puts to the stream itself (StreamQuestion in ../types.ts), answered
// from the durable log: one event's body, and which events' bodies hold some text. A client
// that keeps only some bodies in memory (the TUI, for its RSS) asks for the others when the
// user looks at one, and has the log searched for its free-text filter. As everywhere in
// the stream, the lines are read from the log as needed, never kept.
import type { BodyMessage, BodyMissingMessage, MatchesMessage, StreamQuestion, WebhookEvent } from '../types.js';
import { fileErrorReason } from '../store/file-errors.js';
import type { LogEntry } from '../store/event-log.js';
import { bodyMessage, findBody } from './body-split.js';
import type { HistorySource } from './history.js';
import { queryPattern } from './query-pattern.js';

/**
 * The events a client may ask about: the history it was sent and those logged since (a
 * client holds up to VIEW_EVENT_LIMIT of them, server/defaults.ts).
 */
const known = (source: HistorySource): LogEntry[] => (source.recent ? source.recent() : source.history());

/** A query is something a person typed into a filter; a longer one is a mistake. */
export const MAX_QUERY_LENGTH = 1000;

/** An answer: a body message's bytes ready to send, or a message. */
export type Answer = Buffer | BodyMessage | BodyMissingMessage | MatchesMessage;

/**
 * The answer to `question`; null when the client went away before it was complete. A log
 * that cannot be read throws one sentence.
 */
export async function answerQuestion(source: HistorySource, question: StreamQuestion, connected: () => boolean): Promise<Answer | null> {
  try {
    return question.kind === 'body' ? await answerBody(source, question.id) : await answerSearch(source, question.query, connected);
  } catch (error) {
    throw new Error(`The event log could not be read: ${fileErrorReason(error)}.`, { cause: error });
  }
}

async function answerBody(source: HistorySource, id: string): Promise<Answer> {
  // Newest first: recent events are the ones asked for most.
  const entry = known(source).findLast((candidate) => candidate.id === id);
  if (!entry) return { kind: 'body-missing', id };
  const line = await source.read(entry);
  // The same bytes the body phase sends (history.ts), without parsing the line.
  const found = findBody(line);
  if (found) return bodyMessage(entry.id, found.body);
  const { body } = parseEvent(line);
  return typeof body === 'string' ? { kind: 'body', id, body } : { kind: 'body-missing', id };
}

/**
 * The history's events, oldest first, whose body is text holding `query` as the TUI's
 * free-text filter tests it (cli/ui/model/filter.ts): the client then keeps the same events
 * whether it holds a body or asked the log.
 */
async function answerSearch(source: HistorySource, query: string, connected: () => boolean): Promise<MatchesMessage | null> {
  const pattern = queryPattern(query);
  const asIs = WRITTEN_AS_IS.test(query);
  const ids: string[] = [];
  const entries = known(source);
  let i = 0;
  for await (const line of readAhead(source, entries)) {
    if (!connected()) return null;
    if (bodyMatches(line, pattern, asIs)) ids.push(entries[i]!.id);
    i++;
  }
  return { kind: 'matches', query, ids };
}

/**
 * A query of characters JSON.stringify writes as themselves: none of `"`, `\`, the C0
 * controls, or a (lone) surrogate.
 */
const WRITTEN_AS_IS = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;
/** Escapes JSON.stringify never writes, of characters it writes as themselves. */
const OTHER_ESCAPE = /\\[u/]/;

/** Whether the event on `line` has a text body that `pattern` matches. */
function bodyMatches(line: Buffer, pattern: RegExp, asIs: boolean): boolean {
  const found = findBody(line);
  if (!found) {
    const event = parseEvent(line);
    return event.bodyEncoding === 'utf8' && typeof event.body === 'string' && pattern.test(event.body);
  }
  // A base64 body is passed over without decoding its string, or parsing anything.
  if (found.encoding !== 'utf8') return false;
  const escaped = found.body.toString('utf8');
  // Decoding is most of a search's time (JSON.parse of a 2.6 KB body full of \" is slow),
  // and most bodies do not match: those are told from their escaped text. When the query
  // holds no character JSON escapes, neither does a match of it (no other character has a
  // case that is one of those), so a match in the body is one in its escaped text, unless
  // the line uses escapes JSON.stringify does not (\u00e9 for é). Not conversely (the
  // escape \n holds an n): a body whose escaped text matches is decoded to be sure.
  if (asIs && !pattern.test(escaped) && !OTHER_ESCAPE.test(escaped)) return false;
  return pattern.test(JSON.parse(`"${escaped}"`) as string);
}

/**
 * How many of a search's reads are in flight. Each of the log's reads is a trip to the
 * thread pool and back: reading 10,000 lines one at a time took 500-650 ms, eight or more
 * at a time 260-300 ms (more bought nothing).
 */
const READ_AHEAD = 16;

/** The entries' lines, in order, READ_AHEAD reads ahead of the one being looked at. */
async function* readAhead(source: HistorySource, entries: readonly LogEntry[]): AsyncGenerator<Buffer> {
  const reads: Promise<Buffer>[] = [];
  let next = 0;
  while (next < entries.length || reads.length > 0) {
    while (next < entries.length && reads.length < READ_AHEAD) {
      const read = source.read(entries[next++]!);
      // A read ahead that fails after the search has stopped at an earlier one is no unhandled rejection.
      read.catch(() => undefined);
      reads.push(read);
    }
    yield await reads.shift()!;
  }
}

/** A line our log holds, laid out otherwise than findBody expects: parsed whole. */
function parseEvent(line: Buffer): Partial<WebhookEvent> {
  return (JSON.parse(line.toString('utf8')) as { event?: Partial<WebhookEvent> }).event ?? {};
}
