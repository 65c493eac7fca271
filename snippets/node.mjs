// A CoreOne webhook handler with node:http alone (no dependencies).
// Run: COREONE_WEBHOOK_SECRET=<secret> node node.mjs   (PORT defaults to 3000)
// Check it: coreone-inspect check --to http://localhost:3000/webhooks
import http from 'node:http';
import { createHmac, timingSafeEqual } from 'node:crypto';

const secret = process.env.COREONE_WEBHOOK_SECRET;
if (!secret) throw new Error('Set COREONE_WEBHOOK_SECRET to the webhook secret.');
const port = Number(process.env.PORT ?? 3000);

/** Is the header the hex HMAC-SHA256 of the body? Compared in constant time, any hex case. */
function signatureOk(body, header) {
  if (typeof header !== 'string' || !/^[0-9a-f]{64}$/i.test(header)) return false;
  const expected = createHmac('sha256', secret).update(body).digest();
  return timingSafeEqual(expected, Buffer.from(header, 'hex'));
}

/** Act on the types you use; every other type is answered 2xx too (CoreOne adds types). */
function handle(type, event) {
  console.log(`received ${type} (${Object.keys(event).join(', ')})`);
}

http
  .createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/webhooks') return res.writeHead(404).end();
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks); // THE line that matters: the raw bytes as they arrived, hashed as is.
      if (!signatureOk(body, req.headers['x-coreone-webhook-hash'])) {
        return res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"bad signature"}');
      }
      handle(req.headers['x-coreone-webhook-type'], JSON.parse(body.toString('utf8')));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  })
  .listen(port, () => console.log(`listening on http://localhost:${port}/webhooks`));
