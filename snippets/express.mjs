// A CoreOne webhook handler with Express.
// Run: npm install express && COREONE_WEBHOOK_SECRET=<secret> node express.mjs   (PORT defaults to 3000)
// Check it: coreone-inspect check --to http://localhost:3000/webhooks
import express from 'express';
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

const app = express();

// THE line that matters: express.raw() keeps req.body as the bytes that arrived (a Buffer).
// express.json() on this route would hand over an object, and no re-serialization of it
// reliably matches the hash. The limit is raised from 100 kB: CoreOne bodies can be larger.
app.post('/webhooks', express.raw({ type: '*/*', limit: '5mb' }), (req, res) => {
  const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  if (!signatureOk(body, req.get('x-coreone-webhook-hash'))) return res.status(401).json({ error: 'bad signature' });
  const event = JSON.parse(body.toString('utf8'));
  // Act on the types you use; every other type is answered 2xx too (CoreOne adds types).
  console.log(`received ${req.get('x-coreone-webhook-type')} (${Object.keys(event).join(', ')})`);
  res.json({ ok: true });
});

app.listen(port, () => console.log(`listening on http://localhost:${port}/webhooks`));
