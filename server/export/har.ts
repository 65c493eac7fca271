// The event log as a HAR 1.2 archive (../shared/SPEC.md "Schemas, drift and exports"), so
// the requests CoreOne sent can be opened in a browser's network panel, an HTTP client or
// a proxy. One entry per event: the request as received, its body byte-exact in
// `postData.text` (base64, with `encoding`, when it was not UTF-8: as HAR's `content`
// does), and the status the listener answered.
import { STATUS_CODES } from 'node:http';
import type { Entry, Har, PostData } from 'har-format';
import type { WebhookEvent } from '../types.js';

/** HAR's postData, with the `encoding` HAR 1.2 gives `content` for bytes that are not text. */
type BytePostData = PostData & { encoding?: 'base64' };

export function harOf(events: readonly WebhookEvent[], creator: { name: string; version: string }): Har {
  return { log: { version: '1.2', creator, entries: events.map(entryOf) } };
}

function entryOf(event: WebhookEvent): Entry {
  const url = `http://${event.headers.host ?? 'localhost'}${event.path}`;
  const status = event.responseStatus ?? 0;
  return {
    startedDateTime: event.receivedAt,
    time: 0,
    request: {
      method: event.method,
      url,
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: Object.entries(event.headers).map(([name, value]) => ({ name, value })),
      queryString: queryOf(event.path),
      postData: postDataOf(event),
      headersSize: -1,
      bodySize: event.size,
    },
    response: {
      status,
      statusText: STATUS_CODES[status] ?? '',
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: [],
      content: { size: 0, mimeType: '' },
      redirectURL: '',
      headersSize: -1,
      bodySize: -1,
      ...(event.responseStatus === undefined ? { comment: 'The status the listener answered was not recorded.' } : {}),
    },
    cache: {},
    timings: { send: 0, wait: 0, receive: 0 },
    comment: `coreone-inspect event ${event.id} (seq ${event.seq})${event.type === null ? '' : `, ${event.type}`}`,
  };
}

function postDataOf(event: WebhookEvent): BytePostData {
  const mimeType = event.headers['content-type'] ?? '';
  if (event.truncated) return { mimeType, text: '', comment: `The body (${event.size} bytes) was over --max-body and was not kept.` };
  return event.bodyEncoding === 'base64' ? { mimeType, text: event.body, encoding: 'base64' } : { mimeType, text: event.body };
}

/** The query of a request path, decoded as a browser's HAR export decodes it. */
function queryOf(requestPath: string): Array<{ name: string; value: string }> {
  const query = requestPath.indexOf('?');
  if (query === -1) return [];
  return [...new URLSearchParams(requestPath.slice(query + 1))].map(([name, value]) => ({ name, value }));
}
