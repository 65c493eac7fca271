// The records of ../shared/SPEC.md, as types. server/ emits these; the NDJSON printer,
// the plain printer, the WebSocket stream and the TUI all consume the same shapes.

export type SignatureStatus = 'valid' | 'invalid' | 'missing' | 'malformed' | 'unchecked';

/** One explanation of a non-valid signature. Codes are stable once shipped. */
export interface Diagnosis {
  code: string;
  message: string;
}

export interface Signature {
  status: SignatureStatus;
  /** The X-Coreone-Webhook-Hash header as the HTTP layer presents it. */
  received: string | null;
  /** Lower-case hex HMAC-SHA256 of the raw body with the secret; null when unchecked. */
  expected: string | null;
  diagnosis: Diagnosis[];
}

export type JsonVerdict = { ok: true } | { ok: false; error: string };

export interface WebhookEvent {
  id: string;
  seq: number;
  receivedAt: string;
  method: string;
  path: string;
  remoteAddress: string;
  headers: Record<string, string>;
  type: string | null;
  knownType: boolean;
  size: number;
  body: string;
  bodyEncoding: 'utf8' | 'base64';
  truncated: boolean;
  json: JsonVerdict;
  signature: Signature;
  /** Extension: the status the listener answered with (413 over --max-body, --respond's...). */
  responseStatus?: number;
  /** Extension: why the HTTP layer refused the request (it was answered 400 but still recorded). */
  rejected?: string;
}

export type TunnelStatus = 'connecting' | 'up' | 'down' | 'error';

export interface ReadyRecord {
  kind: 'ready';
  version: string;
  webhookUrl: string;
  inspectUrl: string;
  /** The web inspector's page (SPEC.md "Web inspector"). */
  uiUrl: string;
  tunnelUrl: string | null;
  logPath: string;
  fixturesDir: string;
}

export interface EventRecord {
  kind: 'event';
  event: WebhookEvent;
}

/**
 * What the start-up probe found: `pending` while it runs, `ok` when a request through the
 * public URL reached this listener, `blocked` when the tunnel server answered it itself
 * (an interstitial or login page: CoreOne's POSTs would get that page too), `unverified`
 * when the public URL could not be reached from here at all. (Extension of SPEC.md.)
 */
export type TunnelProbe = 'pending' | 'ok' | 'blocked' | 'unverified';

export interface TunnelRecord {
  kind: 'tunnel';
  status: TunnelStatus;
  url?: string;
  error?: string;
  // Extensions of SPEC.md, all optional:
  /** One sentence that is worth telling but is not an error (e.g. the subdomain was replaced). */
  note?: string;
  /** The subdomain asked for, present when the server handed back a different one. */
  requestedSubdomain?: string;
  /** Which connection attempt this is, from 1; counts up across reconnects. */
  attempt?: number;
  /** On `down`/`error`: when the next attempt starts. */
  retryInMs?: number;
  probe?: TunnelProbe;
}

export interface ForwardRecord {
  kind: 'forward';
  id: string;
  url: string;
  status?: number;
  ms?: number;
  body?: string;
  error?: string;
  /** The app answered 4xx to an event whose signature is valid: its own verification is wrong. */
  rejectedValid?: true;
}

export interface SavedRecord {
  kind: 'saved';
  id: string;
  path: string;
}

/** What the secret looks like, without the secret. */
export interface SecretInfo {
  length: number;
  fingerprint: string;
}

/** First message on every inspector connection. Fields past tunnelUrl extend SPEC.md. */
export interface HelloMessage {
  kind: 'hello';
  version: string;
  webhookUrl: string;
  tunnelUrl: string | null;
  secret: SecretInfo | null;
  tunnel: TunnelRecord | null;
  logPath: string;
  historyLimit: number;
}

/** Sent by the inspector after the history, so a client knows where live traffic starts (extension). */
export interface HistoryEndMessage {
  kind: 'history-end';
  count: number;
}

/**
 * Stream extension `bodies=after`: a client that asks for it gets the history's events
 * without their `body`, then history-end, then each of those bodies in a message of its own,
 * newest first, then bodies-end. A browser draws the list of ten thousand events long before
 * it could read their bodies (BENCHMARKS.md, issue 14). Live events always carry theirs.
 * `bodies=log` is the same with the bodies oldest first, in log order (the TUI learns drift
 * in that order). Also the answer to a client's `{"kind":"body","id"}`.
 */
export interface BodyMessage {
  kind: 'body';
  id: string;
  body: string;
}

/**
 * Reply to a client's `{"kind":"body","id"}` (extension) when that event is not in the
 * log's history (it has aged out, or never was), or its line holds no body: its body cannot
 * be sent. A body that can is sent as a BodyMessage.
 */
export interface BodyMissingMessage {
  kind: 'body-missing';
  id: string;
}

/**
 * Reply to a client's `{"kind":"search","query"}` (extension): the ids of the history's
 * events whose UTF-8 body holds `query` (taken literally, as given), case-insensitively as
 * the TUI's free-text filter tests it, oldest first; base64 bodies never match. A client
 * that drops bodies it is not showing asks the log instead of its memory.
 */
export interface MatchesMessage {
  kind: 'matches';
  query: string;
  ids: string[];
}

/** After the last body message of `bodies=after` (extension): `count` bodies were sent. */
export interface BodiesEndMessage {
  kind: 'bodies-end';
  count: number;
}

/** Reply to a client message that could not be carried out (extension). */
export interface ErrorMessage {
  kind: 'error';
  message: string;
}

export type OutputRecord = ReadyRecord | EventRecord | TunnelRecord | ForwardRecord | SavedRecord;

export type InspectorMessage =
  | HelloMessage
  | HistoryEndMessage
  | BodyMessage
  | BodiesEndMessage
  | BodyMissingMessage
  | MatchesMessage
  | EventRecord
  | TunnelRecord
  | ForwardRecord
  | SavedRecord
  | ErrorMessage;

/**
 * Messages a client may send to the inspector stream. `send` (an extension) asks the
 * listener to send itself a signed test event of a type, with the illustrative sample body:
 * the vendor's "send a test", from the TUI.
 */
export type ClientMessage = { kind: 'save'; id: string } | { kind: 'replay'; id: string } | { kind: 'send'; type: string };

/**
 * Questions a client may put to the stream itself (extensions), answered to that client
 * alone from the durable log, in the order asked: `body` (a BodyMessage, or
 * BodyMissingMessage) and `search` (a MatchesMessage; `query` is 1 to 1,000 characters).
 * A malformed question, or a log that cannot be read, gets an ErrorMessage.
 */
export type StreamQuestion = { kind: 'body'; id: string } | { kind: 'search'; query: string };
