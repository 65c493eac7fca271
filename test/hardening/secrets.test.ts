// The secret never leaves the process: one run per secret source (--secret, --secret-file,
// COREONE_WEBHOOK_SECRET), each with every output the BUILT CLI has (--json, --no-ui, the
// TUI under tmux), --save-all fixtures, --forward-to, stream save/replay, and send, replay
// and verify with the same secret. Events are signed with a dozen of the mistakes the
// diagnosis explains, so its messages (which talk about the secret) are exercised too. Then everything the program wrote is
// searched for the secret, raw and encoded, and the files holding customer data are
// checked to be owner-only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { runCli, startCli, type RunningCli } from '../helpers/cli-process.js';
import { STACK_TRACE } from '../helpers/hardening-listener.js';
import { Tmux } from '../helpers/hardening-tmux.js';
import { sign } from '../helpers/raw-http.js';
import { waitFor } from '../helpers/wait.js';

const SECRET = 'Hardening-Secret-9fQ2-LabWebhook';
/** The secret as it could appear if something printed it: raw, encoded, or its bytes in hex. */
const FORMS = [SECRET, Buffer.from(SECRET).toString('base64'), Buffer.from(SECRET).toString('base64url'), Buffer.from(SECRET).toString('hex')];

const tmux = new Tmux('hardening-secrets');
let work: string;
let app: Server;
let appUrl: string;
const forwarded: { url: string; headers: IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'coreone-hardening-secrets-'));
  app = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('latin1')));
    req.on('end', () => {
      forwarded.push({ url: req.url ?? '', headers: req.headers, body });
      res.end('{"handled":true}');
    });
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  appUrl = `http://127.0.0.1:${(app.address() as { port: number }).port}`;
});
/** Every listener started here, stopped even when a test fails half-way. */
const started: RunningCli[] = [];
afterAll(async () => {
  await Promise.all(started.map((cli) => cli.stop('SIGKILL')));
  tmux.kill();
  await new Promise((resolve) => app.close(resolve));
  await rm(work, { recursive: true, force: true });
});

/** One signed body per mistake the diagnosis knows, plus the right one and none at all. */
function deliveries(): { body: string; hash: string | null }[] {
  const body = '{"accession":{"accession_number":"A26-004512","status":"Finalized"},"client":"C01842"}';
  const hmac = (algorithm: string, key: string, data: string) => createHmac(algorithm, key).update(data).digest();
  return [
    { body, hash: sign(body, SECRET) },
    { body, hash: sign(body, `${SECRET}\n`) },
    { body, hash: sign(body, ` ${SECRET}`) },
    { body, hash: sign(body, SECRET.slice(0, -1)) },
    { body, hash: hmac('sha1', SECRET, body).toString('hex') },
    { body, hash: hmac('sha512', SECRET, body).toString('hex') },
    { body, hash: createHash('sha256').update(body).digest('hex') },
    { body, hash: `sha256=${sign(body, SECRET)}` },
    { body, hash: hmac('sha256', SECRET, body).toString('base64') },
    { body, hash: sign(JSON.stringify(JSON.parse(body), null, 2), SECRET) },
    { body, hash: sign(body, `"${SECRET}"`) },
    { body, hash: createHash('sha256').update(SECRET + body).digest('hex') },
    { body, hash: sign(SECRET, body) },
    { body, hash: null },
  ];
}

async function deliverAll(webhookUrl: string): Promise<void> {
  for (const { body, hash } of deliveries()) {
    const response = await fetch(webhookUrl, {
      method: 'POST',
      body,
      headers: { 'X-Coreone-Webhook-Type': 'accession/status_change', ...(hash === null ? {} : { 'X-Coreone-Webhook-Hash': hash }) },
    });
    expect(response.status).toBe(200);
    await response.arrayBuffer();
  }
}

/** Every file under a directory, with its mode; and every directory's mode. */
async function tree(root: string): Promise<{ files: { path: string; mode: number }[]; dirs: { path: string; mode: number }[] }> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files: { path: string; mode: number }[] = [];
  const dirs = [{ path: root, mode: (await stat(root)).mode & 0o777 }];
  for (const entry of entries) {
    const path = join(entry.parentPath, entry.name);
    const mode = (await stat(path)).mode & 0o777;
    (entry.isDirectory() ? dirs : files).push({ path, mode });
  }
  return { files, dirs };
}

/**
 * Walks the TUI over every event, and the help; returns each screen, plain and with
 * escapes. `tabs`: the detail tabs drawn for each event (the Signature tab, 4, holds the
 * diagnosis, which is what talks about the secret).
 */
