// The running inspector: the listener, the durable log and the inspector stream, composed.
// It never prints: every outcome is a typed `PipelineEvent`, consumed alike by the NDJSON
// printer, the plain printer and (through the stream) the TUI.
import { resolve as resolvePath } from 'node:path';
import { EventLog } from './event-log.js';
import { buildEvent, newEventId, type ReceivedRequest } from './event-record.js';
import { InspectorStream } from './inspector-stream.js';
import { startListener, type Listener } from './listener.js';
import { secretInfo } from './secret-info.js';
import type { ClientMessage, EventRecord, HelloMessage, InspectorMessage, ReadyRecord, TunnelRecord } from './types.js';

export const DEFAULT_HISTORY_LIMIT = 1000;

export interface PipelineOptions {
  version: string;
  host: string;
  port: number;
  inspectPort: number;
  secret: string | null;
  logPath: string;
  fixturesDir: string;
  maxBody: number;
  respondStatus: number;
  requestTimeoutMs: number;
  headersTimeoutMs: number;
  historyLimit?: number;
}

export type PipelineEvent =
  | { kind: 'event'; record: EventRecord; line: string }
  | { kind: 'tunnel'; record: TunnelRecord; line: string }
  /** Recoverable trouble worth one sentence (a torn log line skipped, a write that failed). */
  | { kind: 'warning'; message: string };

export class Pipeline {
  readonly ready: ReadyRecord;
  #options: PipelineOptions;
  #log: EventLog;
  #listener: Listener;
  #stream: InspectorStream;
  #subscribers = new Set<(event: PipelineEvent) => void>();
  #seq: number;
  #tunnel: TunnelRecord | null = null;
  #startupWarnings: string[];
  #closed = false;

  private constructor(
    options: PipelineOptions,
    log: EventLog,
    listener: Listener,
    stream: InspectorStream,
    warnings: string[],
  ) {
    this.#options = options;
    this.#log = log;
    this.#listener = listener;
    this.#stream = stream;
    this.#seq = log.lastSeq;
    this.#startupWarnings = warnings;
    this.ready = {
      kind: 'ready',
      version: options.version,
      webhookUrl: listener.url,
      inspectUrl: stream.url,
      tunnelUrl: null,
      logPath: log.path,
      fixturesDir: resolvePath(options.fixturesDir),
    };
  }

  static async start(options: PipelineOptions): Promise<Pipeline> {
    const historyLimit = options.historyLimit ?? DEFAULT_HISTORY_LIMIT;
    const { log, warnings } = await EventLog.open(resolvePath(options.logPath), historyLimit);
    let pipeline: Pipeline | undefined;
    const accept = (request: ReceivedRequest): Promise<{ id: string }> => pipeline!.#accept(request);
    let listener: Listener | undefined;
    let stream: InspectorStream | undefined;
    try {
      listener = await startListener({
        host: options.host,
        port: options.port,
        maxBody: options.maxBody,
        requestTimeoutMs: options.requestTimeoutMs,
        headersTimeoutMs: options.headersTimeoutMs,
        respondStatus: options.respondStatus,
        accept,
        onProblem: (message) => pipeline!.#emit({ kind: 'warning', message }),
      });
      stream = new InspectorStream({
        port: options.inspectPort,
        hello: () => pipeline!.#hello(),
        history: log,
        onMessage: (message) => pipeline!.#onClientMessage(message),
      });
      await stream.listen();
    } catch (error) {
      await listener?.close();
      await log.close();
      throw error;
    }
    pipeline = new Pipeline(options, log, listener, stream, warnings);
    return pipeline;
  }

  /**
   * Subscribes a consumer. Warnings found while opening the log are delivered to the first
   * subscriber, so they are not lost before anyone listens.
   */
  subscribe(consumer: (event: PipelineEvent) => void): () => void {
    this.#subscribers.add(consumer);
    for (const message of this.#startupWarnings.splice(0)) consumer({ kind: 'warning', message });
    return () => this.#subscribers.delete(consumer);
  }

  get port(): number {
    return this.#listener.port;
  }

  /** The tunnel's state changed: remembered for `hello`, streamed, and emitted. */
  setTunnel(record: TunnelRecord): void {
    this.#tunnel = record;
    const line = JSON.stringify(record);
    this.#stream.broadcast({ line });
    this.#emit({ kind: 'tunnel', record, line });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([this.#listener.close(), this.#stream.close()]);
    await this.#log.close();
  }

  async #accept(request: ReceivedRequest): Promise<{ id: string }> {
    const seq = ++this.#seq;
    const id = newEventId();
    const event = buildEvent(request, { id, seq, receivedAt: new Date() }, this.#options.secret);
    const record: EventRecord = { kind: 'event', event };
    const line = JSON.stringify(record);
    await this.#log.appendEvent(seq, line);
    this.#stream.broadcast({ line, seq });
    this.#emit({ kind: 'event', record, line });
    return { id };
  }

  #emit(event: PipelineEvent): void {
    for (const consumer of this.#subscribers) consumer(event);
  }

  #hello(): HelloMessage {
    return {
      kind: 'hello',
      version: this.#options.version,
      webhookUrl: this.ready.webhookUrl,
      tunnelUrl: this.#tunnel?.status === 'up' ? (this.#tunnel.url ?? null) : null,
      secret: secretInfo(this.#options.secret),
      tunnel: this.#tunnel,
      logPath: this.ready.logPath,
      historyLimit: this.#log.historyLimit,
    };
  }

  async #onClientMessage(message: ClientMessage): Promise<InspectorMessage | null> {
    return { kind: 'error', message: `"${message.kind}" is not available in this version yet.` };
  }
}
