// The diagnosis of a large body's mismatched hash, in a worker thread. The search recomputes
// the hash some 30 ways (diagnosis.ts): on a 5 MiB body, over 100 ms, during which the
// listener would answer no one. In the worker the listener keeps serving, and only the
// request being diagnosed waits for its answer. Small bodies are diagnosed in place: their
// search takes a millisecond or so, and their events keep seq in order of arrival.
import { Worker } from 'node:worker_threads';
import { builtFile } from './built-file.js';
import { errorMessage } from './error-message.js';
import type { Diagnosis } from './types.js';

/** Bodies from this size on are diagnosed in the worker (a search of a millisecond and up). */
export const OFF_LOOP_BODY = 16 * 1024;
/**
 * Body bytes the worker may have waiting: each waits as a copy in its queue. Past this a
 * mismatch is diagnosed in place, which holds the listener back: a sender of large bad
 * bodies then slows down (TCP) instead of filling memory.
 */
export const MAX_WAITING_BYTES = 64 * 1024 * 1024;

export interface DiagnosisRequest {
  id: number;
  status: 'invalid' | 'malformed';
  body: Uint8Array;
  received: string;
  secret: string;
  /** The right digest's bytes. */
  expected: Uint8Array;
}

export interface DiagnosisReply {
  id: number;
  diagnosis: Diagnosis[];
}

type Pending = { bytes: number; resolve: (diagnosis: Diagnosis[]) => void; reject: (error: Error) => void };

export class OffLoopDiagnosis {
  readonly #entry: URL;
  #worker: Worker | null = null;
  #pending = new Map<number, Pending>();
  #nextId = 0;
  #waitingBytes = 0;

  /** `entry`: the worker's module (tests give one that fails). */
  constructor(entry = builtFile('diagnosis-worker.js')) {
    this.#entry = entry;
  }

  /** Whether a body of `bytes` may wait for the worker now (MAX_WAITING_BYTES). */
  hasRoom(bytes: number): boolean {
    return this.#waitingBytes + bytes <= MAX_WAITING_BYTES;
  }

  /** The diagnosis of a mismatched hash; fails (one sentence) only if the worker does. */
  diagnose(request: Omit<DiagnosisRequest, 'id'>): Promise<Diagnosis[]> {
    const id = this.#nextId++;
    const worker = this.#started();
    const bytes = request.body.length;
    this.#waitingBytes += bytes;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { bytes, resolve, reject });
      worker.postMessage({ id, ...request } satisfies DiagnosisRequest);
    });
  }

  /** Stops the worker; diagnoses still running fail. */
  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = null;
    this.#failAll(new Error('The inspector stopped before the diagnosis was done.'));
    await worker?.terminate();
  }

  #started(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(this.#entry);
    // Started on the first large mismatch, and never what keeps the process alive.
    worker.unref();
    worker.on('message', ({ id, diagnosis }: DiagnosisReply) => {
      const pending = this.#pending.get(id);
      if (!pending) return;
      this.#pending.delete(id);
      this.#waitingBytes -= pending.bytes;
      pending.resolve(diagnosis);
    });
    // A worker that fails or stops fails what it had; the next large mismatch starts another.
    let failure = 'it stopped';
    worker.on('error', (error) => (failure = errorMessage(error)));
    worker.on('exit', () => {
      if (this.#worker === worker) this.#worker = null;
      this.#failAll(new Error(`The signature diagnosis failed: ${failure}`));
    });
    this.#worker = worker;
    return worker;
  }

  #failAll(error: Error): void {
    for (const { reject } of this.#pending.values()) reject(error);
    this.#pending.clear();
    this.#waitingBytes = 0;
  }
}
