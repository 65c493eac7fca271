// The battery against real node:http handlers, each written to show one behaviour: the
// outcome of every case and the findings read from the pattern.
import { afterEach, describe, expect, it } from 'vitest';
import { SAMPLE_TYPES } from '../../../server/catalogue/samples.js';
import { buildCases, CASE_IDS, type CaseId } from '../../../server/check/cases.js';
import { findings } from '../../../server/check/findings.js';
import { runBattery, unreachable, type CaseResult } from '../../../server/check/run.js';
import { closedPort, startReceiver, type Answer, type Receiver } from '../../helpers/delivery.js';
import * as handlers from '../../helpers/handlers.js';

const SECRET = 'whsec-battery-7f3a';
const CASES = buildCases(SECRET);

let receiver: Receiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

async function battery(answer: Answer, timeoutMs = 5000): Promise<{ results: CaseResult[]; codes: string[] }> {
  receiver = await startReceiver(answer);
  const results = await runBattery(new URL(receiver.url), CASES, { timeoutMs });
  return { results, codes: findings(results).map((finding) => finding.code) };
}

const outcomes = (results: CaseResult[]) => Object.fromEntries(results.map((result) => [result.id, result.outcome]));

/** Every case passes but those named. */
function allPassBut(changed: Partial<Record<CaseId, 'fail' | 'warn'>>): Record<string, string> {
  return Object.fromEntries(CASE_IDS.map((id) => [id, changed[id] ?? 'pass']));
}

