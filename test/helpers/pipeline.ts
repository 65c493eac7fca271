// A pipeline as the tests start it: loopback, free ports, its log and fixtures in `dir`.
import { join } from 'node:path';
import { Pipeline, type PipelineOptions } from '../../server/pipeline.js';

export function startPipeline(dir: string, options: Pick<PipelineOptions, 'secret' | 'maxBody' | 'requestTimeoutMs' | 'headersTimeoutMs'>): Promise<Pipeline> {
  return Pipeline.start({
    version: 'test',
    host: '127.0.0.1',
    port: 0,
    inspectPort: 0,
    logPath: join(dir, 'events.ndjson'),
    fixturesDir: join(dir, 'fixtures'),
    respondStatus: 200,
    ...options,
  });
}
