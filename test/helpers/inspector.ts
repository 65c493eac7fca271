// An inspector as the tests start it: loopback, free ports, its log and fixtures in `dir`;
// `consumer` subscribes before it listens, as the listen job's printers do.
import { join } from 'node:path';
import { Inspector, type InspectorOptions } from '../../server/inspector.js';
import type { Consumer } from '../../server/events.js';

export async function startInspector(
  dir: string,
  options: Pick<InspectorOptions, 'secret' | 'maxBody' | 'requestTimeoutMs' | 'headersTimeoutMs' | 'forwardTo'>,
  consumer?: Consumer,
): Promise<Inspector> {
  const inspector = await Inspector.open({
    version: 'test',
    host: '127.0.0.1',
    port: 0,
    inspectPort: 0,
    logPath: join(dir, 'events.ndjson'),
    fixturesDir: join(dir, 'fixtures'),
    respondStatus: 200,
    ...options,
  });
  if (consumer) inspector.subscribe(consumer);
  await inspector.listen();
  return inspector;
}
