// The running inspector: the listener, the durable log and the inspector stream, composed.
// It never prints: every outcome is a typed `PipelineEvent`, consumed alike by the NDJSON
// printer, the plain printer and (through the stream) the TUI.
import { resolve as resolvePath } from 'node:path';
import { DEFAULT_HISTORY_LIMIT } from './defaults.js';
import { EventLog } from './event-log.js';
import { newEventId, summarizeRequest, withBody, type EventSummary, type ReceivedRequest } from './event-record.js';
import { encodeEventLine } from './event-line.js';
import { OFF_LOOP_BODY, OffLoopDiagnosis } from './diagnosis-off-loop.js';
import { diagnose } from './diagnosis.js';
import { saveFixture } from './fixtures.js';
import { createForwarder, type Forwarder } from './forward.js';
import { sampleBody } from './samples.js';
import { sendWebhook } from './send.js';
import { InspectorStream } from './inspector-stream.js';
import { startListener, type Acknowledgement, type Listener } from './listener.js';
import { secretInfo } from './secret-info.js';
import type {
  ClientMessage,
  Diagnosis,
  EventRecord,
  ForwardRecord,
  HelloMessage,
  ReadyRecord,
  SavedRecord,
  TunnelRecord,
  WebhookEvent,
} from './types.js';
import { errorMessage } from './error-message.js';

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
  /** Deliver every event to this URL too (SPEC.md --forward-to). */
  forwardTo?: string;
  forwardTimeoutMs?: number;
  /** Save every event as a fixture as it arrives. */
  saveAll?: boolean;
  historyLimit?: number;
}

/** Each record comes with its NDJSON line (newline included), as the log holds it. */
export type PipelineEvent =
  | { kind: 'event'; record: EventRecord; line: Buffer }
  | { kind: 'tunnel'; record: TunnelRecord; line: Buffer }
  | { kind: 'forward'; record: ForwardRecord; line: Buffer }
  | { kind: 'saved'; record: SavedRecord; line: Buffer }
  /** Recoverable trouble worth one sentence (a torn log line skipped, a write that failed). */
  | { kind: 'warning'; message: string };

