// The inspector-stream client of the benchmarks, standing in for the TUI in a process of
// its own (pinned to the load generator's CPU, never the listener's):
//   node stream-client.js <inspectUrl> [--latency]
// It counts live events; with --latency it also parses each one and notes, by the event's
// path, the moment the message arrived here and the send stamp in its body (for the
// coordinator to match with the listener's receipt of that path).
// Commands: {"kind":"report"} answers {"kind":"report","events","status","probes"?} and
// starts counting afresh.
import WebSocket from 'ws';
import { readStamp } from './bodies.js';
import { emit, failWith, onCommand } from './child.js';

const [url, mode] = process.argv.slice(2);
const latency = mode === '--latency';

let events = 0;
/** The verdict of the first event since the last report: proves the load was signed right. */
let status: string | null = null;
/** path -> when it arrived here and when it was sent, nanoseconds as decimal strings. */
let probes: Record<string, { arrived: string; sent: string }> = {};
let historyDone = false;

const ws = new WebSocket(url!, { perMessageDeflate: false });
ws.on('error', failWith);
ws.on('close', (code, reason) => failWith(`the stream closed (${code} ${reason.toString()})`));
ws.on('message', (data: Buffer) => {
  const arrived = process.hrtime.bigint();
  if (!historyDone) {
    // hello, then history, then history-end: only live events count.
    if (data.includes('"kind":"history-end"')) {
      historyDone = true;
      emit({ kind: 'connected' });
    }
    return;
  }
  if (!data.subarray(0, 20).includes('"kind":"event"')) return;
  events++;
  if (latency || status === null) {
    const { event } = JSON.parse(data.toString('utf8')) as { event: { body: string; path: string; signature: { status: string } } };
    status ??= event.signature.status;
    const sent = latency ? readStamp(event.body) : null;
    if (sent !== null) probes[event.path] = { arrived: arrived.toString(), sent: sent.toString() };
  }
});

onCommand((message) => {
  if (message.kind !== 'report') return;
  emit({ kind: 'report', events, status, ...(latency ? { probes } : {}) });
  events = 0;
  status = null;
  probes = {};
});
