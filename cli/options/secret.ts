// Where the secret comes from (SPEC.md "Secret"), shared by every command that signs or
// verifies: --secret, then --secret-file, then COREONE_WEBHOOK_SECRET; the first one
// given wins. Nothing here prints the secret; warnings describe it.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { fileErrorReason } from '../../server/store/file-errors.js';
import { UsageError } from '../errors.js';

export const SECRET_ENV = 'COREONE_WEBHOOK_SECRET';

export interface SecretOptions {
  secret?: string;
  secretFile?: string;
}

export function addSecretOptions(cmd: Command): Command {
  return cmd
    .option('--secret <value>', `the webhook secret (other users can see it in the process list: prefer --secret-file or ${SECRET_ENV})`)
    .option('--secret-file <path>', 'read the webhook secret from this file (one trailing newline is dropped)');
}

/**
 * The secret, or null when none is given. An empty secret counts as none, and an empty
 * one that is given still wins over the later sources, so `--secret ''` switches
 * checking off even when the environment has a secret.
 */
export function resolveSecret(
  opts: SecretOptions,
  warn: (msg: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): string | null {
  let secret: string;
  let source: string;
  if (opts.secret !== undefined) {
    if (opts.secretFile !== undefined) warn('Both --secret and --secret-file are given: --secret is used.');
    secret = opts.secret;
    source = '--secret';
  } else if (opts.secretFile !== undefined) {
    secret = readSecretFile(opts.secretFile);
    source = `the secret file ${opts.secretFile}`;
  } else if (env[SECRET_ENV] !== undefined) {
    secret = env[SECRET_ENV];
    source = SECRET_ENV;
  } else {
    return null;
  }
  if (secret === '') {
    warn(`The secret from ${source} is empty, which counts as no secret.`);
    return null;
  }
  const edges = strayEdges(secret);
  if (edges) warn(`The secret from ${source} has ${edges}, kept as part of the secret: remove it if it does not belong there.`);
  return secret;
}

/** The file's text less exactly one trailing \n or \r\n. */
function readSecretFile(path: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new UsageError(`Cannot read the secret file ${path}: ${fileErrorReason(error)}.`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new UsageError(`The secret file ${path} is not UTF-8 text.`);
  }
  return text.replace(/\r?\n$/, '');
}

/** A description of whitespace (or a byte-order mark) at the ends, or null when there is none. */
function strayEdges(secret: string): string | null {
  const describe = (char: string): string => {
    if (char === '\uFEFF') return 'a byte-order mark';
    if (char === '\n' || char === '\r') return 'a line break';
    if (char === '\t') return 'a tab';
    if (char === ' ') return 'a space';
    return 'whitespace';
  };
  const lead = /^\s/.test(secret) ? `${describe(secret[0] ?? '')} at its start` : null;
  const trail = /\s$/.test(secret) ? `${describe(secret.at(-1) ?? '')} at its end` : null;
  if (lead && trail) return `${lead} and ${trail}`;
  return lead ?? trail;
}
