// A CoreOne webhook handler with Fastify.
// Run: npm install fastify && COREONE_WEBHOOK_SECRET=<secret> node fastify.mjs   (PORT defaults to 3000)
// Check it: coreone-inspect check --to http://localhost:3000/webhooks
import Fastify from 'fastify';
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

const app = Fastify({ bodyLimit: 5 * 1024 * 1024, logger: true });

// THE line that matters: JSON bodies stay the bytes that arrived (a Buffer), instead of the
// object Fastify's own JSON parser makes, whose re-serialization would not match the hash.
app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

app.post('/webhooks', async (request, reply) => {
  const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  if (!signatureOk(body, request.headers['x-coreone-webhook-hash'])) return reply.code(401).send({ error: 'bad signature' });
  const event = JSON.parse(body.toString('utf8'));
  // Act on the types you use; every other type is answered 2xx too (CoreOne adds types).
  request.log.info(`received ${request.headers['x-coreone-webhook-type']} (${Object.keys(event).join(', ')})`);
  return { ok: true };
});

await app.listen({ port, host: '127.0.0.1' });
console.log(`listening on http://localhost:${port}/webhooks`);
