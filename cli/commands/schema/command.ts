// `coreone-inspect schema [<type>]`: the shape of each webhook type, learnt from the event
// log or a fixtures directory, as JSON Schema or TypeScript, or each event's drift from
// the earlier events of its type (SPEC.md "Schemas, drift and exports"). The job itself
// (job.ts) is imported only when it runs.
import { Command, InvalidArgumentError, Option } from 'commander';
import type { Io } from '../../io.js';
import { MAX_DEPTH, MAX_KEYS, MAX_PATHS } from '../../../server/schema/shape.js';
import { DEFAULT_LOG } from '../listen/command.js';
import type { SchemaFormat, SchemaOptions } from './options.js';

const FORMATS: readonly SchemaFormat[] = ['json-schema', 'typescript'];

function parseFormat(value: string): SchemaFormat {
  if (!(FORMATS as readonly string[]).includes(value)) throw new InvalidArgumentError(`A format must be one of ${FORMATS.join(', ')}.`);
  return value as SchemaFormat;
}

export function schemaCommand(io: Io): Command {
  return new Command('schema')
    .description('Learn the shape of each webhook type from received events: JSON Schema, TypeScript, or the drift of each event.')
    .argument('[type]', 'only this webhook type, e.g. accession/status_change')
    .addOption(new Option('--log <file>', `the event log to learn from (default: ${DEFAULT_LOG})`).conflicts('fixtures'))
    .option('--fixtures <dir>', 'learn from the fixture files under this directory instead of the log')
    .option('--format <format>', `json-schema or typescript`, parseFormat, 'json-schema')
    .option('--drift', 'print NDJSON: one drift record for each event whose shape departs from the earlier ones of its type')
    .addHelpText(
      'after',
      `
Only JSON bodies have a shape. The learning is bounded (${MAX_DEPTH} levels of nesting, ${MAX_KEYS} keys
per object, ${MAX_PATHS} paths per type); a type that hit a bound says so in its output.
Example: coreone-inspect schema --format typescript > coreone-webhooks.d.ts`,
    )
    .action(async (type: string | undefined, options: SchemaOptions) => {
      const { schema } = await import('./job.js');
      await schema(type, { ...options, log: options.fixtures === undefined ? (options.log ?? DEFAULT_LOG) : undefined }, io);
    });
}
