// The `curl` job (options in cli/commands/curl/command.ts): read the fixture, print the command.
import { curlOf } from '../../../server/export/curl.js';
import { FixtureError, readFixture } from '../../../server/store/fixtures.js';
import { UsageError } from '../../errors.js';
import type { Io } from '../../io.js';
import type { CurlOptions } from './options.js';

export async function printCurl(file: string, options: CurlOptions, io: Io): Promise<void> {
  try {
    io.stdout.write(`${curlOf(await readFixture(file), options.to)}\n`);
  } catch (error) {
    if (error instanceof FixtureError) throw new UsageError(error.message);
    throw error;
  }
}
