// Small real webhook handlers for the `check` tests, each written to show one behaviour
// (right, or one classic mistake), as answers for startReceiver (delivery.ts). They verify
// with node:crypto directly, not with the code under test.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Answer, ReceivedPost } from './delivery.js';
import { isKnownType } from '../../server/catalogue/webhook-types.js';

interface Verifying {
  /** What the handler hashes instead of the raw bytes. */
  hashed?: (body: Buffer) => Buffer;
  /** The secret as the handler (mis)reads it. */
  key?: string;
  /** Compare the hex text as is, so upper-case hex fails. */
  caseSensitive?: boolean;
  /** A status to answer a correctly signed event with instead of 200. */
  refuse?: (post: ReceivedPost) => number | null;
}

function header(post: ReceivedPost, name: string): string | undefined {
  const value = post.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** A handler that checks X-Coreone-Webhook-Hash: 401 unless it matches, else 200 (or what `refuse` says). */
export function verifying(secret: string, how: Verifying = {}): Answer {
  return (post, response) => {
    const received = header(post, 'x-coreone-webhook-hash') ?? '';
    const computed = createHmac('sha256', how.key ?? secret).update(how.hashed?.(post.body) ?? post.body).digest('hex');
    const got = Buffer.from(how.caseSensitive ? received : received.toLowerCase());
    const ok = got.length === computed.length && timingSafeEqual(got, Buffer.from(computed));
    response.statusCode = ok ? (how.refuse?.(post) ?? 200) : 401;
    response.end(ok ? '{"ok":true}' : '{"error":"bad signature"}');
  };
}

export const correct = (secret: string): Answer => verifying(secret);

/** express.json() then JSON.stringify(req.body): the classic Express mistake. */
export const reserializes = (secret: string): Answer =>
  verifying(secret, { hashed: (body) => Buffer.from(JSON.stringify(JSON.parse(body.toString('utf8')))) });

/** The secret read from a file with its trailing newline. */
export const strayNewline = (secret: string): Answer => verifying(secret, { key: `${secret}\n` });

export const caseSensitive = (secret: string): Answer => verifying(secret, { caseSensitive: true });

/** A 400 for every type outside the catalogue. */
export const rejectsUnknownTypes = (secret: string): Answer =>
  verifying(secret, { refuse: (post) => (isKnownType(header(post, 'x-coreone-webhook-type') ?? null) ? null : 400) });

/** A 422 for one type it does not act on. */
export const rejectsType = (secret: string, type: string): Answer =>
  verifying(secret, { refuse: (post) => (header(post, 'x-coreone-webhook-type') === type ? 422 : null) });

/** A 409 for a body it has seen before. */
export function rejectsReplays(secret: string): Answer {
  const seen = new Set<string>();
  return verifying(secret, {
    refuse: (post) => {
      const key = post.body.toString('base64');
      if (seen.has(key)) return 409;
      seen.add(key);
      return null;
    },
  });
}

/** A body-size limit of 100 kB (express.json()'s default), answered 413. */
export const bodyLimit = (secret: string): Answer => {
  const verify = verifying(secret);
  return (post, response) => {
    if (post.body.length > 100 * 1024) {
      response.statusCode = 413;
      response.end('payload too large');
    } else verify(post, response);
  };
};

export const acceptsAll: Answer = (_post, response) => response.end('{"ok":true}');

export const errors: Answer = (_post, response) => {
  response.statusCode = 500;
  response.end('Internal Server Error');
};

/** What a web server does for http:// when it serves https:// only. */
export const redirects: Answer = (_post, response) => {
  response.writeHead(308, { location: 'https://127.0.0.1/webhooks' });
  response.end();
};

/** Promises 100 bytes, sends 7, then drops the connection. */
export const closesMidAnswer: Answer = (_post, response) => {
  response.writeHead(200, { 'content-length': '100' });
  response.write('{"ok":');
  setImmediate(() => response.socket?.destroy());
};

/** Writes something that is not HTTP on the socket. */
export const garbage: Answer = (_post, response) => {
  response.socket?.end('THIS IS NOT HTTP\r\n\r\n');
};

/** Never answers (the test's --timeout ends each request). */
export const silent: Answer = () => {};
