// The composition root: the durable log, the webhook listener and the WebSocket hub. It
// never prints. Every outcome is one `InspectorEvent` (server/events.ts) on one stream,
// which the hub, the NDJSON printer and the plain printer each subscribe to; the TUI and
// the web page are clients of the hub. It starts in two steps: `open` (the log), then
// `listen` (the hub and the listener), so consumers subscribe before anything happens.
import { resolve as resolvePath } from 'node:path';
import { DEFAULT_HISTORY_LIMIT } from './defaults.js';
import { EventLog } from './store/event-log.js';
import { newEventId, summarizeRequest, type EventSummary, type ReceivedRequest } from './record/summarize.js';
import { encodeEventLine } from './record/event-line.js';
import { saveFixture } from './store/fixtures.js';
import { createForwarder, type Forwarder } from './delivery/forward.js';
import { sampleBody } from './catalogue/samples.js';
import { sendWebhook } from './delivery/post.js';
import { StreamHub } from './stream/hub.js';
import { startListener, type Acknowledgement, type Listener } from './http/listener.js';
import { secretInfo } from './signature/secret-info.js';
import type {
  ClientMessage,
  EventRecord,
  ForwardRecord,
  HelloMessage,
  ReadyRecord,
  SavedRecord,
  TunnelRecord,
  WebhookEvent,
} from './types.js';
import { errorMessage } from './error-message.js';
import { recordLine, StreamedEvent, type Consumer, type InspectorEvent } from './events.js';

export interface InspectorOptions {
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
  /** The user's own tunnel or proxy URL (SPEC.md --public-url), known before start, so `ready` carries it. */
  publicUrl?: string;
}

export class Inspector {
  #options: InspectorOptions;
  #log: EventLog;
  #startupWarnings: string[];
  #listener: Listener | null = null;
  #hub: StreamHub | null = null;
  #ready: ReadyRecord | null = null;
  #forwarder: Forwarder | null;
  #consumers = new Set<Consumer>();
  #seq: number;
  #tunnel: TunnelRecord | null = null;
  #closed = false;
  #lastWarning: string | null = null;

  private constructor(options: InspectorOptions, log: EventLog, warnings: string[]) {
    this.#options = options;
    this.#log = log;
    this.#startupWarnings = warnings;
    this.#forwarder = options.forwardTo ? createForwarder({ url: options.forwardTo, timeoutMs: options.forwardTimeoutMs }) : null;
    this.#seq = log.lastSeq;
  }

  /** Step one: opens the durable log (and reads its history back). Nothing listens yet. */
  static async open(options: InspectorOptions): Promise<Inspector> {
    const { log, warnings } = await EventLog.open(resolvePath(options.logPath), options.historyLimit ?? DEFAULT_HISTORY_LIMIT);
    return new Inspector(options, log, warnings);
  }

  /** Adds a consumer of the stream; it sees everything emitted from now on. */
  subscribe(consumer: Consumer): () => void {
    this.#consumers.add(consumer);
    return () => this.#consumers.delete(consumer);
  }

  /**
   * Step two: the WebSocket hub (subscribed like any consumer) and the webhook listener.
   * Emits the log's start-up warnings, then `ready`, which it also returns. On a refused
   * start (a port in use) everything opened is closed again and the error thrown.
   */
  async listen(): Promise<ReadyRecord> {
    const options = this.#options;
    try {
      this.#hub = new StreamHub({
        port: options.inspectPort,
        hello: () => this.#hello(),
        history: this.#log,
        onMessage: (message) => this.#onClientMessage(message),
      });
      await this.#hub.listen();
      this.subscribe((event) => this.#hub!.consume(event));
      this.#listener = await startListener({
        host: options.host,
        port: options.port,
        maxBody: options.maxBody,
        requestTimeoutMs: options.requestTimeoutMs,
        headersTimeoutMs: options.headersTimeoutMs,
        respondStatus: options.respondStatus,
        accept: (request, ack) => this.#accept(request, ack),
        onProblem: (message) => this.#emit({ kind: 'warning', message }),
      });
    } catch (error) {
      await Promise.all([this.#listener?.close(), this.#hub?.close()]);
      await this.#log.discard();
      throw error;
    }
    for (const message of this.#startupWarnings.splice(0)) this.#emit({ kind: 'warning', message });
    const record: ReadyRecord = {
      kind: 'ready',
      version: options.version,
      webhookUrl: this.#listener.url,
      inspectUrl: this.#hub.url,
      uiUrl: this.#hub.uiUrl,
      tunnelUrl: options.publicUrl ?? null,
      logPath: this.#log.path,
      fixturesDir: resolvePath(options.fixturesDir),
    };
    this.#ready = record;
    this.#emit({ kind: 'ready', record, line: recordLine(record), secret: secretInfo(options.secret) });
    return record;
  }

  /** The `ready` record; only once `listen` has resolved. */
  get ready(): ReadyRecord {
    if (!this.#ready) throw new Error('The inspector is not listening yet: call listen() first.');
    return this.#ready;
  }

  get port(): number {
    return this.#listener!.port;
  }

  /** The tunnel's state changed: remembered for `hello`, streamed, and emitted. */
  setTunnel(record: TunnelRecord): void {
    this.#tunnel = record;
    this.#emit({ kind: 'tunnel', record, line: recordLine(record) });
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
    await Promise.all([this.#listener?.close(), this.#hub?.close()]);
    await this.#log.close();
    this.#emit({ kind: 'done' });
  }

  /** Records a request as the next event; `ack` hears its id once the log holds it. */
  #accept(request: ReceivedRequest, ack: Acknowledgement): void {
    const summary = summarizeRequest(request, { id: newEventId(), seq: ++this.#seq, receivedAt: Date.now() }, this.#options.secret);
    this.#commit(request, summary, ack);
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
        this.#publish(new StreamedEvent(summary, request.body, line));
      } catch (failure) {
        // The event is durable whatever went wrong after: it is still acknowledged.
        this.#emit({ kind: 'warning', message: errorMessage(failure) });
      }
      ack.accepted(id);
    });
  }

  /** A durable event, to the consumers, --forward-to and --save-all. */
  #publish(event: StreamedEvent): void {
    this.#emit(event);
    // Started after the log write, and never waited for: the sender's answer does not
    // depend on the app or the disk.
    if (this.#forwarder) void this.#forward(this.#forwarder, event.record.event);
    if (this.#options.saveAll) {
      const whole = event.record.event;
      void saveFixture(this.ready.fixturesDir, whole).then(
        (path) => this.#announce({ kind: 'saved', id: whole.id, path }),
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
    this.#emit(record.kind === 'saved' ? { kind: 'saved', record, line } : { kind: 'forward', record, line });
  }

  /** An event of the history, read back from the log. */
  async #recorded(id: string): Promise<WebhookEvent> {
    const entry = this.#log.find(id);
    if (!entry) throw new Error(`No event ${id} among the events this inspector knows (its history and those logged since).`);
    return (JSON.parse((await this.#log.read(entry)).toString('utf8')) as EventRecord).event;
  }

  #emit(event: InspectorEvent): void {
    if (event.kind === 'warning') {
      // A failing disk fails every write the same way: say it once, not once per event.
      if (event.message === this.#lastWarning) return;
      this.#lastWarning = event.message;
    }
    for (const consumer of this.#consumers) consumer(event);
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
