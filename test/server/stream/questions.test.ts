// The search question's shortcut (most bodies are told from their escaped text, without
// decoding it) must find exactly the events a test of every decoded body finds, whatever
// the bodies' escapes and the query's characters.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { answerQuestion } from '../../../server/stream/questions.js';
import { queryPattern } from '../../../server/stream/query-pattern.js';
import type { WebhookEvent } from '../../../server/types.js';
import { gatedHistory, lineOf, type MemoryLine } from '../../helpers/memory-log.js';

/** Characters JSON escapes, their neighbours in case, and some the escapes are made of. */
const CHARS = ['"', '\\', '\n', '\t', '\u0001', 'n', 'N', 'u', 'U', '0', 'e', 'é', 'É', '/', 'a', 'A', '.', '*', ' ', '🐶'];
const text = (maxLength: number) => fc.array(fc.constantFrom(...CHARS), { maxLength }).map((chars) => chars.join(''));

/** A body as a line: as our log writes it, or with é escaped as \u00e9 and / as \/, as it could also be. */
function lineFor(seq: number, body: string, otherEscapes: boolean): MemoryLine {
  const event = { id: `e${seq}`, seq, size: 1, body, bodyEncoding: 'utf8' } as unknown as WebhookEvent;
  const line = lineOf(event).toString();
  return { seq, id: event.id, line: Buffer.from(otherEscapes ? line.replaceAll('é', '\\u00e9').replaceAll('/', '\\/') : line) };
}

describe('the search question', () => {
  it('finds the events whose decoded body the query matches, and no others', async () => {
    const spec = fc.record({
      bodies: fc.array(fc.record({ body: text(24), otherEscapes: fc.boolean() }), { minLength: 1, maxLength: 6 }),
      query: fc.oneof(text(4), fc.constantFrom('n', 'u00e9', '\\n', '"', 'É', '/')).filter((q) => q !== ''),
    });
    await fc.assert(
      fc.asyncProperty(spec, async ({ bodies, query }) => {
        const lines = bodies.map(({ body, otherEscapes }, i) => lineFor(i + 1, body, otherEscapes));
        const answer = await answerQuestion(gatedHistory(lines).source, { kind: 'search', query }, () => true);
        const pattern = queryPattern(query);
        const ids = lines.filter((_, i) => pattern.test(bodies[i]!.body)).map(({ id }) => id);
        expect(answer).toEqual({ kind: 'matches', query, ids });
      }),
      { numRuns: 2000 },
    );
  });
});

describe('the events questions cover', () => {
  it('are those logged since the history too (EventLog.recent), not only the history a client was sent', async () => {
    const lines = [1, 2, 3].map((seq) => lineFor(seq, `body ${seq}`, false));
    const { source } = gatedHistory(lines);
    const wider = { ...source, history: () => source.history().slice(-1), recent: source.history };
    expect(await answerQuestion(wider, { kind: 'body', id: 'e1' }, () => true)).toEqual(Buffer.from('{"kind":"body","id":"e1","body":"body 1"}'));
    expect(await answerQuestion(wider, { kind: 'search', query: 'BODY' }, () => true)).toEqual({ kind: 'matches', query: 'BODY', ids: ['e1', 'e2', 'e3'] });
    expect(await answerQuestion({ ...wider, recent: undefined }, { kind: 'body', id: 'e1' }, () => true)).toEqual({ kind: 'body-missing', id: 'e1' });
  });
});
