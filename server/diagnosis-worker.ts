// The diagnosis worker's entry (a worker thread; see diagnosis-off-loop.ts): searches the
// mistakes for one mismatched hash at a time and posts the diagnosis back.
import { parentPort } from 'node:worker_threads';
import { Buffer } from 'node:buffer';
import { diagnose } from './diagnosis.js';
import type { DiagnosisRequest, DiagnosisReply } from './diagnosis-off-loop.js';

parentPort!.on('message', ({ id, status, body, received, secret, expected }: DiagnosisRequest) => {
  const reply: DiagnosisReply = { id, diagnosis: diagnose(status, body, received, secret, Buffer.from(expected)) };
  parentPort!.postMessage(reply);
});
