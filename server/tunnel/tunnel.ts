// The supervised public tunnel. The localtunnel client gives up silently when its relay
// goes away, never settles when the relay is unreachable, retries forever where nobody can
// stop it, and replaces a taken subdomain without a word (STACK.md). So each attempt runs
// in a child process (server/tunnel/worker.ts) that this module ends when the attempt
// fails, breaks or is no longer wanted, and opens again with backoff. Every change of
// state goes out as a TunnelRecord through `onState`; nothing here prints.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { builtFile } from '../built-file.js';
import { DEFAULT_TUNNEL_HOST } from '../defaults.js';
import type { TunnelRecord } from '../types.js';
import { isWorkerMessage, type WorkerMessage, type WorkerOptions } from './protocol.js';
import { probeThrough, type ProbeResult, type ProbeRoute } from './probe.js';

export type { ProbeRoute } from './probe.js';

export interface TunnelTimings {
  /** How long one attempt may take to get a tunnel socket up. */
  openTimeoutMs: number;
  /** Delay before the first retry; doubles with each failure in a row. */
  backoffInitialMs: number;
  backoffMaxMs: number;
  /** Each delay is stretched by a random fraction up to this, so clients do not retry in step. */
  jitter: number;
  probeTimeoutMs: number;
  /**
   * Once the start-up probe has passed, how often to send it again. A tunnel can die
   * without a sound (a laptop changing networks, a relay dropping the client): the client
   * notices only refused connections, so a failed re-check counts as a lost tunnel.
   */
  recheckMs: number;
}

export const DEFAULT_TIMINGS: TunnelTimings = {
  openTimeoutMs: 15_000,
  backoffInitialMs: 1_000,
  backoffMaxMs: 30_000,
  jitter: 0.2,
  probeTimeoutMs: 10_000,
  recheckMs: 60_000,
};

/** When a reconnect finds our own subdomain still held by the connection that just died. */
const RECLAIM_TRIES = 3;

export interface TunnelOptions {
  localPort: number;
  /** The listener's address; wildcard addresses are dialled on loopback. */
  localHost?: string;
  tunnelHost?: string;
  subdomain?: string;
  onState: (record: TunnelRecord) => void;
  /** Check once the tunnel is up that a request through it reaches the listener, and keep checking (default true). */
  probe?: boolean;
  /** Where the probe goes for a public URL; default: the URL itself. */
  probeRoute?: (publicUrl: string) => ProbeRoute;
  timings?: Partial<TunnelTimings>;
  /** Source of jitter, in [0, 1). */
  random?: () => number;
}

export interface TunnelHandle {
  /** Ends the tunnel and every process it started; safe to call more than once. */
  stop(): Promise<void>;
  /** The latest record (after stop: `down`). */
  current(): TunnelRecord;
}

export function startTunnel(options: TunnelOptions): TunnelHandle {
  const supervisor = new TunnelSupervisor(options, workerPath());
  supervisor.connect();
  return { stop: () => supervisor.stop(), current: () => supervisor.current() };
}

/** The compiled worker (it runs under plain `node`, so code run from source uses the build). */
function workerPath(): string {
  const path = fileURLToPath(builtFile(import.meta.url, 'worker.js'));
  if (!existsSync(path)) throw new Error(`The tunnel worker is missing at ${path}; run \`npm run build\` first.`);
  return path;
}

function dialAddress(host: string | undefined): string {
  if (!host || host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '::1';
  return host;
}

function inWords(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}

function subdomainOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.split('.')[0];
  } catch {
    return undefined;
  }
}

