// Turns one received request into SPEC.md's Event record. Pure: no I/O, no clock of its own.
import { randomFillSync } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import type { IncomingHttpHeaders } from 'node:http';
import { isKnownType } from '../catalogue/webhook-types.js';
import { isJsonText } from './json-check.js';
import { isoTime } from './iso-time.js';
import { uncheckedSignature, verifySignature } from '../signature/verify.js';
import type { JsonVerdict, Signature, WebhookEvent } from '../types.js';
import { errorMessage } from '../error-message.js';

export const TYPE_HEADER = 'x-coreone-webhook-type';
export const HASH_HEADER = 'x-coreone-webhook-hash';

/** A request as the listener saw it; `problem` is set when it could not be read whole. */
export interface ReceivedRequest {
  method: string;
  path: string;
  remoteAddress: string;
  headers: IncomingHttpHeaders | Record<string, string>;
  body: Buffer;
  /** Body bytes as received (more than body.length when over --max-body). */
  size: number;
  /** Over --max-body: the body was not kept. */
  truncated: boolean;
  /** The status the listener answers with (SPEC.md extension: shows --respond at work). */
  responseStatus: number;
  /** Why the HTTP layer refused the request (answered 400), when it did. */
  rejected?: string;
  /** The request did not arrive whole (stalled, cut off, or rejected by the HTTP parser). */
  problem?: string;
}

// Ids are 16 random hex digits, cut from a pool refilled 4 KiB at a time: a randomBytes
// call per id cost about 9 µs here, a tenth of a whole request.
const ID_BYTES = 8;
const idPool = Buffer.alloc(4096);
let idOffset = idPool.length;

export function newEventId(): string {
  if (idOffset === idPool.length) {
    randomFillSync(idPool);
    idOffset = 0;
  }
  const id = idPool.toString('hex', idOffset, idOffset + ID_BYTES);
  idOffset += ID_BYTES;
  return id;
}

/** Header values as Node presents them (each byte a latin1 character), one string a name. */
function flattenHeaders(headers: IncomingHttpHeaders | Record<string, string>): Record<string, string> {
  const flat: Record<string, string> = {};
  // for...in, not Object.entries: no array of pairs per request on the hot path.
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    flat[name] = headerText(Array.isArray(value) ? value.join(', ') : value);
  }
  return flat;
}

// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\u0000-\u007f]/;

/**
 * HTTP hands header bytes over as latin1; a sender that wrote UTF-8 (`accès`) meant the
 * text those bytes spell, so valid UTF-8 is shown as such, anything else as it came.
 */
function headerText(value: string): string {
  if (!NON_ASCII.test(value)) return value;
  const bytes = Buffer.from(value, 'latin1');
  return isUtf8(bytes) ? bytes.toString('utf8') : value;
}

/**
 * Everything SPEC.md's Event says about a request but its body text, in two parts: the
 * fields before the body and those after it. The body is the bulk of an event: the hot
 * path writes it into the log line straight from the request's bytes, between the two
 * parts (server/record/event-line.ts), and decodes it to a string only for a consumer that asks
 * (`withBody`).
 */
export interface EventSummary {
  head: Pick<WebhookEvent, 'id' | 'seq' | 'receivedAt' | 'method' | 'path' | 'remoteAddress' | 'headers' | 'type' | 'knownType' | 'size'>;
  tail: Pick<WebhookEvent, 'bodyEncoding' | 'truncated' | 'json' | 'signature' | 'responseStatus' | 'rejected'>;
}

export function summarizeRequest(
  request: ReceivedRequest,
  ids: {
    id: string;
    seq: number;
    /** Milliseconds since the epoch (Date.now()). */
    receivedAt: number;
  },
  secret: string | null,
): EventSummary {
  const headers = flattenHeaders(request.headers);
  const type = headers[TYPE_HEADER] ?? null;
  const received = headers[HASH_HEADER] ?? null;
  const utf8 = isUtf8(request.body);
  const head: EventSummary['head'] = {
    id: ids.id,
    seq: ids.seq,
    receivedAt: isoTime(ids.receivedAt),
    method: request.method,
    path: request.path,
    remoteAddress: request.remoteAddress,
    headers,
    type,
    knownType: isKnownType(type),
    size: request.size,
  };
  const tail: EventSummary['tail'] = {
    bodyEncoding: utf8 || request.truncated ? 'utf8' : 'base64',
    truncated: request.truncated,
    json: jsonVerdict(request, utf8),
    signature: signatureOf(request, received, secret),
    responseStatus: request.responseStatus,
  };
  if (request.rejected) tail.rejected = request.rejected;
  return { head, tail };
}

/** The whole Event, body text included, its fields in SPEC.md's order. */
export function withBody({ head, tail }: EventSummary, body: Buffer): WebhookEvent {
  return { ...head, body: tail.truncated ? '' : body.toString(tail.bodyEncoding), ...tail };
}

function signatureOf(request: ReceivedRequest, received: string | null, secret: string | null): Signature {
  if (request.truncated) return uncheckedSignature(received);
  if (request.problem) {
    // The body we hold is not the body that was signed, so a verdict on it would mislead.
    return {
      ...uncheckedSignature(received),
      diagnosis: [{ code: 'body-incomplete', message: `${request.problem}: the hash was not checked.` }],
    };
  }
  return verifySignature(request.body, received, secret);
}

function jsonVerdict(request: ReceivedRequest, utf8: boolean): JsonVerdict {
  if (request.truncated) return { ok: false, error: `The body (${request.size} bytes) is over --max-body and was not kept.` };
  if (request.problem) return { ok: false, error: 'The body is incomplete.' };
  if (request.body.length === 0) return { ok: false, error: 'The body is empty.' };
  if (!utf8) return { ok: false, error: 'The body is not valid UTF-8 text (kept as base64).' };
  // The scanner answers without building the value (a property test holds it to
  // JSON.parse's answers); on a no, JSON.parse confirms it and supplies the message.
  if (isJsonText(request.body)) return { ok: true };
  try {
    JSON.parse(request.body.toString('utf8'));
    return { ok: true };
  } catch (error) {
    return { ok: false, error: errorMessage(error) };
  }
}
