// The messages between the tunnel supervisor (server/tunnel/tunnel.ts) and the process that runs
// the localtunnel client (server/tunnel/worker.ts). Kept apart so both sides type-check
// against one definition.

/** Handed to the worker as its only argument, JSON-encoded. */
export interface WorkerOptions {
  localPort: number;
  /** The address the worker dials for each forwarded request. */
  localHost: string;
  tunnelHost: string;
  subdomain?: string;
}

/** What the worker reports over the IPC channel. `problem` reads as the start of a sentence. */
export type WorkerMessage =
  /** A tunnel socket is connected: the relay can forward requests now. */
  | { kind: 'up'; url: string; clientId: string }
  /** The tunnel could not be opened; the worker does nothing more and waits to be ended. */
  | { kind: 'failed'; problem: string }
  /** An open tunnel broke; the worker waits to be ended. */
  | { kind: 'lost'; problem: string };

export function isWorkerMessage(value: unknown): value is WorkerMessage {
  if (typeof value !== 'object' || value === null) return false;
  const kind = (value as { kind?: unknown }).kind;
  return kind === 'up' || kind === 'failed' || kind === 'lost';
}
