// `--json`: SPEC.md's NDJSON records on stdout, one a line. Each line is the very bytes
// the inspector wrote to the log, so nothing is serialized twice.
import type { InspectorEvent } from '../../server/events.js';

export function ndjsonPrinter(out: NodeJS.WritableStream, err: NodeJS.WritableStream): (event: InspectorEvent) => void {
  return (event) => {
    if (event.kind === 'warning') err.write(`coreone-inspect: warning: ${event.message}\n`);
    else if (event.kind !== 'done') out.write(event.line);
  };
}
