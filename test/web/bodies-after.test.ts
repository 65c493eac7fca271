// The page on a long history, in a real Chromium: the list comes first and the bodies
// after it (the stream's `bodies=after`). A real StreamHub serves the built page and a
// history whose body phase is held at a gate after the newest body, so what the page
// shows meanwhile is seen for certain, however fast the machine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { StreamHub } from '../../server/stream/hub.js';
import type { WebhookEvent } from '../../server/types.js';
import { makeEvent } from '../helpers/inspector-feed.js';
import { gatedHistory, linesOf, TEST_HELLO } from '../helpers/memory-log.js';
import { launchChromium } from '../helpers/browser.js';

// The newest body fills a frame of the batched stream (256 KiB) by itself, so it goes out
// before the gate; the others would wait in a frame for more.
const bodyOf = (seq: number) => JSON.stringify({ accession: { id: seq, note: `the body of ${seq}` }, pad: seq === 3 ? 'x'.repeat(300_000) : '' });
const events: WebhookEvent[] = [1, 2, 3].map((seq) => makeEvent({ seq, body: bodyOf(seq) }));
let open = () => {};
const gate = new Promise<void>((resolve) => (open = resolve));
let hub: StreamHub;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  // The newest body goes out; the two older ones wait for the gate.
  hub = new StreamHub({ port: 0, hello: () => TEST_HELLO, history: gatedHistory(linesOf(events), 1, gate).source, onMessage: async () => undefined });
  await hub.listen();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1300, height: 800 } });
}, 60_000);

afterAll(async () => {
  open();
  await browser?.close();
  await hub?.close();
});

describe('the web inspector on a history whose bodies come after it', () => {
  it('draws the list first, says which bodies are on their way, and shows each as it comes', async () => {
    await page.goto(hub.uiUrl);
    const status = page.locator('.status[data-history="loaded"]');
    await status.waitFor();
    expect(await page.locator('.row[data-seq]').count()).toBe(3);
    // The newest, selected, has its body; the two older ones are still to come.
    await page.locator('.pane', { hasText: 'the body of 3' }).waitFor();
    expect(await status.innerText()).toContain('2 bodies to come');
    expect(await status.getAttribute('data-bodies')).toBe('loading');
    await page.keyboard.press('k');
    await page.locator('.title[data-seq="2"]').waitFor();
    expect(await page.locator('.pane').innerText()).toContain("The body is on its way: the history's bodies follow its list");

    open();
    await page.locator('.pane', { hasText: 'the body of 2' }).waitFor();
    await page.locator('.status[data-bodies="loaded"]').waitFor();
    expect(await status.innerText()).not.toContain('to come');
  });
});
