// `rejectedValid` on forward records: set only when the app behind --forward-to answers 4xx
// to an event whose signature is valid, and said by --no-ui and the TUI with a pointer to
// `check`. Real loopback apps; events built as the listener builds them (eventOf).
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createForwarder } from '../../../server/delivery/forward.js';
import { recordLine } from '../../../server/events.js';
import { plainPrinter } from '../../../cli/output/plain.js';
import { forwardLabel, titleLine } from '../../../cli/ui/view/detail.js';
import { eventOf, startReceiver, type Receiver } from '../../helpers/delivery.js';
import { Recorder } from '../../helpers/run-cli.js';

const SECRET = 'whsec-forward-rv-3c';
const BODY = Buffer.from('{"accession":{"accession_number":"A26-004512","status":"Finalized"}}');
const RIGHT = createHmac('sha256', SECRET).update(BODY).digest('hex');
const WRONG = createHmac('sha256', 'another').update(BODY).digest('hex');

let app: Receiver | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function forwardAnswered(status: number, event = eventOf(BODY, { hash: RIGHT, secret: SECRET })) {
  app = await startReceiver((_post, response) => {
    response.statusCode = status;
    response.end('{"error":"nope"}');
  });
  return createForwarder({ url: app.url }).deliver(event);
}

describe('rejectedValid', () => {
  it.each([400, 401, 403, 422, 499])('is set when the app answers %i to a valid event', async (status) => {
    const record = await forwardAnswered(status);
    expect(record).toMatchObject({ status, rejectedValid: true });
  });

  it.each([
    ['a valid event answered 200', 200, eventOf(BODY, { hash: RIGHT, secret: SECRET })],
    ['a valid event answered 500', 500, eventOf(BODY, { hash: RIGHT, secret: SECRET })],
    ['a valid event answered 302', 302, eventOf(BODY, { hash: RIGHT, secret: SECRET })],
    ['an invalid event answered 401', 401, eventOf(BODY, { hash: WRONG, secret: SECRET })],
    ['an event without a hash answered 401', 401, eventOf(BODY, { hash: null, secret: SECRET })],
    ['an unchecked event answered 401', 401, eventOf(BODY, { hash: RIGHT, secret: null })],
  ])('is absent for %s', async (_what, status, event) => {
    const record = await forwardAnswered(status, event);
    expect(record.status).toBe(status);
    expect(record).not.toHaveProperty('rejectedValid');
  });

  it('is said by --no-ui and the TUI, pointing to check with the forward URL', async () => {
    const record = await forwardAnswered(401);
    const note = `your app rejected a correctly signed event: run coreone-inspect check --to ${app!.url} to see why`;
    const out = new Recorder();
    plainPrinter(out, new Recorder())({ kind: 'forward', record, line: recordLine(record) });
    expect(out.text()).toBe(`  forwarded ${record.id} to ${app!.url}: 401 in ${record.ms} ms: ${note}\n`);
    expect(forwardLabel(record)).toBe(`→401 ${record.ms}ms: ${note}`);
    const forwardSegment = titleLine(eventOf(BODY, { hash: RIGHT, secret: SECRET }), record).find((segment) => segment.text.includes('forward'));
    expect(forwardSegment).toMatchObject({ colour: 'red' });
    expect(JSON.parse(recordLine(record).toString())).toMatchObject({ kind: 'forward', rejectedValid: true });
  });
});