export class Pipeline {
  readonly ready: ReadyRecord;
  #options: PipelineOptions;
  #log: EventLog;
  #listener: Listener;
  #stream: InspectorStream;
  #forwarder: Forwarder | null;
  #diagnosis = new OffLoopDiagnosis();
  #subscribers = new Set<(event: PipelineEvent) => void>();
  #seq: number;
  #tunnel: TunnelRecord | null = null;
  #startupWarnings: string[];
  #closed = false;
  #lastWarning: string | null = null;

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
    this.#forwarder = options.forwardTo ? createForwarder({ url: options.forwardTo, timeoutMs: options.forwardTimeoutMs }) : null;
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
    const accept = (request: ReceivedRequest, ack: Acknowledgement): void => pipeline!.#accept(request, ack);
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
      await log.discard();
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
    const line = recordLine(record);
    this.#stream.broadcast({ line: messageText(line) });
    this.#emit({ kind: 'tunnel', record, line });
  }

  /** Saves a recorded event as a fixture; resolves with the `saved` record it announced. */
  async save(id: string): Promise<SavedRecord> {
    const event = await this.#recorded(id);
    const path = await saveFixture(this.ready.fixturesDir, event);
    const record: SavedRecord = { kind: 'saved', id, path };
    this.#announce(record);
    return record;
  }

  /** Delivers a recorded event to --forward-to again; resolves with the `forward` record. */
  async replay(id: string): Promise<ForwardRecord> {
    if (!this.#forwarder) throw new Error('Replay delivers to --forward-to, and this listener was started without it.');
    return this.#forward(this.#forwarder, await this.#recorded(id));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([this.#listener.close(), this.#stream.close(), this.#diagnosis.close()]);
    await this.#log.close();
  }

  /** Records a request as the next event; `ack` hears its id once the log holds it. */
  #accept(request: ReceivedRequest, ack: Acknowledgement): void {
    const id = newEventId();
    const receivedAt = Date.now();
    const secret = this.#options.secret;
    if (request.body.length < OFF_LOOP_BODY || !secret) {
      this.#commit(request, summarizeRequest(request, { id, seq: ++this.#seq, receivedAt }, secret), ack);
      return;
    }
    // A large body: its verdict now, and a mismatch's diagnosis in the worker. Its seq is
    // given when it is committed, so that seq stays the log's order (events that arrive
    // meanwhile may be committed first; receivedAt keeps the order of arrival).
    const summary = summarizeRequest(request, { id, seq: 0, receivedAt }, secret, false);
    const signature = summary.tail.signature;
    const commit = (): void => {
      summary.head.seq = ++this.#seq;
      this.#commit(request, summary, ack);
    };
    const status = signature.status;
    if (status !== 'invalid' && status !== 'malformed') {
      commit();
      return;
    }
    const mismatch = { status, body: request.body, received: signature.received!, secret, expected: Buffer.from(signature.expected!, 'hex') };
    // In place when the worker has too much waiting (MAX_WAITING_BYTES), or should it fail
    // (or be stopped, at shutdown): slower for everyone, but the event still gets its
    // diagnosis and its line in the log.
    const inPlace = (): Diagnosis[] => diagnose(status, mismatch.body, mismatch.received, secret, mismatch.expected);
    const diagnosis = this.#diagnosis.hasRoom(mismatch.body.length) ? this.#diagnosis.diagnose(mismatch).catch(inPlace) : Promise.resolve(inPlace());
    diagnosis
      .then((found) => {
        signature.diagnosis = found;
        commit();
      })
      .catch((error: unknown) => ack.failed(error));
  }

  /** Writes a summarized event to the log; then publishes it and acknowledges it. */
  #commit(request: ReceivedRequest, summary: EventSummary, ack: Acknowledgement): void {
    const { seq, id } = summary.head;
    const line = encodeEventLine(summary, request.body);
    this.#log.appendEvent({ seq, id }, line, (error) => {
      if (error) {
        ack.failed(error);
        return;
      }
      try {
        this.#publish(request, summary, line, seq, id);
      } catch (failure) {
        // The event is durable whatever went wrong after: it is still acknowledged.
        this.#emit({ kind: 'warning', message: errorMessage(failure) });
      }
      ack.accepted(id);
    });
  }

  /** A durable event, to the stream, the subscribers, --forward-to and --save-all. */
  #publish(request: ReceivedRequest, summary: EventSummary, line: Buffer, seq: number, id: string): void {
    this.#stream.broadcast({ line: messageText(line), seq });
    if (this.#subscribers.size === 0 && !this.#forwarder && !this.#options.saveAll) return;
    // The whole Event object (its body decoded to text) is made only for a consumer that
    // reads it: the log, the stream and the --json printer all take the line.
    let event: WebhookEvent | undefined;
    const whole = (): WebhookEvent => (event ??= withBody(summary, request.body));
    if (this.#subscribers.size > 0) {
      this.#emit({
        kind: 'event',
        line,
        get record(): EventRecord {
          return { kind: 'event', event: whole() };
        },
      });
    }
    // Started after the log write, and never waited for: the sender's answer does not
    // depend on the app or the disk.
    if (this.#forwarder) void this.#forward(this.#forwarder, whole());
    if (this.#options.saveAll) {
      void saveFixture(this.ready.fixturesDir, whole()).then(
        (path) => this.#announce({ kind: 'saved', id, path }),
        (error: unknown) => this.#emit({ kind: 'warning', message: errorMessage(error) }),
      );
    }
  }

  async #forward(forwarder: Forwarder, event: WebhookEvent): Promise<ForwardRecord> {
    const record = await forwarder.deliver(event);
    this.#announce(record);
    return record;
  }

  /** A forward or saved record: into the log (not the event history), the stream and the printers. */
  #announce(record: ForwardRecord | SavedRecord): void {
    const line = recordLine(record);
    if (!this.#closed) {
      this.#log.appendRecord(line, (error) => {
        if (error) this.#emit({ kind: 'warning', message: error.message });
      });
    }
    this.#stream.broadcast({ line: messageText(line) });
    this.#emit(record.kind === 'saved' ? { kind: 'saved', record, line } : { kind: 'forward', record, line });
  }

  /** An event of the history, read back from the log. */
  async #recorded(id: string): Promise<WebhookEvent> {
    const entry = this.#log.find(id);
    if (!entry) throw new Error(`No event ${id} among the last ${this.#log.historyLimit} events.`);
    return (JSON.parse((await this.#log.read(entry)).toString('utf8')) as EventRecord).event;
  }

  #emit(event: PipelineEvent): void {
    if (event.kind === 'warning') {
      // A failing disk fails every write the same way: say it once, not once per event.
      if (event.message === this.#lastWarning) return;
      this.#lastWarning = event.message;
    }
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

  /**
   * Sends the listener a test event of `type` with its illustrative sample body, signed with
   * the secret when there is one; it then arrives like any other event.
   */
  async sendTest(type: string): Promise<void> {
    const body = sampleBody(type);
    if (!body) throw new Error(`"${type}" is not one of the 33 CoreOne webhook types, so there is no sample to send.`);
    const secret = this.#options.secret;
    const result = await sendWebhook({ url: new URL(this.ready.webhookUrl), type, body, signing: secret ? { secret } : { hash: null } });
    if (result.error) throw new Error(`The test event could not be sent: ${result.error}`);
  }

  /** Save, replay and send answer every client through the broadcast; only failures come back here. */
  async #onClientMessage(message: ClientMessage): Promise<void> {
    if (message.kind === 'save') await this.save(message.id);
    else if (message.kind === 'replay') await this.replay(message.id);
    else await this.sendTest(message.type);
  }
}

function recordLine(record: TunnelRecord | ForwardRecord | SavedRecord): Buffer {
  return Buffer.from(`${JSON.stringify(record)}\n`);
}

/** A line without its newline: the text of its stream message. */
function messageText(line: Buffer): Buffer {
  return line.subarray(0, line.length - 1);
}
