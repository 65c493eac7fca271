// The `verify` job (options in cli/commands/verify/command.ts): check one body's hash against the
// secret, print the verdict (readable or --json); a hash that is not valid is the answer "no".
// With --computed the hash is the one the user's handler computed, and the verdict and its
// diagnosis are the receiving side's (server/signature/diagnosis/receiver.ts).
import { readFile } from 'node:fs/promises';
import { Buffer } from 'node:buffer';
import { fileErrorReason } from '../../../server/store/file-errors.js';
import { FixtureError, readFixture } from '../../../server/store/fixtures.js';
import { secretInfo } from '../../../server/signature/secret-info.js';
import { verifySignature } from '../../../server/signature/verify.js';
import { verifyComputed } from '../../../server/signature/diagnosis/receiver.js';
import type { Signature, SignatureStatus } from '../../../server/types.js';
import type { VerifyOptions } from './options.js';
import { NegativeAnswer, UsageError, warn } from '../../errors.js';
import { readAll, type Io } from '../../io.js';
import { safeText } from '../../output/terminal-text.js';
import { SECRET_ENV, resolveSecret } from '../../options/secret.js';

/** What was checked: the body bytes, the hash that came with them, and a line saying where from. */
interface Subject {
  body: Buffer;
  received: string | null;
  source: string;
}

type Side = 'sender' | 'receiver';

const SENDER_VERDICTS: Record<SignatureStatus, string> = {
  valid: 'the hash matches the body (HMAC-SHA256 with this secret)',
  invalid: 'the hash is a well-formed hex digest that does not match the body with this secret',
  malformed: 'the hash is not a 64-digit hex digest',
  missing: 'there is no hash to check',
  unchecked: 'the hash was not checked',
};

const RECEIVER_VERDICTS: Record<SignatureStatus, string> = {
  valid: 'the hash your handler computed is the right one (HMAC-SHA256 of this body with this secret)',
  invalid: 'the hash your handler computed is not the HMAC-SHA256 of this body with this secret',
  malformed: 'the hash your handler computed is not a 64-digit hex digest',
  missing: 'your handler computed no hash',
  unchecked: 'the hash was not checked',
};

const SIDES: Record<Side, { verdicts: Record<SignatureStatus, string>; hashLabel: string }> = {
  sender: { verdicts: SENDER_VERDICTS, hashLabel: 'received' },
  receiver: { verdicts: RECEIVER_VERDICTS, hashLabel: 'computed' },
};

export async function verify(fixture: string | undefined, options: VerifyOptions, io: Io): Promise<void> {
  checkUsage(fixture, options);
  const secret = resolveSecret(options, (message) => warn(io.stderr, message), io.env);
  if (secret === null) {
    throw new UsageError(`No secret to verify with: give --secret-file, --secret or ${SECRET_ENV}.`);
  }
  const subject = fixture === undefined ? await fromFiles(options.body ?? '-', options.hash ?? '', io.stdin) : await fromFixture(fixture);
  const side: Side = options.computed === undefined ? 'sender' : 'receiver';
  const signature =
    options.computed === undefined
      ? verifySignature(subject.body, subject.received, secret)
      : verifyComputed(subject.body, options.computed, secret);
  io.stdout.write(options.json ? `${JSON.stringify(signature)}\n` : report(signature, subject, secret, side));
  // The report has given the verdict: exit 1, saying nothing more.
  if (signature.status !== 'valid') throw new NegativeAnswer();
}

function checkUsage(fixture: string | undefined, options: VerifyOptions): void {
  if (options.computed !== undefined && options.hash !== undefined) {
    throw new UsageError('Give --hash (the header that came with the body) or --computed (the hash your handler computed), not both.');
  }
  const hash = options.computed === undefined ? '--hash' : '--computed';
  const files = options.body !== undefined || options.hash !== undefined;
  if (fixture !== undefined && files) throw new UsageError(`Give either a fixture or --body with ${hash}, not both.`);
  if (fixture !== undefined) return;
  if (!files && options.computed === undefined) throw new UsageError('Give a fixture file, or --body <file> and --hash <hex>.');
  if (options.body === undefined) {
    throw new UsageError(`${hash} needs --body <file> (or --body - for standard input)${options.computed === undefined ? '' : ', or a fixture'}.`);
  }
  if (options.hash === undefined && options.computed === undefined) {
    throw new UsageError('--body needs --hash <hex>, the hash header that came with the body.');
  }
}

async function fromFiles(bodyFile: string, hash: string, stdin: NodeJS.ReadableStream): Promise<Subject> {
  const fromStdin = bodyFile === '-';
  try {
    return { body: fromStdin ? await readAll(stdin) : await readFile(bodyFile), received: hash, source: fromStdin ? 'standard input' : bodyFile };
  } catch (error) {
    throw new UsageError(`Cannot read the body ${fromStdin ? 'from standard input' : `file ${bodyFile}`}: ${fileErrorReason(error)}.`);
  }
}

async function fromFixture(file: string): Promise<Subject> {
  try {
    const fixture = await readFixture(file);
    return {
      // Fixtures keep the body byte-exact: UTF-8 text, or base64 when it was not UTF-8.
      body: Buffer.from(fixture.body, fixture.bodyEncoding),
      received: fixture.signature.received,
      source: `${file} (${fixture.type ?? 'no type'}, received ${fixture.receivedAt})`,
    };
  } catch (error) {
    if (error instanceof FixtureError) throw new UsageError(error.message);
    throw error;
  }
}

/** The human report: verdict, the two hashes, what the secret looks like, then each diagnosis. */
function report(signature: Signature, subject: Subject, secret: string, side: Side): string {
  const info = secretInfo(secret);
  const { verdicts, hashLabel } = SIDES[side];
  const lines = [
    `${signature.status}: ${verdicts[signature.status]}.`,
    `  body      ${safeText(subject.source)}, ${subject.body.length} bytes`,
    `  expected  ${signature.expected ?? '(not computed)'}`,
    `  ${hashLabel.padEnd(8)}  ${shown(signature.received)}`,
    `  secret    ${info?.length ?? 0} characters, fingerprint ${info?.fingerprint ?? '-'}`,
    ...signature.diagnosis.map((d) => `  - ${d.code}: ${d.message}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** The received hash as is when it is plain, quoted when whitespace or odd characters would hide in it. */
function shown(received: string | null): string {
  if (received === null) return '(none)';
  return /^[\x21-\x7e]+$/.test(received) ? received : safeText(JSON.stringify(received));
}
