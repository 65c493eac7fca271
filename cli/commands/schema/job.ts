// The `schema` job (options in cli/commands/schema/command.ts): read the events, in log
// order, from the log or a fixtures directory; learn one shape per type, drift and all;
// print the schemas, the declarations or the drift records.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { jsonBody, Shapes, type Change } from '../../../server/schema/drift.js';
import { limitsComment, typeSchema } from '../../../server/schema/json-schema.js';
import { typescriptDeclarations } from '../../../server/schema/typescript.js';
import { fileErrorReason } from '../../../server/store/file-errors.js';
import { FixtureError, readFixture } from '../../../server/store/fixtures.js';
import { UsageError, warn } from '../../errors.js';
import type { Io } from '../../io.js';
import { safeText } from '../../output/terminal-text.js';
import { readLog } from '../read-log.js';
import type { SchemaOptions } from './options.js';

/** One event to learn from: a log event, or a fixture (its file as id, its place in time order as seq). */
interface Sample {
  id: string;
  seq: number;
  type: string | null;
  body: { value: unknown } | undefined;
}

export async function schema(type: string | undefined, options: SchemaOptions, io: Io): Promise<void> {
  const { samples, source } = options.fixtures !== undefined ? await fromFixtures(options.fixtures, io) : await fromLog(options.log!, io);
  const shapes = new Shapes();
  const drift: Array<{ kind: 'drift'; id: string; seq: number; type: string; changes: Change[] }> = [];
  let withoutShape = 0;
  for (const sample of samples) {
    if (type !== undefined && sample.type !== type) continue;
    const changes = shapes.observe(sample.type, sample.body);
    if (changes === null) withoutShape++;
    else if (changes.length > 0) drift.push({ kind: 'drift', id: sample.id, seq: sample.seq, type: sample.type!, changes });
  }
  const learnt = shapes.all();
  const what = type === undefined ? 'events' : `${safeText(type)} events`;
  if (withoutShape > 0) warn(io.stderr, `${withoutShape} of the ${what} in ${source} had no JSON body (or no type), so no shape: left out.`);
  if (learnt.length === 0) warn(io.stderr, `No JSON ${what} in ${source}: the schema is empty.`);
  for (const shape of learnt) {
    const comment = limitsComment(shape);
    if (comment !== null) warn(io.stderr, `${safeText(shape.type)}: ${comment}`);
  }
  if (options.drift) {
    for (const record of drift) io.stdout.write(`${JSON.stringify(record)}\n`);
  } else if (options.format === 'typescript') {
    io.stdout.write(await typescriptDeclarations(learnt));
  } else {
    io.stdout.write(`${JSON.stringify(Object.fromEntries(learnt.map((shape) => [shape.type, typeSchema(shape)])), null, 2)}\n`);
  }
}

async function fromLog(log: string, io: Io): Promise<{ samples: Sample[]; source: string }> {
  const events = await readLog(log, io);
  return { samples: events.map((event) => ({ id: event.id, seq: event.seq, type: event.type, body: jsonBody(event) })), source: log };
}

/**
 * Every fixture under `dir` (at any depth), oldest first by receivedAt, then by file name.
 * A .json file that is not a fixture is skipped with a warning: a fixtures directory in a
 * test suite may hold other JSON.
 */
async function fromFixtures(dir: string, io: Io): Promise<{ samples: Sample[]; source: string }> {
  let files: string[];
  try {
    files = (await readdir(dir, { recursive: true })).filter((file) => file.endsWith('.json')).sort();
  } catch (error) {
    throw new UsageError(`Cannot read the fixtures directory ${dir}: ${fileErrorReason(error)}.`);
  }
  const read: Array<{ file: string; receivedAt: string; sample: Omit<Sample, 'seq'> }> = [];
  for (const file of files) {
    try {
      const fixture = await readFixture(path.join(dir, file));
      read.push({ file, receivedAt: fixture.receivedAt, sample: { id: file, type: fixture.type, body: jsonBody(fixture) } });
    } catch (error) {
      if (!(error instanceof FixtureError)) throw error;
      warn(io.stderr, `${error.message} Skipped.`);
    }
  }
  read.sort((a, b) => (a.receivedAt < b.receivedAt ? -1 : a.receivedAt > b.receivedAt ? 1 : 0));
  return { samples: read.map((entry, index) => ({ ...entry.sample, seq: index + 1 })), source: dir };
}
