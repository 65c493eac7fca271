// --public-url's checks (server/tunnel/public-url.ts) against real reverse proxies on
// loopback: one passing requests to a stand-in listener that honours the probe contract,
// one passing them to somebody else's server. Rechecks run every 200 ms here instead of
// every 60 s, so a proxy re-pointed while we run is seen without waiting a minute.
import { afterEach, describe, expect, it } from 'vitest';
import { watchPublicUrl } from '../../../server/tunnel/public-url.js';
import type { TunnelHandle } from '../../../server/tunnel/tunnel.js';
import type { TunnelRecord } from '../../../server/types.js';
import { freePort } from '../../helpers/relay.js';
import { startOtherSite, startReverseProxy } from '../../helpers/reverse-proxy.js';
import { closeServer, startLocal } from '../../helpers/tunnel-local.js';
import { waitFor } from '../../helpers/wait.js';

const LOCAL_URL = 'http://127.0.0.1:4747/';
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

function watch(url: string): { handle: TunnelHandle; records: TunnelRecord[] } {
  const records: TunnelRecord[] = [];
  const handle = watchPublicUrl({ url, localUrl: LOCAL_URL, onState: (record) => records.push(record), timings: { recheckMs: 200, probeTimeoutMs: 3_000 } });
  cleanups.push(() => handle.stop());
  return { handle, records };
}

async function servers() {
  const [local, other] = await Promise.all([startLocal(), startOtherSite()]);
  cleanups.push(() => closeServer(local.server), () => other.close());
  const toListener = await startReverseProxy(`http://127.0.0.1:${local.port}`);
  const toOther = await startReverseProxy(other.url);
  cleanups.push(() => toListener.close(), () => toOther.close());
  return { local, other, toListener, toOther };
}

const settled = (records: TunnelRecord[]): TunnelRecord | undefined => records.find((record) => record.probe !== 'pending');

describe('watchPublicUrl', () => {
  it('tells a proxy to the listener from a proxy to somebody else', async () => {
    const { local, other, toListener, toOther } = await servers();
    const good = watch(toListener.url);
    const bad = watch(toOther.url);
    expect(good.records[0]).toEqual({ kind: 'tunnel', status: 'up', url: toListener.url, probe: 'pending' });

    expect(await waitFor(() => settled(good.records), { what: 'the good verdict' })).toEqual({ kind: 'tunnel', status: 'up', url: toListener.url, probe: 'ok' });
    expect(local.probes.length).toBeGreaterThan(0);

    const verdict = await waitFor(() => settled(bad.records), { what: 'the bad verdict' });
    expect(verdict).toMatchObject({ status: 'error', url: toOther.url, probe: 'blocked' });
    expect(verdict.error).toBe(
      `${toOther.url} answered a test request with an HTML page (HTTP 200) instead of passing it to this listener, ` +
        `so CoreOne's POSTs would not arrive here either: point your tunnel or proxy at ${LOCAL_URL}.`,
    );
    expect(other.hits()).toBeGreaterThan(0);
  });

  it('keeps checking, and speaks only when the verdict changes', async () => {
    const { local, other, toOther } = await servers();
    const { records, handle } = watch(toOther.url);
    await waitFor(() => other.hits() >= 3, { what: 'three checks of the wrong target' });
    // Three checks, one verdict: no record repeats the one before.
    expect(records.map((record) => record.probe)).toEqual(['pending', 'blocked']);

    // The user re-points the proxy at the listener: the next check sees it.
    toOther.target = `http://127.0.0.1:${local.port}`;
    await waitFor(() => records.at(-1)?.probe === 'ok', { what: 'the recovered verdict' });
    expect(handle.current()).toEqual({ kind: 'tunnel', status: 'up', url: toOther.url, probe: 'ok' });
    await handle.stop();
    expect(handle.current()).toMatchObject({ status: 'down' });
  });

  it('says when nothing answers at the URL, without calling it an error', async () => {
    const url = `http://127.0.0.1:${await freePort()}/`;
    const { records } = watch(url);
    const verdict = await waitFor(() => settled(records), { what: 'the verdict' });
    expect(verdict).toMatchObject({ status: 'up', url, probe: 'unverified' });
    expect(verdict.note).toMatch(/^Could not check http:\/\/127\.0\.0\.1:\d+\/ from here \(.+\); if CoreOne cannot reach it either, start your tunnel or proxy\.$/);
  });
});
