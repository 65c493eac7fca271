// `coreone-inspect send <type> --to <url>`: sign and POST a test webhook, the vendor's
// "send a test" step, from the developer's terminal. The body is a built-in sample for
// the type (illustrative: CoreOne does not publish per-type fields) or a real one given
// with --data. Also home of the delivery report that `replay` prints the same way.
import { readFile } from 'node:fs/promises';
import { STATUS_CODES } from 'node:http';
import { Command } from 'commander';
import { isKnownType } from '../../server/catalogue.js';
import { fileErrorReason } from '../../server/file-errors.js';
import { sampleBody } from '../../server/samples.js';
import { DEFAULT_TIMEOUT_MS, REPLY_START_BYTES, sendWebhook, type DeliveryResult, type Signing } from '../../server/send.js';
import { NoError, UsageError } from '../errors.js';
import { parseHttpUrl, parseMilliseconds } from '../option-parsers.js';
import { safeText } from '../output/terminal-text.js';
import { addSecretOptions, resolveSecret, SECRET_ENV, type SecretOptions } from '../secret.js';

/** Options `send` and `replay` share. */
export interface DeliveryOptions extends SecretOptions {
  to: string;
  unsigned?: boolean;
  timeout: number;
}

interface SendOptions extends DeliveryOptions {
  data?: string;
}

export function sendCommand(): Command {
  const command = new Command('send')
    .description('Sign and POST a test webhook of one type, with an illustrative sample body unless --data is given.')
    .argument('<type>', 'the webhook type, e.g. accession/status_change (`coreone-inspect types` lists them)')
    .option('--data <file>', 'send this file as the body instead of the sample; "-" reads standard input');
  addDeliveryOptions(command);
  return command
    .addHelpText(
      'after',
      `
The built-in sample bodies are ILLUSTRATIVE: CoreOne does not publish the fields of each
webhook type, so the samples are plausible inventions for a veterinary lab (accession
numbers, clients, lab sections, species), not real CoreOne payloads. Use --data with a
captured body (or replay a saved fixture) to test against the real thing.

Exit status: 0 on a 2xx reply, 1 on any other reply or no reply, 2 on bad usage.`,
    )
    .action(async (type: string, options: SendOptions) => {
      const warn = warner();
      const signing = signingFor(options, warn);
      let body: Buffer;
      let origin: string;
      if (options.data !== undefined) {
        body = await readData(options.data);
        origin = options.data === '-' ? 'standard input' : options.data;
        if (!isKnownType(type)) warn(`"${safeText(type)}" is not one of the 33 catalogued webhook types; sending it anyway.`);
        if (!isJson(body)) warn(`The body from ${origin} is not valid JSON; sending it anyway.`);
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
      process.stdout.write(`→ ${safeText(type)} to ${options.to} (${origin}, ${body.length} bytes, ${signingLabel(signing)})\n`);
      const result = await sendWebhook({ url: new URL(options.to), type, body, signing, timeoutMs: options.timeout });
      process.stdout.write(formatDelivery(result));
      if (!delivered(result)) throw new NoError(`No 2xx reply from ${options.to}.`);
    });
}

/** --to, --unsigned, --timeout and the secret options, as `send` and `replay` take them. */
export function addDeliveryOptions(command: Command): Command {
  command
    .requiredOption('--to <url>', 'where to POST, e.g. http://localhost:3000/webhooks', parseHttpUrl)
    .option('--unsigned', 'send no X-Coreone-Webhook-Hash header (no secret needed)')
    .option('--timeout <ms>', 'give up on the reply after this many milliseconds', parseMilliseconds, DEFAULT_TIMEOUT_MS);
  return addSecretOptions(command);
}

/** Warnings go to stderr, one line each, and never stop the command. */
export function warner(): (message: string) => void {
  return (message) => process.stderr.write(`coreone-inspect: warning: ${message}\n`);
}

/** Sign with the secret, or send unsigned when asked; no secret and no --unsigned is bad usage. */
export function signingFor(options: DeliveryOptions, warn: (message: string) => void, alternative = ''): Signing {
  if (options.unsigned) return { hash: null };
  const secret = resolveSecret(options, warn);
  if (secret === null) {
    throw new UsageError(
      `No secret to sign with: give --secret-file, --secret or ${SECRET_ENV}, or --unsigned to send without a hash${alternative}.`,
    );
  }
  return { secret };
}

export function signingLabel(signing: Signing): string {
  if ('secret' in signing) return 'signed with the secret';
  return signing.hash === null ? 'unsigned' : 'with the recorded hash';
}

export function delivered(result: DeliveryResult): boolean {
  return result.error === undefined && result.status !== undefined && result.status >= 200 && result.status < 300;
}

/** Most lines of the reply body shown; the rest is cut (the body is already at most REPLY_START_BYTES). */
const MAX_REPLY_LINES = 12;

/**
 * The reply as the terminal shows it: status and time, then the start of the body
 * indented; or why there was no reply. The body came from the app, so control
 * characters are shown as escapes.
 */
export function formatDelivery(result: DeliveryResult): string {
  const lines: string[] = [];
  if (result.status !== undefined) {
    lines.push(`← ${result.status} ${STATUS_CODES[result.status] ?? ''}`.trimEnd() + ` in ${result.ms} ms`);
  } else {
    lines.push(`← no reply after ${result.ms} ms`);
  }
  if (result.body) {
    const bodyLines = result.body.split(/\r?\n/);
    const cut = bodyLines.length > MAX_REPLY_LINES || Buffer.byteLength(result.body) >= REPLY_START_BYTES - 3;
    for (const line of bodyLines.slice(0, MAX_REPLY_LINES)) lines.push(`  ${safeText(line)}`);
    if (cut) lines.push('  … (start of the reply only)');
  }
  if (result.error !== undefined) lines.push(`  ${result.error}`);
  return `${lines.join('\n')}\n`;
}

async function readData(source: string): Promise<Buffer> {
  try {
    if (source === '-') {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    }
    return await readFile(source);
  } catch (error) {
    throw new UsageError(`Cannot read --data ${safeText(source)}: ${fileErrorReason(error)}.`);
  }
}

export function isJson(body: Buffer): boolean {
  try {
    JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
    return true;
  } catch {
    return false;
  }
}