async function tuiScreens(session: string, events: number, tabs: string[]): Promise<string[]> {
  const screens: string[] = [];
  const keep = async (keys: string[]) => {
    screens.push(await tmux.keysAndScreen(session, keys, 400), tmux.capture(session, { escapes: true }));
  };
  await keep(['g']);
  // One tab stays selected as the selection moves, so it is pressed once.
  if (tabs.length === 1) await keep(tabs);
  for (let i = 0; i < events; i++) {
    if (tabs.length > 1) for (const tab of tabs) await keep([tab]);
    if (i < events - 1) await keep(['j']);
  }
  await keep(['?']);
  await keep(['Escape']);
  return screens;
}

type Source = 'flag' | 'file' | 'env';
type Mode = '--json' | '--no-ui' | 'tui';

describe('the secret appears in nothing the program writes', () => {
  // The three runs are independent (their own directories, tmux sessions and app path), so they run side by side.
  it.concurrent.each<[Source, Mode]>([
    ['flag', '--json'],
    ['file', '--no-ui'],
    ['env', 'tui'],
  ])('secret from %s, output %s: stdout, stderr, log, fixtures, stream, TUI frames, send/replay/verify output', async (source, mode) => {
    const dir = join(work, source);
    const secretFile = join(work, `${source}.secret`);
    await writeFile(secretFile, `${SECRET}\n`);
    const secretArgs = source === 'flag' ? ['--secret', SECRET] : source === 'file' ? ['--secret-file', secretFile] : [];
    const env: Record<string, string> = source === 'env' ? { COREONE_WEBHOOK_SECRET: SECRET } : {};
    const logPath = join(dir, 'log', 'events.ndjson');
    const fixturesDir = join(dir, 'fixtures');
    const hooks = `${appUrl}/hooks/${source}`;
    const listenArgs = ['--no-tunnel', '--port', '0', '--log', logPath, '--fixtures-dir', fixturesDir, '--save-all', '--forward-to', hooks, ...secretArgs];
    const forwardedHere = () => forwarded.filter((f) => f.url === `/hooks/${source}`);
    const outputs: { what: string; text: string }[] = [];

    let cli: RunningCli | undefined;
    let webhookUrl: string;
    let inspectUrl: string | undefined;
    const session = `listen-${source}`;
    if (mode === 'tui') {
      // The listener itself in a terminal: the TUI is its output.
      tmux.start(session, listenArgs, { env, width: 150, height: 45 });
      tmux.run('set-option', '-t', session, 'remain-on-exit', 'on');
      webhookUrl = await waitFor(() => /webhook (http:\/\/127\.0\.0\.1:\d+\/)/.exec(tmux.capture(session))?.[1], { timeoutMs: 15_000, what: 'the TUI header' });
    } else {
      cli = startCli([...listenArgs, mode], env);
      started.push(cli);
      if (mode === '--json') {
        const ready = await cli.waitForRecord((r) => r.kind === 'ready');
        webhookUrl = ready.webhookUrl as string;
        inspectUrl = ready.inspectUrl as string;
      } else {
        webhookUrl = await waitFor(() => /listening for CoreOne webhooks on (\S+)/.exec(cli!.stdout())?.[1], { what: 'the webhook URL' });
        inspectUrl = await waitFor(() => /inspector: (\S+)/.exec(cli!.stdout())?.[1], { what: 'the inspect URL' });
      }
    }

    await deliverAll(webhookUrl);
    const sent = await runCli(['send', 'accession/receive', '--to', webhookUrl, ...secretArgs], { env });
    expect(sent.code, sent.stderr).toBe(0);
    outputs.push({ what: 'send', text: sent.stdout + sent.stderr });
    const events = deliveries().length + 1;
    await waitFor(async () => (await tree(fixturesDir).catch(() => ({ files: [] }))).files.length === events, { what: `${events} fixtures` });
    await waitFor(() => forwardedHere().length === events, { what: `${events} forwarded events` });

    // A client of the stream: hello (the secret's length and fingerprint), history, save and replay.
    if (inspectUrl) {
      const ws = new WebSocket(inspectUrl);
      const messages: string[] = [];
      ws.on('message', (data) => messages.push(String(data)));
      // On a timeout, say what did arrive.
      const until = (what: string, ...needles: string[]) =>
        waitFor(() => needles.every((needle) => messages.some((m) => m.includes(needle))), { timeoutMs: 20_000, what }).catch((error: Error) => {
          throw new Error(`${error.message} ${messages.length} messages, the last: ${messages.slice(-3).join(' | ').slice(0, 600)}`);
        });
      await until('history-end', '"history-end"');
      const firstId = (JSON.parse(messages[1]!) as { event: { id: string } }).event.id;
      ws.send(JSON.stringify({ kind: 'save', id: firstId }));
      ws.send(JSON.stringify({ kind: 'replay', id: firstId }));
      await until('the saved and forward messages', '"kind":"saved"', '"kind":"forward"');
      ws.close();
      outputs.push({ what: 'inspector stream', text: messages.join('\n') });
      expect(messages[0]).toMatch(/"secret":\{"length":32,"fingerprint":"[0-9a-f]{8}"\}/);
    }

    // The TUI: the listener's own, or `attach` on the stream.
    const tuiSession = mode === 'tui' ? session : `attach-${source}`;
    if (mode !== 'tui') tmux.start(tuiSession, ['attach', inspectUrl!], { width: 150, height: 45 });
    await waitFor(() => /valid [1-9]/.test(tmux.capture(tuiSession)) && tmux.capture(tuiSession).includes('live'), { timeoutMs: 15_000, what: 'the TUI with the events' });
    // Every tab of every event once (in the listener's own TUI), the Signature tabs in the others.
    const screens = await tuiScreens(tuiSession, events, mode === 'tui' ? ['1', '2', '3', '4'] : ['4']);
    expect(screens.join('\n')).toMatch(/32 chars #[0-9a-f]{8}/);
    // The Signature tab was drawn with the diagnosis (the messages about the secret).
    for (const code of ['secret-whitespace', 'secret-quoted', 'wrong-algorithm', 'unkeyed-digest', 'hash-encoding']) expect(screens.join('\n')).toContain(`${code}:`);
    outputs.push({ what: 'TUI screens', text: screens.join('\n') });

    // Replay and verify saved fixtures with the same secret: one of each verdict.
    const fixtures = (await tree(fixturesDir)).files.map((f) => f.path).sort();
    const byStatus = new Map<string, string>();
    for (const file of fixtures) byStatus.set((JSON.parse(await readFile(file, 'utf8')) as { signature: { status: string } }).signature.status, file);
    expect([...byStatus.keys()].sort()).toEqual(['invalid', 'malformed', 'missing', 'valid']);
    const runs = await Promise.all([
      runCli(['replay', ...byStatus.values(), '--to', hooks, ...secretArgs], { env }),
      ...[...byStatus.values()].map((file) => runCli(['verify', file, ...secretArgs], { env })),
      runCli(['verify', byStatus.get('invalid')!, '--json', ...secretArgs], { env }),
    ]);
    expect(runs.map((r) => r.code), runs.map((r) => r.stdout + r.stderr).join('\n---\n')).toEqual([0, ...[...byStatus.keys()].map((status) => (status === 'valid' ? 0 : 1)), 1]);
    runs.forEach((r, i) => outputs.push({ what: `replay/verify run ${i}`, text: r.stdout + r.stderr }));

    // Stop the listener, then collect what it wrote.
    if (cli) {
      await cli.stop('SIGTERM');
      outputs.push({ what: 'stdout', text: cli.stdout() }, { what: 'stderr', text: cli.stderr() });
      expect(cli.stderr()).not.toMatch(STACK_TRACE);
    } else {
      tmux.keys(session, 'q');
      await waitFor(() => tmux.run('display-message', '-p', '-t', session, '#{pane_dead}').trim() === '1', { what: 'the TUI to quit' });
      outputs.push({ what: 'terminal after quitting', text: tmux.capture(session, { escapes: true }) });
    }
    if (mode !== 'tui') tmux.run('kill-session', '-t', tuiSession);

    outputs.push({ what: 'log', text: await readFile(logPath, 'utf8') });
    for (const fixture of (await tree(fixturesDir)).files) outputs.push({ what: fixture.path, text: await readFile(fixture.path, 'utf8') });
    outputs.push({ what: 'forwarded requests', text: JSON.stringify(forwardedHere()) });

    expect(outputs.length).toBeGreaterThan(20);
    for (const { what, text } of outputs) {
      if (what !== 'stderr') expect(text.length, what).toBeGreaterThan(0);
      for (const form of FORMS) expect(text.includes(form), `${what} contains the secret (${form === SECRET ? 'raw' : 'encoded'})`).toBe(false);
    }

    // Files that may hold customer data are owner-only: the log 0600 in a 0700 directory
    // (created by the CLI here), fixtures 0600 in 0700 directories.
    expect((await stat(logPath)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'log'))).mode & 0o777).toBe(0o700);
    const saved = await tree(fixturesDir);
    expect(saved.files.length).toBeGreaterThanOrEqual(events);
    for (const file of saved.files) expect(file.mode, file.path).toBe(0o600);
    for (const folder of saved.dirs) expect(folder.mode, folder.path).toBe(0o700);
  }, 90_000);
});
