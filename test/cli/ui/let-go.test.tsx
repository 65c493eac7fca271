// The real App on a real StreamHub, its history served from memory as the log would serve
// it: the TUI holds only its newest bodies (a small budget here), asks the hub for a body
// it let go when the Body tab shows it, and finds by the hub's search the old events whose
// bodies hold the filter's text.
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../../cli/ui/App.js';
import { StreamHub } from '../../../server/stream/hub.js';
import { makeEvent } from '../../helpers/inspector-feed.js';
import { gatedHistory, linesOf, TEST_HELLO as hello } from '../../helpers/memory-log.js';
import { KEY, resize, waitForFrame } from '../../helpers/ui.js';

const FAST = { batchMs: 5, retryMinMs: 30, retryMaxMs: 100 };

/** Forty events of about 300 characters, each with a word of its own. */
const events = Array.from({ length: 40 }, (_, i) =>
  makeEvent({ seq: i + 1, type: 'accession/status_change', body: JSON.stringify({ seq: i + 1, word: `word${i + 1}x`, pad: '.'.repeat(260) }) }),
);

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startHub(): Promise<StreamHub> {
  const hub = new StreamHub({ port: 0, hello: () => hello, history: gatedHistory(linesOf(events)).source, onMessage: async () => undefined });
  await hub.listen();
  cleanups.push(() => hub.close());
  return hub;
}

/** `refreshUrl`: where the stream is after a restart, as attach finds it. */
async function start(refreshUrl?: () => Promise<string | null>) {
  const hub = await startHub();
  // Room for about five bodies of forty.
  const app = render(<App inspectUrl={hub.url} streamOptions={{ ...FAST, refreshUrl }} bodyBudget={1600} />);
  cleanups.push(() => app.unmount());
  resize(app.stdout, 140, 40);
  await waitForFrame(app.lastFrame, '● live', '#40 ');
  await waitForFrame(app.lastFrame, /^(?![\s\S]*bodies to come)/);
  return { app, hub };
}

describe('a TUI that lets its oldest bodies go', () => {
  it('asks the hub again for an old body when it is shown', async () => {
    const { app } = await start();
    app.stdin.write('2'); // Body tab
    await waitForFrame(app.lastFrame, 'word40x');
    app.stdin.write('g');
    const frame = await waitForFrame(app.lastFrame, '"word": "word1x"');
    expect(frame).not.toContain('on its way');
  });

  it('asks for a body shown while the stream was down once it is back, from a restarted inspector', async () => {
    let url: string | null = null;
    const { app, hub } = await start(async () => url);
    app.stdin.write('2');
    await waitForFrame(app.lastFrame, 'word40x');
    await hub.close();
    await waitForFrame(app.lastFrame, '↻ reconnecting');
    app.stdin.write('g');
    await waitForFrame(app.lastFrame, '#1 ', 'on its way');
    url = (await startHub()).url;
    await waitForFrame(app.lastFrame, '● live', '"word": "word1x"');
  });

  it('finds an old event by a word only its let-go body holds', async () => {
    const { app } = await start();
    app.stdin.write('/');
    await waitForFrame(app.lastFrame, 'Enter keep');
    // #3's body was let go long ago: only the hub's search can find the word in it.
    app.stdin.write('WORD3X');
    app.stdin.write(KEY.enter);
    const frame = await waitForFrame(app.lastFrame, 'filter "WORD3X": 1 shown', '#3 ');
    expect(frame).not.toContain('searching');
    expect(frame).not.toMatch(/#40 /);
  });
});
