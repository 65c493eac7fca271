// Runs the battery of cases.ts against a handler: one request at a time, in order (a
// handler may be stateful, and `replayed` must come after `valid`), each bounded by the
// timeout. Every kind of bad answer (5xx, a redirect, a cut connection, garbage, silence)
// fails only its own case, as a sentence, and the battery goes on.
import net from 'node:net';
import { describeNetworkError, postBytes, type DeliveryResult } from '../delivery/post.js';
import type { CaseId, CheckCase, Expectation } from './cases.js';

export type Outcome = 'pass' | 'fail' | 'warn';

/** What the handler did: 2xx, 4xx, 5xx, 3xx, or no complete HTTP answer (or a status that is none of those). */
export type Answer = 'accepted' | 'rejected' | 'errored' | 'redirected' | 'unanswered';

export interface CaseResult {
  id: CaseId;
  title: string;
  expect: Expectation;
  /** The status of the deciding reply (for `every-type`, the first one not accepted, else the last). */
  status: number | null;
  /** The time of all the case's requests together; null when none got an answer. */
  ms: number | null;
  /** Why the case has no plain 2xx/4xx answer, or which type `every-type` stumbled on. */
  error?: string;
  answer: Answer;
  outcome: Outcome;
}

export interface RunOptions {
  timeoutMs: number;
  /** Called as each case completes, so a slow handler shows progress. */
  onResult?: (result: CaseResult) => void;
}

/** Null when something accepts TCP connections at the URL's host and port, else why not, in one sentence. */
export function unreachable(url: URL): Promise<string | null> {
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(null);
    });
    socket.once('error', (error) => resolve(describeNetworkError(error, url)));
  });
}

export async function runBattery(url: URL, cases: readonly CheckCase[], options: RunOptions): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const testCase of cases) {
    const result = await runCase(url, testCase, options.timeoutMs);
    results.push(result);
    options.onResult?.(result);
  }
  return results;
}

async function runCase(url: URL, testCase: CheckCase, timeoutMs: number): Promise<CaseResult> {
  let ms = 0;
  let answered = false;
  let deciding: { reply: DeliveryResult; judged: Judged; type: string } | undefined;
  for (const request of testCase.requests) {
    const reply = await postBytes(url, request.headers, request.body, { timeoutMs, replyLimit: 256 });
    ms += reply.ms;
    answered ||= reply.status !== undefined;
    const judged = judge(reply);
    deciding = { reply, judged, type: request.type };
    if (judged.answer !== 'accepted') break;
  }
  const { reply, judged, type } = deciding!;
  const several = testCase.requests.length > 1;
  const error = several && judged.answer !== 'accepted' ? `${type}: ${judged.error ?? `rejected with ${reply.status}.`}` : judged.error;
  return {
    id: testCase.id,
    title: testCase.title,
    expect: testCase.expect,
    status: reply.status ?? null,
    ms: answered ? ms : null,
    ...(error === undefined ? {} : { error }),
    answer: judged.answer,
    outcome: outcome(testCase, judged.answer),
  };
}

interface Judged {
  answer: Answer;
  error?: string;
}

/** A reply read as a handler's answer: only a complete 2xx or 4xx is one. */
function judge(reply: DeliveryResult): Judged {
  const { status } = reply;
  if (reply.error !== undefined || status === undefined) return { answer: 'unanswered', error: reply.error ?? 'No reply.' };
  if (status >= 200 && status < 300) return { answer: 'accepted' };
  if (status >= 400 && status < 500) return { answer: 'rejected' };
  if (status >= 300 && status < 400) {
    return {
      answer: 'redirected',
      error: `The handler answered ${status}, a redirect, which check does not follow and CoreOne does not either: give the URL it redirects to.`,
    };
  }
  if (status >= 500) return { answer: 'errored', error: `The handler errored (${status}): its log says what it threw on.` };
  return { answer: 'unanswered', error: `The handler answered ${status}, neither an acceptance (2xx) nor a rejection (4xx).` };
}

function outcome(testCase: CheckCase, answer: Answer): Outcome {
  const wanted = testCase.expect === 'accept' ? 'accepted' : 'rejected';
  if (answer === wanted) return 'pass';
  return testCase.lenient && answer === 'rejected' ? 'warn' : 'fail';
}
