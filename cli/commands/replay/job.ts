// The `replay` job (options in cli/commands/replay/command.ts): read every fixture, then deliver
// each one, re-signed, with its recorded hash, or edited first in $EDITOR.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FixtureError, readFixture, type Fixture } from '../../../server/store/fixtures.js';
import { recordedBodyBytes, sendWebhook, type Signing } from '../../../server/delivery/post.js';
import type { ReplayOptions } from './options.js';
import { delivered, formatDelivery, isJson, signingFor, signingLabel } from '../delivery.js';
import { NoError, UsageError, warn } from '../../errors.js';
import { safeText } from '../../output/terminal-text.js';

export async function replay(files: string[], options: ReplayOptions): Promise<void> {
  // Read them all first: a corrupt fourth fixture should stop the run before the first is sent.
  const fixtures: Array<{ file: string; fixture: Fixture }> = [];
  for (const file of files) {
    try {
      fixtures.push({ file, fixture: await readFixture(file) });
    } catch (error) {
      if (error instanceof FixtureError) throw new UsageError(error.message);
      throw error;
    }
  }
  const signWith = options.keepHash ? null : signingFor(options, warn, ', or --keep-hash to send the recorded hash');
  if (options.edit) editorCommand(); // refuse before anything is sent

  let failures = 0;
  for (const { file, fixture } of fixtures) {
    const signing: Signing = signWith ?? { hash: fixture.signature.received };
    let body = recordedBodyBytes(fixture);
    let edited = '';
    if (options.edit) {
      const before = body;
      body = await editBody(body, file);
      edited = before.equals(body) ? ', unchanged by the editor' : ', edited';
      if (edited === ', edited' && !isJson(body)) warn(`The edited body of ${file} is not valid JSON; sending it anyway.`);
    }
    const type = fixture.type === null ? 'no type' : safeText(fixture.type);
    process.stdout.write(`→ ${safeText(file)} (${type}, ${body.length} bytes, ${signingLabel(signing)}${edited}) to ${options.to}\n`);
    const result = await sendWebhook({ url: new URL(options.to), type: fixture.type, body, signing, timeoutMs: options.timeout });
    process.stdout.write(formatDelivery(result));
    if (!delivered(result)) failures++;
  }
  if (failures > 0) {
    throw new NoError(
      fixtures.length === 1 ? `No 2xx reply from ${options.to}.` : `${failures} of ${fixtures.length} fixtures got no 2xx reply from ${options.to}.`,
    );
  }
}

/** $EDITOR, else $VISUAL: a shell command, as git reads it. */
function editorCommand(): string {
  const editor = process.env.EDITOR || process.env.VISUAL;
  if (!editor) throw new UsageError('--edit needs an editor: set EDITOR (for example EDITOR=nano).');
  return editor;
}

/**
 * Hand the body to the editor in a private temporary file (it may hold customer data:
 * the directory is 0700, the file 0600, both removed afterwards) and read back what the
 * editor leaves, byte for byte.
 */
async function editBody(body: Buffer, fixtureFile: string): Promise<Buffer> {
  const editor = editorCommand();
  const dir = await mkdtemp(path.join(tmpdir(), 'coreone-replay-'));
  // The fixture's own name, so the editor shows which one it is and highlights JSON.
  const file = path.join(dir, path.basename(fixtureFile));
  try {
    await writeFile(file, body, { mode: 0o600 });
    const status = await runEditor(editor, file);
    if (status !== 0) throw new UsageError(`The editor (${editor}) exited with status ${status}, so ${fixtureFile} was not sent.`);
    return await readFile(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Run the editor on a file with the terminal, wait for it; resolves with its exit status. */
function runEditor(editor: string, file: string): Promise<number> {
  // Like git: the variable holds a shell command (it may carry arguments, like
  // "code --wait"), and the file goes in as "$@" so its name is never re-parsed.
  const child =
    process.platform === 'win32'
      ? spawn(`${editor} "${file}"`, { shell: true, stdio: 'inherit' })
      : spawn('/bin/sh', ['-c', `${editor} "$@"`, editor, file], { stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.on('error', (error) => reject(new UsageError(`Cannot start the editor (${editor}): ${error.message}.`)));
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}
