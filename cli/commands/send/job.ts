// The `send` job (options in cli/commands/send/command.ts): sign and POST one webhook, with the
// type's illustrative sample body or the bytes given with --data.
import { readFile } from 'node:fs/promises';
import { isKnownType } from '../../../server/catalogue/webhook-types.js';
import { fileErrorReason } from '../../../server/store/file-errors.js';
import { sampleBody } from '../../../server/catalogue/samples.js';
import { sendWebhook } from '../../../server/delivery/post.js';
import type { SendOptions } from './options.js';
import { delivered, formatDelivery, isJson, signingFor, signingLabel } from '../delivery.js';
import { NegativeAnswer, UsageError, warn } from '../../errors.js';
import { readAll, type Io } from '../../io.js';
import { safeText } from '../../output/terminal-text.js';

export async function send(type: string, options: SendOptions, io: Io): Promise<void> {
  const signing = signingFor(options, io);
  let body: Buffer;
  let origin: string;
  if (options.data !== undefined) {
    body = await readData(options.data, io.stdin);
    origin = options.data === '-' ? 'standard input' : options.data;
    if (!isKnownType(type)) warn(io.stderr, `"${safeText(type)}" is not one of the 33 catalogued webhook types; sending it anyway.`);
    if (!isJson(body)) warn(io.stderr, `The body from ${origin} is not valid JSON; sending it anyway.`);
  } else {
    const sample = sampleBody(type);
    if (sample === null) {
      throw new UsageError(
        `"${safeText(type)}" is not a catalogued webhook type: run \`coreone-inspect types\` for the 33, or give a body with --data.`,
      );
    }
    body = sample;
    origin = 'illustrative sample';
  }
  io.stdout.write(`→ ${safeText(type)} to ${options.to} (${origin}, ${body.length} bytes, ${signingLabel(signing)})\n`);
  const result = await sendWebhook({ url: new URL(options.to), type, body, signing, timeoutMs: options.timeout });
  io.stdout.write(formatDelivery(result));
  if (!delivered(result)) throw new NegativeAnswer(`No 2xx reply from ${options.to}.`);
}

async function readData(source: string, stdin: NodeJS.ReadableStream): Promise<Buffer> {
  try {
    return source === '-' ? await readAll(stdin) : await readFile(source);
  } catch (error) {
    throw new UsageError(`Cannot read --data ${safeText(source)}: ${fileErrorReason(error)}.`);
  }
}
