// A steady sender for the latency benchmark, in a process of its own:
//   node paced-sender.js '<json options>'
// Sends signed POSTs at a fixed rate, each stamped in its body with the send time and
// sent to a path of its own (/probe/<n>, so the listener's receipt can be matched to the
// stream client's), on keep-alive connections. Prints {"kind":"warmed"} after the warm-up and
// {"kind":"done","sent","failed"} at the end.
import { Agent, request } from 'node:http';
import { emit, failWith } from './child.js';
import { jsonBody, signedHeaders, stampBody } from './bodies.js';

interface SenderOptions {
  url: string;
  size: number;
  ratePerS: number;
  warmupS: number;
  durationS: number;
}

const options = JSON.parse(process.argv[2]!) as SenderOptions;
const agent = new Agent({ keepAlive: true, maxSockets: 16 });
const template = jsonBody(options.size, true);
const intervalNs = BigInt(Math.round(1e9 / options.ratePerS));
const warmCount = Math.round(options.warmupS * options.ratePerS);
const total = warmCount + Math.round(options.durationS * options.ratePerS);

let sent = 0;
let failed = 0;
let settled = 0;

function sendOne(): void {
  const body = Buffer.from(template);
  stampBody(body, process.hrtime.bigint());
  const headers = { ...signedHeaders('listener', body), 'content-length': String(body.length) };
  const req = request(`${options.url}/probe/${sent}`, { method: 'POST', agent, headers }, (res) => {
    if (res.statusCode !== 200) failed++;
    res.resume();
    res.on('end', finished);
  });
  req.on('error', () => {
    failed++;
    finished();
  });
  req.end(body);
  sent++;
}

function finished(): void {
  if (++settled === total) {
    emit({ kind: 'done', sent, failed });
    agent.destroy();
  }
}

// Each send is scheduled from the start time, not from the previous send, so timer
// lateness does not accumulate into a lower rate.
const start = process.hrtime.bigint();
function tick(): void {
  const now = process.hrtime.bigint();
  while (sent < total && start + BigInt(sent) * intervalNs <= now) {
    sendOne();
    if (sent === warmCount) emit({ kind: 'warmed' });
  }
  if (sent < total) {
    const wait = Number(start + BigInt(sent) * intervalNs - process.hrtime.bigint()) / 1e6;
    setTimeout(tick, Math.max(0, wait));
  }
}

process.on('uncaughtException', failWith);
tick();
