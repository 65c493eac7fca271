// `node dist/bench/schema.js`: the shape learning of issue 15, on its own (it is not part
// of `npm run bench`'s listener figures: the listener never learns shapes).
//   learn  10,000 events of ~2 KB over the 33 catalogued types, from body text to shapes
//          (JSON.parse included, as `schema` does it); target under 1 s.
//   drift  one event's drift once its type's shape holds ~300 events (walk, compare and
//          learn, JSON.parse excluded: the TUI parses nothing else for it); target a
//          median under 0.5 ms.
// Bodies vary the way real traffic does: optional keys, a field whose kind changes, lists
// of different lengths, so the drift is not always empty.
import { performance } from 'node:perf_hooks';
import { WEBHOOK_TYPES } from '../server/catalogue/webhook-types.js';
import { jsonBody, Shapes } from '../server/schema/drift.js';

const EVENTS = 10_000;
const ROUNDS = 5;
const TARGETS = { learnMs: 1000, driftMedianMs: 0.5 };

const STATUSES = ['Pending', 'Received', 'In Progress', 'Reviewed', 'Finalized'];

/** A deterministic body of about 2 KB for event `seq` (the report prints the average). */
function body(seq: number, type: string): string {
  const tests = [];
  for (let i = 0; i < 26 + (seq % 5); i++) {
    tests.push({ code: `T${(seq * 7 + i) % 997}`, name: `Panel ${i}`, result: (seq + i) % 6 === 0 ? null : (seq + i) % 100, units: 'mg/dL' });
  }
  return JSON.stringify({
    id: 100000 + seq,
    event: type,
    accession: {
      number: `A-${2400 + (seq % 500)}`,
      status: STATUSES[seq % STATUSES.length],
      ...(seq % 7 === 0 ? { priority: 'stat' } : {}),
      client: { id: seq % 97 === 0 ? String(seq % 40) : seq % 40, name: `Clinic ${seq % 40}` },
    },
    patient: { name: 'Biscuit', species: seq % 3 === 0 ? 'canine' : 'feline', age: seq % 15 },
    tests,
    updated_at: new Date(Date.UTC(2024, 0, 1) + seq * 1000).toISOString(),
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const types = WEBHOOK_TYPES.map((entry) => entry.type);
const events = Array.from({ length: EVENTS }, (_, i) => {
  const type = types[i % types.length]!;
  return { type, text: body(i + 1, type) };
});
const averageBytes = events.reduce((sum, event) => sum + Buffer.byteLength(event.text), 0) / EVENTS;

const learnMs: number[] = [];
let drifted = 0;
for (let round = 0; round < ROUNDS; round++) {
  const shapes = new Shapes();
  drifted = 0;
  const start = performance.now();
  for (const event of events) {
    const changes = shapes.observe(event.type, jsonBody({ body: event.text, bodyEncoding: 'utf8' }));
    if (changes !== null && changes.length > 0) drifted++;
  }
  learnMs.push(performance.now() - start);
}

// Drift of one event: every event parsed beforehand, timed one by one.
const parsed = events.map((event) => ({ type: event.type, value: JSON.parse(event.text) as unknown }));
const shapes = new Shapes();
const driftMs: number[] = [];
for (const [i, event] of parsed.entries()) {
  const start = performance.now();
  shapes.observe(event.type, { value: event.value });
  if (i >= EVENTS / 2) driftMs.push(performance.now() - start);
}

const ok = (value: number, target: number) => (value < target ? 'ok' : 'OVER TARGET');
const learn = median(learnMs);
const drift = median(driftMs);
const p99 = [...driftMs].sort((a, b) => a - b)[Math.floor(driftMs.length * 0.99)]!;
console.log(`shape learning, ${EVENTS} events of ${Math.round(averageBytes)} B average over ${types.length} types (${drifted} with drift)`);
console.log(`  learn all (median of ${ROUNDS}): ${learn.toFixed(1)} ms  [target < ${TARGETS.learnMs} ms: ${ok(learn, TARGETS.learnMs)}]`);
console.log(`  drift of one event: median ${(drift * 1000).toFixed(1)} µs, p99 ${(p99 * 1000).toFixed(1)} µs  [target median < ${TARGETS.driftMedianMs} ms: ${ok(drift, TARGETS.driftMedianMs)}]`);
