// The pattern of a battery's answers read as findings: which mistake in the handler
// produces exactly that pattern, and the one change that fixes it, naming the usual
// culprit in the common stacks. Only the cases that ran are read, so `--cases` gives
// findings about what it ran and is silent on the rest. Codes are stable once shipped.
import type { CaseId } from './cases.js';
import type { Answer, CaseResult } from './run.js';

export interface Finding {
  code: string;
  message: string;
}

/** The bodies that differ only in how the same JSON is written. */
const BODY_CASES: readonly CaseId[] = ['valid', 'valid-pretty', 'valid-spaced', 'valid-unicode', 'valid-escapes'];
const MUST_REJECT: readonly CaseId[] = ['tampered-body', 'wrong-secret', 'missing-hash', 'malformed-hash'];

const list = (ids: readonly string[]) => ids.join(', ');

export function findings(results: readonly CaseResult[]): Finding[] {
  const answers = new Map<CaseId, Answer>(results.map((result) => [result.id, result.answer]));
  const ran = (ids: readonly CaseId[]) => ids.filter((id) => answers.has(id));
  const answeredAs = (answer: Answer, ids: readonly CaseId[]) => ran(ids).filter((id) => answers.get(id) === answer);
  const is = (id: CaseId, answer: Answer) => answers.get(id) === answer;
  const found: Finding[] = [];

  const accepted = answeredAs('accepted', MUST_REJECT);
  if (accepted.length > 0) {
    found.push({
      code: 'no-verification',
      message: `The handler accepts what it must reject (${list(accepted)}): it does not check X-Coreone-Webhook-Hash, or answers 2xx before the check; compute the HMAC-SHA256 of the raw body with the secret, compare it in constant time, and answer 401 when it differs or is missing.`,
    });
  }

  const rejectedBodies = answeredAs('rejected', BODY_CASES);
  // A JavaScript round trip reproduces `valid`, a Python one `valid-spaced`: accepting
  // either while rejecting another way of writing the same JSON is a re-serializer's mark.
  const serializerShaped = is('valid', 'accepted') || is('valid-spaced', 'accepted');
  const rejectsAll = rejectedBodies.length > 0 && rejectedBodies.length === ran(BODY_CASES).length;
  const bodyFinding = rejectedBodies.length > 0 && (serializerShaped || rejectsAll);
  if (rejectedBodies.length > 0 && serializerShaped) {
    found.push({
      code: 'reserializes-body',
      message: `The handler hashes a re-serialized body, not the raw bytes (it rejects ${list(rejectedBodies)}): in Express, express.json() ran before the check, so use express.raw({ type: 'application/json' }) on this route and hash req.body; in Flask, hash request.get_data(), not json.dumps(request.get_json()); in PHP, hash file_get_contents('php://input'), not json_encode(json_decode(...)).`,
    });
  } else if (rejectsAll) {
    found.push({
      code: 'rejects-valid',
      message: `The handler rejects every correctly signed body (${list(rejectedBodies)}): it has a different secret than the one given here (look for a stray newline or quotes where it reads it), or it hashes something other than the raw request bytes.`,
    });
  }

  // The findings below read one case against an accepted `valid`; a body finding already explains them.
  if (!is('valid', 'accepted') || bodyFinding) return found.concat(answerFindings(results));

  if (is('unknown-type', 'rejected')) {
    found.push({
      code: 'rejects-unknown-types',
      message: 'The handler rejects a correctly signed event of a type it does not know: CoreOne adds types over time, so answer 2xx to every correctly signed event and ignore the types you do not use.',
    });
  }
  if (is('every-type', 'rejected')) {
    found.push({
      code: 'rejects-some-types',
      message: 'The handler rejects a correctly signed event of one of the 33 types (the every-type line names it): answer 2xx to the types it does not act on instead of 4xx.',
    });
  }
  const otherBodies = ran(BODY_CASES).every((id) => is(id, 'accepted'));
  if (otherBodies && answers.has('valid-large') && !is('valid-large', 'accepted')) {
    found.push({
      code: 'body-limit',
      message: "The handler rejects only the 1 MiB body: a body-size limit is lower than what CoreOne may send; raise it (express.raw() and express.json() default to 100 kB: pass { limit: '5mb' }; nginx: client_max_body_size; PHP: post_max_size).",
    });
  }
  if (is('uppercase-hash', 'rejected')) {
    found.push({
      code: 'case-sensitive-hash',
      message: 'The handler compares the hash as text and rejects it in upper-case hex: lower-case the header (or decode both sides from hex) before the constant-time comparison.',
    });
  }
  if (is('replayed', 'rejected')) {
    found.push({
      code: 'rejects-replays',
      message: 'The handler rejects a delivery it has seen before: CoreOne may deliver an event more than once, so answer 2xx to a repeat and skip the work instead of answering 4xx.',
    });
  }
  return found.concat(answerFindings(results));
}

/** Findings about answers that are neither 2xx nor 4xx, whatever the case. */
function answerFindings(results: readonly CaseResult[]): Finding[] {
  const answered = (answer: Answer) => results.filter((result) => result.answer === answer).map((result) => result.id);
  const errored = answered('errored');
  const redirected = answered('redirected');
  const unanswered = answered('unanswered');
  const found: Finding[] = [];
  if (errored.length > 0) {
    found.push({
      code: 'handler-errors',
      message: `The handler errored (5xx) on ${list(errored)}: it threw on something it received (its log says what); a handler answers 401 to a bad or missing hash and 2xx otherwise, never 5xx, or CoreOne keeps retrying.`,
    });
  }
  if (redirected.length > 0) {
    found.push({
      code: 'redirects',
      message: `The URL answers with a redirect (${list(redirected)}), usually http to https or a trailing slash added or removed: CoreOne does not follow redirects, so configure the URL the redirect points to.`,
    });
  }
  if (unanswered.length > 0) {
    found.push({
      code: 'no-answer',
      message: `The handler left ${list(unanswered)} without a complete answer (a timeout, a closed connection or no HTTP): answer every request, even one it rejects, before closing the connection; a handler that hangs is often waiting for a body that a middleware already read.`,
    });
  }
  return found;
}
