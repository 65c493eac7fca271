// The `replay` job (options in cli/commands/replay/command.ts): read every fixture, then deliver
// each one, re-signed, with its recorded hash, or edited first in $EDITOR.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileErrorReason } from '../../../server/store/file-errors.js';
import { FixtureError, readFixture, type Fixture } from '../../../server/store/fixtures.js';
import { recordedBodyBytes, sendWebhook, type Signing } from '../../../server/delivery/post.js';
import type { ReplayOptions } from './options.js';
import { delivered, formatDelivery, isJson, signingFor, signingLabel } from '../delivery.js';
import { NegativeAnswer, UsageError, warn } from '../../errors.js';
import type { Io } from '../../io.js';
import { safeText } from '../../output/terminal-text.js';

export async function replay(files: string[], options: ReplayOptions, io: Io): Promise<void> {
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
  const signWith = options.keepHash ? null : signingFor(options, io, ', or --keep-hash to send the recorded hash');
  if (options.edit) editorCommand(io.env); // refuse before anything is sent

  let failures = 0;
  for (const { file, fixture } of fixtures) {
    const signing: Signing = signWith ?? { hash: fixture.signature.received };
    let body = recordedBodyBytes(fixture);
    let edited = '';
    if (options.edit) {
      const before = body;
      body = await editBody(body, file, io.env);
      edited = before.equals(body) ? ', unchanged by the editor' : ', edited';
      if (edited === ', edited' && !isJson(body)) warn(io.stderr, `The edited body of ${file} is not valid JSON; sending it anyway.`);
    }
    const type = fixture.type === null ? 'no type' : safeText(fixture.type);
    io.stdout.write(`→ ${safeText(file)} (${type}, ${body.length} bytes, ${signingLabel(signing)}${edited}) to ${options.to}\n`);
    const result = await sendWebhook({ url: new URL(options.to), type: fixture.type, body, signing, timeoutMs: options.timeout });
    io.stdout.write(formatDelivery(result));
    if (!delivered(result)) failures++;
  }
  if (failures > 0) {
    throw new NegativeAnswer(
      fixtures.length === 1 ? `No 2xx reply from ${options.to}.` : `${failures} of ${fixtures.length} fixtures got no 2xx reply from ${options.to}.`,
    );
  }
}

/** $EDITOR, else $VISUAL: a shell command, as git reads it. */
function editorCommand(env: NodeJS.ProcessEnv): string {
  const editor = env.EDITOR || env.VISUAL;
  if (!editor) throw new UsageError('--edit needs an editor: set EDITOR (for example EDITOR=nano).');
  return editor;
}

/**
 * Hand the body to the editor in a private temporary file (it may hold customer data:
 * the directory is 0700, the file 0600, both removed afterwards) and read back what the
 * editor leaves, byte for byte. A temporary file that cannot be made or read back (a
 * full disk, an editor that deleted it) stops the run like an unreadable fixture.
 */
async function editBody(body: Buffer, fixtureFile: string, env: NodeJS.ProcessEnv): Promise<Buffer> {
  const editor = editorCommand(env);
  const dir = await tempFile(() => mkdtemp(path.join(tmpdir(), 'coreone-replay-')), fixtureFile);
  // The fixture's own name, so the editor shows which one it is and highlights JSON.
  const file = path.join(dir, path.basename(fixtureFile));
  try {
    await tempFile(() => writeFile(file, body, { mode: 0o600 }), fixtureFile);
    const status = await runEditor(editor, file, env);
    if (status !== 0) throw new UsageError(`The editor (${editor}) exited with status ${status}, so ${fixtureFile} was not sent.`);
    return await tempFile(() => readFile(file), fixtureFile);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A step on the editor's temporary file, its failure said as one sentence. */
async function tempFile<T>(step: () => Promise<T>, fixtureFile: string): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw new UsageError(`Cannot edit ${fixtureFile} in a temporary file: ${fileErrorReason(error)}, so it was not sent.`);
  }
}

/**
 * Run the editor on a file with the terminal, wait for it; resolves with its exit status.
 * It gets the process's own terminal, not io's streams: an editor draws on a screen.
 */
function runEditor(editor: string, file: string, env: NodeJS.ProcessEnv): Promise<number> {
  // Like git: the variable holds a shell command (it may carry arguments, like
  // "code --wait"), and the file goes in as "$@" so its name is never re-parsed.
  const child =
    process.platform === 'win32'
      ? spawn(`${editor} "${file}"`, { shell: true, stdio: 'inherit', env })
      : spawn('/bin/sh', ['-c', `${editor} "$@"`, editor, file], { stdio: 'inherit', env });
  return new Promise((resolve, reject) => {
    child.on('error', (error) => reject(new UsageError(`Cannot start the editor (${editor}): ${error.message}.`)));
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}