describe('check battery', () => {
  it('passes every case against a correct handler, in the fixed order, one request at a time', async () => {
    const seen: string[] = [];
    let inFlight = 0;
    let overlap = false;
    const verify = handlers.correct(SECRET);
    const { results, codes } = await battery((post, response) => {
      overlap ||= ++inFlight > 1;
      seen.push(post.body.toString('base64'));
      response.on('finish', () => inFlight--);
      verify(post, response);
    });
    expect(outcomes(results)).toEqual(allPassBut({}));
    expect(codes).toEqual([]);
    expect(overlap).toBe(false);
    expect(seen).toEqual(CASES.flatMap((testCase) => testCase.requests.map((request) => request.body.toString('base64'))));
    expect(results.find((result) => result.id === 'every-type')?.status).toBe(200);
  });

  it('never sends the secret, only hashes of it', async () => {
    await battery(handlers.correct(SECRET));
    const wire = receiver!.requests.map((post) => JSON.stringify(post.headers) + post.body.toString('latin1')).join('\n');
    expect(receiver!.requests).toHaveLength(CASE_IDS.length - 1 + SAMPLE_TYPES.length);
    expect(wire).not.toContain(SECRET);
  });

  it('reads a re-serializing handler as reserializes-body', async () => {
    const { results, codes } = await battery(handlers.reserializes(SECRET));
    expect(outcomes(results)).toEqual(allPassBut({ 'valid-pretty': 'fail', 'valid-spaced': 'fail', 'valid-escapes': 'fail' }));
    expect(codes).toEqual(['reserializes-body']);
  });

  it('reads a wrong secret (a stray newline) as rejects-valid, and nothing more', async () => {
    const { results, codes } = await battery(handlers.strayNewline(SECRET));
    const accepting = CASES.filter((testCase) => testCase.expect === 'accept' && testCase.id !== 'uppercase-hash');
    for (const { id } of accepting) expect(outcomes(results)[id], id).toBe('fail');
    expect(outcomes(results)['uppercase-hash']).toBe('warn');
    expect(codes).toEqual(['rejects-valid']);
  });

  it('reads a handler that accepts everything as no-verification', async () => {
    const { results, codes } = await battery(handlers.acceptsAll);
    expect(outcomes(results)).toEqual(
      allPassBut({ 'tampered-body': 'fail', 'wrong-secret': 'fail', 'missing-hash': 'fail', 'malformed-hash': 'fail' }),
    );
    expect(codes).toEqual(['no-verification']);
  });

  it('reads a 100 kB body limit as body-limit', async () => {
    const { results, codes } = await battery(handlers.bodyLimit(SECRET));
    expect(outcomes(results)).toEqual(allPassBut({ 'valid-large': 'fail' }));
    expect(results.find((result) => result.id === 'valid-large')?.status).toBe(413);
    expect(codes).toEqual(['body-limit']);
  });

  it('reads a case-sensitive comparison as case-sensitive-hash, a warning only', async () => {
    const { results, codes } = await battery(handlers.caseSensitive(SECRET));
    expect(outcomes(results)).toEqual(allPassBut({ 'uppercase-hash': 'warn' }));
    expect(codes).toEqual(['case-sensitive-hash']);
  });

  it('reads a 400 for an unknown type as rejects-unknown-types', async () => {
    const { results, codes } = await battery(handlers.rejectsUnknownTypes(SECRET));
    expect(outcomes(results)).toEqual(allPassBut({ 'unknown-type': 'fail' }));
    expect(codes).toEqual(['rejects-unknown-types']);
  });

  it('reads a 4xx for one catalogued type as rejects-some-types, naming the type', async () => {
    const type = SAMPLE_TYPES[7]!;
    const { results, codes } = await battery(handlers.rejectsType(SECRET, type));
    expect(outcomes(results)).toEqual(allPassBut({ 'every-type': 'fail' }));
    const everyType = results.find((result) => result.id === 'every-type')!;
    expect(everyType).toMatchObject({ status: 422, error: `${type}: rejected with 422.` });
    expect(codes).toEqual(['rejects-some-types']);
  });

  it('reads a 409 for a repeated delivery as rejects-replays', async () => {
    const { results, codes } = await battery(handlers.rejectsReplays(SECRET));
    expect(outcomes(results)).toEqual(allPassBut({ replayed: 'fail' }));
    expect(codes).toEqual(['rejects-replays']);
  });

  it('fails every case of a handler that answers 500, as an error, never a rejection', async () => {
    const { results, codes } = await battery(handlers.errors);
    for (const result of results) {
      expect(result).toMatchObject({ outcome: 'fail', status: 500, answer: 'errored' });
      expect(result.error).toMatch(/The handler errored \(500\): its log says what it threw on\.$/);
    }
    expect(codes).toEqual(['handler-errors']);
  });

  it('does not follow a redirect: each case fails with a sentence saying so', async () => {
    const { results, codes } = await battery(handlers.redirects);
    for (const result of results) {
      expect(result).toMatchObject({ outcome: 'fail', status: 308 });
      expect(result.error).toMatch(/a redirect, which check does not follow/);
    }
    expect(receiver!.requests).toHaveLength(CASE_IDS.length);
    expect(codes).toEqual(['redirects']);
  });

  it.each([
    ['closes the connection mid-answer', handlers.closesMidAnswer, /reset before a complete reply/, 5000],
    ['answers something that is not HTTP', handlers.garbage, /not valid HTTP/, 5000],
    ['never answers', handlers.silent, /No reply from .* within 150 ms \(timeout\)/, 150],
  ] as const)('goes on through every case when the handler %s', async (_what, answer, sentence, timeoutMs) => {
    const { results, codes } = await battery(answer, timeoutMs);
    expect(results.map((result) => result.id)).toEqual([...CASE_IDS]);
    for (const result of results) {
      expect(result).toMatchObject({ outcome: 'fail', answer: 'unanswered' });
      expect(result.error).toMatch(sentence);
    }
    expect(codes).toEqual(['no-answer']);
  });

  it('says in one sentence why nothing answers at a URL, and nothing when something does', async () => {
    const port = await closedPort();
    expect(await unreachable(new URL(`http://127.0.0.1:${port}/webhooks`))).toBe(
      `Connection refused by 127.0.0.1:${port}: nothing is listening there (is the app running?).`,
    );
    receiver = await startReceiver();
    expect(await unreachable(new URL(receiver.url))).toBeNull();
  });
});
