// A POST whose head never completes is still recorded from the bytes that arrived. The
// listener sees those bytes through a hook on Node's HTTP parser, or, where this Node has
// no such hook, through a 'data' listener: both ways are held to the same answers here,
// and the hook is checked to be in use on the Node the tests run on (losing it would only
// cost speed, so nothing else would say so).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import type { ReceivedRequest } from '../../../server/record/summarize.js';
import { startListener, type HeadCapture, type Listener } from '../../../server/http/listener.js';
import { rawRequest, statusOf } from '../../helpers/raw-http.js';
import { waitFor } from '../../helpers/wait.js';

describe.each<HeadCapture>(['parser-hook', 'data-listener'])('heads seen through the %s', (headCapture) => {
  let listener: Listener;
  const accepted: ReceivedRequest[] = [];

  beforeAll(async () => {
    listener = await startListener({
      host: '127.0.0.1',
      port: 0,
      maxBody: 1024,
      requestTimeoutMs: 1500,
      headersTimeoutMs: 500,
      respondStatus: 200,
      headCapture,
      accept: (request, ack) => {
        accepted.push(request);
        ack.accepted(`id-${accepted.length}`);
      },
      onProblem: () => undefined,
    });
  });
  afterAll(async () => {
    await listener.close();
  });

  it('is what the listener uses', async () => {
    const answer = await rawRequest(listener.port, 'POST /first HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}');
    expect(statusOf(answer)).toBe(200);
    expect(listener.headCapture()).toBe(headCapture);
    expect(accepted.find((request) => request.path === '/first')?.body.toString()).toBe('{}');
  });

  it('records a head that stalls, answered 408', async () => {
    const answer = await rawRequest(listener.port, 'POST /stalled HTTP/1.1\r\nHost: x\r\nX-Coreone-Webhook-Type: accession/receive\r\n');
    expect(statusOf(answer)).toBe(408);
    const request = await waitFor(() => accepted.find((r) => r.path === '/stalled'), { what: 'the stalled head' });
    expect(request).toMatchObject({ method: 'POST', responseStatus: 408, headers: { 'x-coreone-webhook-type': 'accession/receive' } });
    expect(answer).toContain(`"id":"id-${accepted.indexOf(request) + 1}"`);
  });

  it('records a head sent in pieces on a connection that already had a POST answered, whole', async () => {
    const socket = connect(listener.port, '127.0.0.1');
    socket.setNoDelay(true);
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.write('POST /kept-alive HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}');
    await waitFor(() => answer.includes('"ok":true'), { what: 'the first answer' });
    for (const piece of ['POST /in-pieces HTTP/1.1\r\n', 'Host: x\r\nX-Coreone-Webhook-Type: accession/receive\r\n', 'X-Coreone-Webhook-Hash: abc\r\n']) {
      await new Promise<void>((resolve) => socket.write(piece, () => setImmediate(resolve)));
    }
    await closed;
    const request = await waitFor(() => accepted.find((r) => r.path === '/in-pieces'), { what: 'the head in pieces' });
    expect(request.headers).toMatchObject({ 'x-coreone-webhook-type': 'accession/receive', 'x-coreone-webhook-hash': 'abc' });
    expect(request.responseStatus).toBe(408);
    expect(statusOf(answer.slice(answer.indexOf('HTTP/1.1', 1)))).toBe(408);
  });
});
