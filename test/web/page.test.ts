// The web inspector in a real Chromium, on a real inspector with a real receiver behind
// --forward-to: live events without reload, the detail of a selection in its four tabs,
// and the actions, each checked where it lands (the fixture file, the receiver).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Inspector } from '../../server/inspector.js';
import { computeSignature } from '../../server/signature/verify.js';
import { startInspector } from '../helpers/inspector.js';
import { launchChromium } from '../helpers/browser.js';
import { waitFor } from '../helpers/wait.js';

const SECRET = 'web-page-secret';
let dir: string;
let inspector: Inspector;
let receiver: Server;
const delivered: string[] = [];
let browser: Browser;
let page: Page;

async function post(type: string, body: string, secret = SECRET): Promise<void> {
  const answer = await fetch(inspector.ready.webhookUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Coreone-Webhook-Type': type, 'X-Coreone-Webhook-Hash': computeSignature(Buffer.from(body), secret) },
    body,
  });
  expect(answer.status).toBe(200);
}

const pane = () => page.locator('.pane').innerText();
const row = (seq: number) => page.locator(`.row[data-seq="${seq}"]`);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'coreone-web-'));
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      delivered.push(Buffer.concat(chunks).toString('utf8'));
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const forwardTo = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  inspector = await startInspector(dir, { secret: SECRET, maxBody: 1024 * 1024, requestTimeoutMs: 10_000, headersTimeoutMs: 10_000, forwardTo });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1300, height: 800 } });
  await page.goto(inspector.ready.uiUrl);
  await page.locator('.status[data-connection="open"][data-history="loaded"]').waitFor();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await inspector?.close();
  await new Promise((resolve) => receiver?.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

describe('the web inspector in Chromium', () => {
  it('shows a live event without a reload, with its verdict, type and size; unknown types marked', async () => {
    let navigations = 0;
    page.on('framenavigated', () => navigations++);
    const body = JSON.stringify({ accession: { id: 41, status: 'Pending' } });
    await post('accession/status_change', body);
    await row(1).waitFor();
    const first = await row(1).innerText();
    expect(first).toContain('✓ valid');
    expect(first).toContain('accession/status_change');
    expect(first).toContain(`${body.length} B`);
    await post('lab/unheard_of', '{"x":1}');
    await row(2).waitFor();
    expect(await row(2).innerText()).toContain('unknown type');
    expect(await page.locator('.count[data-status="valid"]').innerText()).toBe('✓ valid 2');
    expect(navigations).toBe(0);
  });

  it('shows the selection: headers, pretty body, the changed path of the diff, the signature with its diagnosis first', async () => {
    // The same type again, its status changed, signed with the secret plus a newline.
    await post('accession/status_change', JSON.stringify({ accession: { id: 41, status: 'Received' } }), `${SECRET}\n`);
    await row(3).click();
    await page.locator('.title[data-seq="3"]').waitFor();
    await page.keyboard.press('1');
    expect(await pane()).toContain('x-coreone-webhook-type: accession/status_change');
    await page.keyboard.press('2');
    expect(await pane()).toContain('"status": "Received"');
    await page.keyboard.press('3');
    await page.locator('.pane[data-tab="diff"]').waitFor();
    expect(await pane()).toContain('accession.status: "Pending" -> "Received"');
    await page.keyboard.press('4');
    const signature = await pane();
    expect(signature).toContain('✗ invalid');
    expect(signature).toContain('secret-whitespace');
    expect(signature.indexOf('Diagnosis')).toBeLessThan(signature.indexOf('received'));
    // k selects the one before, as in the TUI.
    await page.keyboard.press('k');
    await page.locator('.title[data-seq="2"]').waitFor();
    await page.keyboard.press('j');
    await page.locator('.title[data-seq="3"]').waitFor();
  });

  it('saves the selection as a fixture file, and replays it to the real receiver', async () => {
    await page.getByRole('button', { name: 'Save fixture' }).click();
    await page.locator('.notice', { hasText: 'Saved #3 as' }).waitFor();
    const folder = join(dir, 'fixtures', 'accession');
    const [file] = await readdir(folder);
    const fixture = JSON.parse(await readFile(join(folder, file!), 'utf8')) as { body: string; type: string };
    expect(fixture).toMatchObject({ type: 'accession/status_change', body: '{"accession":{"id":41,"status":"Received"}}' });

    const before = delivered.filter((b) => b === fixture.body).length;
    await page.getByRole('button', { name: 'Replay' }).click();
    await page.locator('.notice', { hasText: 'Replayed #3 to' }).waitFor();
    expect(delivered.filter((b) => b === fixture.body).length).toBe(before + 1);
  });

  it('sends a test of the chosen type, and copies the selection as curl', async () => {
    await page.getByLabel('Type of the test event').selectOption('accession/receive');
    await page.getByRole('button', { name: 'Send a test' }).click();
    await page.locator('.row', { hasText: 'accession/receive' }).waitFor();

    await row(3).click();
    await page.getByRole('button', { name: 'Copy as curl' }).click();
    const command = await page.getByLabel('curl command').inputValue();
    expect(command).toMatch(/^printf '/);
    expect(command).toContain(`'x-coreone-webhook-hash: ${computeSignature(Buffer.from('{"accession":{"id":41,"status":"Received"}}'), `${SECRET}\n`)}'`);
    expect(command).toContain(inspector.ready.webhookUrl);
  });

  it("marks drift in the list and says it above the Diff tab's diff", async () => {
    await post('accession/status_change', JSON.stringify({ accession: { id: '41', status: 'Received', priority: 1 } }));
    const drifted = page.locator('.row', { hasText: 'accession/status_change' }).last();
    await drifted.locator('.drift', { hasText: '~' }).waitFor();
    await drifted.click();
    await page.keyboard.press('3');
    const diff = await pane();
    expect(diff).toContain('added accession.priority');
    expect(diff).toContain('type-changed accession.id: number -> string');
    expect(diff.indexOf('added accession.priority')).toBeLessThan(diff.indexOf('@@'));
  });

  it('filters with the TUI syntax; Esc clears it', async () => {
    const filter = page.getByLabel('Filter');
    await filter.fill('lab/');
    await waitFor(async () => (await page.locator('.row').count()) === 1, { what: 'one row for lab/' });
    expect(await page.locator('.row').innerText()).toContain('lab/unheard_of');
    await filter.press('Escape');
    await waitFor(async () => (await page.locator('.row').count()) === 5, { what: 'every row back' });
  });

  it("follows the system's dark scheme", async () => {
    // A string: the test's type-check has no DOM; the page's has.
    const background = () => page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
    await page.emulateMedia({ colorScheme: 'light' });
    expect(await background()).toBe('rgb(255, 255, 255)');
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await background()).toBe('rgb(13, 17, 23)');
  });

  it('reconnects by itself when the stream drops, and says so meanwhile', async () => {
    // A second page whose stream goes through a route the test can cut, to the real hub.
    const routes: { close(options: { code: number; reason: string }): Promise<void> }[] = [];
    const other = await browser.newPage();
    await other.routeWebSocket(/\/stream\?token=/, (ws) => {
      ws.connectToServer();
      routes.push(ws);
    });
    await other.goto(inspector.ready.uiUrl);
    await other.locator('.status[data-connection="open"][data-history="loaded"]').waitFor();
    const rows = await other.locator('.count[data-status="valid"]').innerText();
    await routes[0]!.close({ code: 1012, reason: 'cut by the test' });
    await other.locator('.status[data-connection="reconnecting"]', { hasText: '↻ reconnecting: cut by the test' }).waitFor();
    await other.locator('.status[data-connection="open"][data-history="loaded"]').waitFor();
    expect(routes.length).toBe(2);
    // Back with the history, nothing doubled, and live again.
    expect(await other.locator('.count[data-status="valid"]').innerText()).toBe(rows);
    await post('accession/receive', '{"after":"reconnect"}');
    await other.locator('.row', { hasText: 'accession/receive' }).last().waitFor();
    await waitFor(async () => (await other.locator('.count[data-status="valid"]').innerText()) !== rows, { what: 'the live event counted' });
    await other.close();
  });

  it('says so when the stream drops', async () => {
    await inspector.close();
    const status = page.locator('.status[data-connection="reconnecting"]');
    await status.waitFor();
    expect(await status.innerText()).toMatch(/^↻ reconnecting: /);
  });
});