class TunnelSupervisor {
  private readonly timings: TunnelTimings;
  private readonly tunnelHost: string;
  private record: TunnelRecord = { kind: 'tunnel', status: 'connecting' };
  /** The worker of the current attempt; messages from any other are stale. */
  private worker: ChildProcess | undefined;
  /** Every worker not yet exited, with a promise of its exit. */
  private readonly alive = new Map<ChildProcess, Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private probeAbort: AbortController | undefined;
  private attempt = 0;
  private failuresInARow = 0;
  private heldRequestedSubdomain = false;
  private reclaims = 0;
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly options: TunnelOptions,
    private readonly workerFile: string,
  ) {
    this.timings = { ...DEFAULT_TIMINGS, ...options.timings };
    this.tunnelHost = options.tunnelHost ?? DEFAULT_TUNNEL_HOST;
  }

  current(): TunnelRecord {
    return this.record;
  }

  connect(): void {
    this.timer = undefined;
    this.attempt += 1;
    this.emit({ kind: 'tunnel', status: 'connecting', attempt: this.attempt });
    const workerOptions: WorkerOptions = {
      localPort: this.options.localPort,
      localHost: dialAddress(this.options.localHost),
      tunnelHost: this.tunnelHost,
      ...(this.options.subdomain ? { subdomain: this.options.subdomain } : {}),
    };
    // execArgv: [] so the worker does not inherit a test runner's or debugger's flags.
    const worker = fork(this.workerFile, [JSON.stringify(workerOptions)], {
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
      execArgv: [],
    });
    this.worker = worker;
    this.alive.set(
      worker,
      new Promise((resolve) => {
        worker.once('exit', () => resolve());
        // A process that never started emits `error` and no `exit`.
        worker.once('error', () => worker.pid === undefined && resolve());
      }),
    );
    worker.once('exit', (code, signal) => {
      this.alive.delete(worker);
      if (worker !== this.worker) return;
      const how = signal ? `was ended by ${signal}` : `exited with code ${code}`;
      this.lose(`The tunnel process ${how}`);
    });
    worker.on('error', (error) => {
      if (worker.pid === undefined) this.alive.delete(worker);
      if (worker === this.worker) this.lose(`The tunnel process could not run: ${error.message}`);
    });
    worker.on('message', (message: unknown) => {
      if (worker === this.worker && isWorkerMessage(message)) this.onWorkerMessage(message);
    });
    this.timer = setTimeout(
      () => this.retry('error', `The tunnel server at ${this.tunnelHost} gave no tunnel within ${inWords(this.timings.openTimeoutMs)}`),
      this.timings.openTimeoutMs,
    );
  }

  private onWorkerMessage(message: WorkerMessage): void {
    if (message.kind === 'up') this.onUp(message.url);
    else if (message.kind === 'failed') this.retry('error', message.problem);
    else this.retry('down', message.problem);
  }

  private onUp(url: string): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const requested = this.options.subdomain;
    const got = subdomainOf(url);
    const replaced = requested !== undefined && got !== requested;
    // The relay keeps a dropped client's subdomain for a grace period, so a quick reconnect
    // can find its own old name taken. Try again a few times before settling for a new URL,
    // since the old one is the one pasted into CoreOne.
    if (replaced && this.heldRequestedSubdomain && this.reclaims < RECLAIM_TRIES) {
      this.reclaims += 1;
      this.retry('error', `The tunnel server still holds subdomain "${requested}" for the connection that just dropped`);
      return;
    }
    if (!replaced && requested !== undefined) this.heldRequestedSubdomain = true;
    this.reclaims = 0;
    this.failuresInARow = 0;
    const record: TunnelRecord = { kind: 'tunnel', status: 'up', url, attempt: this.attempt };
    if (replaced) {
      record.requestedSubdomain = requested;
      record.note = `Subdomain "${requested}" is taken on ${this.tunnelHost}, so the public URL is ${url}, not the one asked for: use this URL in CoreOne's WebhookURL.`;
    }
    if (this.options.probe === false) {
      this.emit(record);
      return;
    }
    this.emit({ ...record, probe: 'pending' });
    void this.runProbe(url, record);
  }

  private async runProbe(url: string, record: TunnelRecord): Promise<void> {
    const result = await this.probe(url);
    if (result === undefined) return;
    this.emit(probeRecord(record, result));
    if (result.kind === 'ok') this.scheduleRecheck(url);
  }

  /** Sends the probe again later; from now on, a failure means the tunnel stopped working. */
  private scheduleRecheck(url: string): void {
    this.timer = setTimeout(async () => {
      this.timer = undefined;
      const result = await this.probe(url);
      if (result === undefined) return;
      if (result.kind === 'ok') this.scheduleRecheck(url);
      else this.retry('down', `The tunnel stopped passing requests to this listener (a check request to ${url} ${failedHow(result)})`);
    }, this.timings.recheckMs);
  }

  /** The probe's verdict, or undefined when the attempt it was for has ended meanwhile. */
  private async probe(url: string): Promise<ProbeResult | undefined> {
    const worker = this.worker;
    const abort = new AbortController();
    this.probeAbort = abort;
    const route = this.options.probeRoute?.(url) ?? { url };
    const result = await probeThrough(route, this.timings.probeTimeoutMs, abort.signal);
    if (worker !== this.worker || abort.signal.aborted) return undefined;
    this.probeAbort = undefined;
    return result;
  }

  /** The current attempt failed (`error`) or an open tunnel broke (`down`): end it and try again later. */
  private retry(status: 'error' | 'down', problem: string): void {
    this.endAttempt();
    const base = Math.min(this.timings.backoffMaxMs, this.timings.backoffInitialMs * 2 ** this.failuresInARow);
    const delay = Math.round(base * (1 + this.timings.jitter * (this.options.random ?? Math.random)()));
    this.failuresInARow += 1;
    this.emit({
      kind: 'tunnel',
      status,
      error: `${problem}; ${status === 'down' ? 'reconnecting' : 'retrying'} in ${inWords(delay)}.`,
      attempt: this.attempt,
      retryInMs: delay,
    });
    this.timer = setTimeout(() => this.connect(), delay);
  }

  /** The worker ended or could not start: a `down` if the tunnel was up, else a failed attempt. */
  private lose(problem: string): void {
    this.retry(this.record.status === 'up' ? 'down' : 'error', problem);
  }

  private endAttempt(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.probeAbort?.abort();
    this.probeAbort = undefined;
    const worker = this.worker;
    this.worker = undefined;
    // SIGKILL: the worker holds nothing worth a clean exit, and this is the one signal a
    // busy client loop cannot delay.
    if (worker && worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.endAttempt();
      await Promise.all(this.alive.values());
      this.record = { kind: 'tunnel', status: 'down', note: 'The tunnel is closed.' };
    })();
    return this.stopping;
  }

  private emit(record: TunnelRecord): void {
    if (this.stopping) return;
    this.record = record;
    this.options.onState(record);
  }
}

function failedHow(result: Exclude<ProbeResult, { kind: 'ok' }>): string {
  if (result.kind === 'unreachable') return `failed: ${result.reason}`;
  return `got ${result.html ? 'an HTML page' : 'a reply'} with HTTP ${result.status} from the tunnel server, not from this listener`;
}

/** The start-up probe's verdict as a record. */
function probeRecord(record: TunnelRecord, result: ProbeResult): TunnelRecord {
  if (result.kind === 'ok') return { ...record, probe: 'ok' };
  if (result.kind === 'unreachable') {
    const note = `Could not check the tunnel from here (a test request to ${record.url} failed: ${result.reason}); CoreOne may still reach it.`;
    return { ...record, probe: 'unverified', note: record.note ? `${record.note} ${note}` : note };
  }
  const what = result.html ? `an HTML page (HTTP ${result.status}), likely an interstitial or login page,` : `HTTP ${result.status}`;
  return {
    ...record,
    status: 'error',
    probe: 'blocked',
    error:
      `The tunnel server answered a test request to ${record.url} with ${what} instead of passing it to this listener: ` +
      `CoreOne's POSTs would get that too and never reach coreone-inspect; run your own localtunnel server and pass --tunnel-host <its URL>.`,
  };
}
