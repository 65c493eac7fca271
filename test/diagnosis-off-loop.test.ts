// A large body with a mismatched hash is diagnosed in a worker thread: the listener keeps
// answering meanwhile, the event still carries its diagnosis, and seq stays the log's order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHmac } from 'node:crypto';
import type { Pipeline } from '../server/pipeline.js';
import { startPipeline } from './helpers/pipeline.js';
import { MAX_WAITING_BYTES, OFF_LOOP_BODY, OffLoopDiagnosis } from '../server/diagnosis-off-loop.js';
import type { WebhookEvent } from '../server/types.js';

const SECRET = 'off-loop-secret';
const TYPE = 'accession/status_change';
const hmac = (body: Buffer, key: string): string => createHmac('sha256', key).update(body).digest('hex');

let dir: string;
let pipeline: Pipeline;
const events: WebhookEvent[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'coreone-off-loop-'));
  pipeline = await startPipeline(dir, { secret: SECRET, maxBody: 16 * 1024 * 1024, requestTimeoutMs: 30_000, headersTimeoutMs: 10_000 });
  pipeline.subscribe((event) => {
    if (event.kind === 'event') events.push(event.record.event);
  });
});

afterAll(async () => {
  await pipeline.close();
  await rm(dir, { recursive: true, force: true });
});

async function post(body: Buffer, hash: string): Promise<{ status: number; id: string }> {
  const response = await fetch(pipeline.ready.webhookUrl, {
    method: 'POST',
    body,
    headers: { 'Content-Type': 'application/json', 'X-Coreone-Webhook-Type': TYPE, 'X-Coreone-Webhook-Hash': hash },
  });
  return { status: response.status, id: ((await response.json()) as { id: string }).id };
}

describe('the diagnosis of a large body', () => {
  it('runs off the event loop: requests that arrive meanwhile are answered and logged first', async () => {
    // 5 MiB signed with the secret and a trailing newline: the search tries some 30 ways.
    const big = Buffer.from(JSON.stringify({ accession: 'A26-1', rows: 'r'.repeat(5 * 1024 * 1024) }));
    let bigAnswered = false;
    const bigPost = post(big, hmac(big, `${SECRET}\n`)).finally(() => (bigAnswered = true));
    // Small, rightly signed requests one after another until the big one is answered.
    const small: string[] = [];
    for (let n = 0; !bigAnswered; n++) {
      const body = Buffer.from(JSON.stringify({ accession: `A26-small-${n}` }));
      const { status, id } = await post(body, hmac(body, SECRET));
      expect(status).toBe(200);
      small.push(id);
    }
    const { status, id } = await bigPost;
    expect(status).toBe(200);

    const bigEvent = events.find((event) => event.id === id)!;
    expect(bigEvent.signature.status).toBe('invalid');
    expect(bigEvent.signature.diagnosis.map((d) => d.code)).toEqual(['secret-whitespace']);
    // Diagnosed in place, the big event would have taken its seq on arrival, before every
    // request that arrived after it. Off the loop, some of those were committed first.
    const overtook = events.filter((event) => small.includes(event.id) && event.seq < bigEvent.seq && event.receivedAt > bigEvent.receivedAt);
    expect(overtook.length).toBeGreaterThan(0);
    // The log holds the events in seq order.
    const logged = (await readFile(join(dir, 'events.ndjson'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { event: WebhookEvent }).event.seq);
    expect(logged).toEqual([...logged].sort((a, b) => a - b));
    expect(logged).toContain(bigEvent.seq);
  });

  it('diagnoses a small body in place, in arrival order', async () => {
    const body = Buffer.from(JSON.stringify({ accession: 'A26-2', pad: 'p'.repeat(OFF_LOOP_BODY / 2) }));
    const { id } = await post(body, hmac(body, `${SECRET}\n`));
    const event = events.find((e) => e.id === id)!;
    expect(event.signature.diagnosis.map((d) => d.code)).toEqual(['secret-whitespace']);
  });
});

describe('OffLoopDiagnosis', () => {
  const body = Buffer.alloc(OFF_LOOP_BODY, 0x61);
  const mismatch = { status: 'invalid' as const, body, received: hmac(body, `${SECRET}\n`), secret: SECRET, expected: Buffer.from(hmac(body, SECRET), 'hex') };

  it('answers with the diagnosis the search finds', async () => {
    const diagnosis = new OffLoopDiagnosis();
    try {
      expect((await diagnosis.diagnose(mismatch)).map((d) => d.code)).toEqual(['secret-whitespace']);
    } finally {
      await diagnosis.close();
    }
  });

  it('counts the body bytes waiting for the worker, and has no room past MAX_WAITING_BYTES', async () => {
    const diagnosis = new OffLoopDiagnosis();
    try {
      expect(diagnosis.hasRoom(MAX_WAITING_BYTES)).toBe(true);
      expect(diagnosis.hasRoom(MAX_WAITING_BYTES + 1)).toBe(false);
      const waiting = diagnosis.diagnose(mismatch);
      expect(diagnosis.hasRoom(MAX_WAITING_BYTES - body.length)).toBe(true);
      expect(diagnosis.hasRoom(MAX_WAITING_BYTES - body.length + 1)).toBe(false);
      await waiting;
      expect(diagnosis.hasRoom(MAX_WAITING_BYTES)).toBe(true);
    } finally {
      await diagnosis.close();
    }
  });

  it('fails in one sentence when its worker cannot run, and when it is closed first', async () => {
    const broken = new OffLoopDiagnosis(new URL('./no-such-worker.js', import.meta.url));
    await expect(broken.diagnose(mismatch)).rejects.toThrow(/^The signature diagnosis failed: .*no-such-worker/);
    expect(broken.hasRoom(MAX_WAITING_BYTES)).toBe(true);
    await broken.close();

    const closing = new OffLoopDiagnosis();
    const failed = expect(closing.diagnose(mismatch)).rejects.toThrow('The inspector stopped before the diagnosis was done.');
    await closing.close();
    await failed;
  });
});
