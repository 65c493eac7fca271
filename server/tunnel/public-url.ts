// A tunnel the user runs themselves (--public-url: ngrok, cloudflared, a reverse proxy of
// their own). There is nothing to open or supervise, only to check: the start-up probe goes
// through the URL as through our own tunnel, and again every recheck interval, since the
// user's tunnel may start after us, stop, or be pointed elsewhere while we run. A record
// goes out when the verdict changes, not on every check, so the NDJSON stream stays quiet
// while nothing happens. A failed check never stops the listener: it keeps serving locally.
import type { TunnelRecord } from '../types.js';
import { probeThrough, type ProbeResult } from './probe.js';
import { DEFAULT_TIMINGS, type TunnelHandle, type TunnelTimings } from './tunnel.js';

export interface PublicUrlOptions {
  /** The URL the user's tunnel or proxy forwards to the listener. */
  url: string;
  /** The listener's own URL, named in the advice when the public URL reaches something else. */
  localUrl: string;
  onState: (record: TunnelRecord) => void;
  timings?: Partial<Pick<TunnelTimings, 'probeTimeoutMs' | 'recheckMs'>>;
}

export function watchPublicUrl(options: PublicUrlOptions): TunnelHandle {
  const { url, localUrl, onState } = options;
  const { probeTimeoutMs, recheckMs } = { ...DEFAULT_TIMINGS, ...options.timings };
  let record: TunnelRecord = { kind: 'tunnel', status: 'up', url, probe: 'pending' };
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let abort: AbortController | undefined;

  const check = async (): Promise<void> => {
    abort = new AbortController();
    const result = await probeThrough({ url }, probeTimeoutMs, abort.signal);
    if (stopped) return;
    const next = verdict(url, localUrl, result);
    if (JSON.stringify(next) !== JSON.stringify(record)) {
      record = next;
      onState(record);
    }
    timer = setTimeout(() => void check(), recheckMs);
  };

  onState(record);
  void check();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      abort?.abort();
      record = { kind: 'tunnel', status: 'down', note: `No longer checking ${url}.` };
    },
    current: () => record,
  };
}

/** What one check found, as the record the user sees. */
function verdict(url: string, localUrl: string, result: ProbeResult): TunnelRecord {
  if (result.kind === 'ok') return { kind: 'tunnel', status: 'up', url, probe: 'ok' };
  if (result.kind === 'unreachable') {
    return {
      kind: 'tunnel',
      status: 'up',
      url,
      probe: 'unverified',
      note: `Could not check ${url} from here (${result.reason}); if CoreOne cannot reach it either, start your tunnel or proxy.`,
    };
  }
  const what = result.html ? `an HTML page (HTTP ${result.status})` : `HTTP ${result.status}`;
  return {
    kind: 'tunnel',
    status: 'error',
    url,
    probe: 'blocked',
    error: `${url} answered a test request with ${what} instead of passing it to this listener, so CoreOne's POSTs would not arrive here either: point your tunnel or proxy at ${localUrl}.`,
  };
}
