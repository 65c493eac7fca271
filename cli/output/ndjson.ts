// `--json`: SPEC.md's NDJSON records on stdout, one a line. Each line is the very bytes
// the pipeline wrote to the log, so nothing is serialized twice.
import type { PipelineEvent } from '../../server/pipeline.js';
import type { ReadyRecord } from '../../server/types.js';

export function ndjsonPrinter(out: NodeJS.WritableStream, err: NodeJS.WritableStream) {
  return {
    ready(record: ReadyRecord): void {
      out.write(`${JSON.stringify(record)}\n`);
    },
    consume(event: PipelineEvent): void {
      if (event.kind === 'warning') err.write(`coreone-inspect: warning: ${event.message}\n`);
      else out.write(event.line);
    },
  };
}
