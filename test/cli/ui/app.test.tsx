// The real App, rendered by ink-testing-library, fed by a real WebSocket server that
// speaks the inspector protocol. Every step waits on lastFrame(), never on a timer.
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { InspectorFeed, makeEvent } from '../../helpers/inspector-feed.js';
import { App } from '../../../cli/ui/App.js';
import type { WebhookEvent } from '../../../server/types.js';
import { waitFor } from '../../helpers/wait.js';
import { curlOf } from '../../../server/export/curl.js';
import { fixtureOf } from '../../../server/store/fixtures.js';
import { KEY, resize, waitForFrame } from '../../helpers/ui.js';

const FAST = { batchMs: 5, retryMinMs: 30, retryMaxMs: 100 };

const feeds: InspectorFeed[] = [];
const apps: { unmount(): void }[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) app.unmount();
  for (const feed of feeds.splice(0)) await feed.close();
});

function history(): WebhookEvent[] {
  return [
    makeEvent({ seq: 1, type: 'accession/status_change', body: JSON.stringify({ id: 42, status: 'Pending', client: 'Clinic 9' }) }),
    makeEvent({ seq: 2, type: 'accession/status_change', body: JSON.stringify({ id: 42, status: 'Received', client: 'Clinic 9' }) }),
    makeEvent({ seq: 3, type: 'comment/create', body: JSON.stringify({ comment: 'hello' }), status: 'invalid' }),
  ];
}

async function start(events: WebhookEvent[] = history(), size: [number, number] = [140, 40]) {
  const feed = await InspectorFeed.start({
    history: events,
    hello: { webhookUrl: 'http://127.0.0.1:4567/', secret: { length: 32, fingerprint: '9f86d0' } },
  });
  feeds.push(feed);
  const app = render(<App inspectUrl={feed.url} streamOptions={FAST} />);
  apps.push(app);
  resize(app.stdout, ...size);
  // Keys written before useInput attaches are lost: wait for the history to be on screen.
  await waitForFrame(app.lastFrame, '● live', `#${events.at(-1)?.seq ?? 0} `);
  return { feed, app, frame: () => app.lastFrame() ?? '' };
}

describe('header and list', () => {
  it('shows the webhook URL, the secret fingerprint, verdict counts, the stream state and each event', async () => {
    const { frame } = await start();
    const f = frame();
    expect(f).toContain('http://127.0.0.1:4567/');
    expect(f).toContain('32 chars #9f86d0');
    expect(f).toContain('✓ valid 2');
    expect(f).toContain('✗ invalid 1');
    expect(f).toContain('tunnel off (local only)');
    expect(f).toMatch(/#1 \d\d:\d\d:\d\d ✓ valid\s+accession\/status_change\s+48 B/);
    expect(f).toMatch(/#3 \d\d:\d\d:\d\d ✗ invalid\s+comment\/create/);
    expect(f).toContain('follow on');
  });

  it('marks an unknown type and an event without a type header', async () => {
    const { frame } = await start([makeEvent({ seq: 1, type: 'custom/thing' }), makeEvent({ seq: 2, type: null })]);
    expect(frame()).toMatch(/custom\/thing \(unknown\)/);
    expect(frame()).toContain('(no type header)');
  });

  it('shows a live event as it arrives and keeps following it', async () => {
    const { feed, app } = await start();
    feed.publish(makeEvent({ seq: 4, type: 'payment/create' }));
    await waitForFrame(app.lastFrame, /#4 \d\d:\d\d:\d\d ✓ valid\s+payment\/create/, '#4 payment/create');
  });
});

describe('detail tabs', () => {
  it('Headers: every header, CoreOne first', async () => {
    const { app } = await start();
    app.stdin.write('1');
    const f = await waitForFrame(app.lastFrame, 'headers, CoreOne', 'x-coreone-webhook-hash: ');
    const type = f.indexOf('x-coreone-webhook-type: comment/create');
    const host = f.indexOf('host: 127.0.0.1');
    expect(type).toBeGreaterThan(0);
    expect(host).toBeGreaterThan(type);
  });

  it('Body: pretty-printed JSON; non-JSON as text with the parse error', async () => {
    const { app } = await start([...history(), makeEvent({ seq: 4, type: 'leaf/fail', body: 'plain text, not json' })]);
    app.stdin.write('2');
    await waitForFrame(app.lastFrame, 'Not JSON:', 'plain text, not json');
    app.stdin.write('k');
    await waitForFrame(app.lastFrame, '"comment": "hello"');
  });

  it('Diff: the changed field against the previous event of the same type', async () => {
    const { app } = await start();
    app.stdin.write('3');
    await waitForFrame(app.lastFrame, 'The first comment/create event of this session:');
    app.stdin.write(KEY.up);
    const f = await waitForFrame(app.lastFrame, 'status: "Pending" -> "Received"');
    expect(f).toContain('Against #1');
    expect(f).toContain('-  "status": "Pending",');
    expect(f).toContain('+  "status": "Received",');
    expect(f).toContain('   "id": 42,'); // context line
  });

  it('Diff: the shape drift above the diff, and a ~ on the rows of events with drift', async () => {
    const body = (client: unknown, extra = {}) => JSON.stringify({ id: 42, client: { id: client }, ...extra });
    const { app } = await start([
      makeEvent({ seq: 1, body: body(1) }),
      makeEvent({ seq: 2, body: body(2) }),
      makeEvent({ seq: 3, body: body('3', { priority: 'high' }) }),
    ]);
    app.stdin.write('3');
    const f = await waitForFrame(app.lastFrame, 'type-changed client.id: number -> string');
    expect(f).toContain('Shape drift against the earlier events of this type (2):');
    expect(f).toContain('added priority');
    expect(f.indexOf('added priority')).toBeLessThan(f.indexOf('Against #2'));
    expect(f).toContain('#3~');
    expect(f).toMatch(/#2 /);
  });

  it('c shows the curl command that re-sends the selection and copies it through OSC 52', async () => {
    const events = history();
    const { app } = await start(events);
    app.stdin.write('c');
    await waitForFrame(app.lastFrame, 'Copied (OSC 52) the command that re-sends #3: printf');
    const command = curlOf(fixtureOf(events[2]!), 'http://127.0.0.1:4567/');
    const copies = app.frames.filter((frame) => frame.startsWith('\u001b]52;c;'));
    expect(copies.map((copy) => Buffer.from(copy.slice(7, -1), 'base64').toString('utf8'))).toEqual([command]);
  });

  it('Signature: received vs expected and each diagnosis in full', async () => {
    const { app } = await start();
    app.stdin.write('4');
    const f = await waitForFrame(app.lastFrame, 'Verdict   ✗ invalid', 'Diagnosis', '• no-match:');
    const event = history()[2] as WebhookEvent;
    const lines = f.split('\n').map((l) => l.slice(l.indexOf('│') + 1).trimEnd());
    const received = lines.findIndex((l) => l.startsWith('received'));
    expect(lines[received + 1]).toBe(event.signature.received);
    expect(lines[received + 2]).toMatch(/^expected/);
    expect(lines[received + 3]).toBe(event.signature.expected);
    expect(f.replace(/\s*│\s*/g, ' ')).toContain('the sender most likely uses a different secret (compare it with this one)');
  });

  it('Tab and arrows move between tabs; long content scrolls inside the pane', async () => {
    const long = JSON.stringify({ items: Array.from({ length: 80 }, (_, i) => ({ n: i })) });
    const { app } = await start([makeEvent({ seq: 1, body: long })]);
    app.stdin.write(KEY.tab); // Body -> Diff
    await waitForFrame(app.lastFrame, 'The first accession/status_change event of this session:');
    app.stdin.write(KEY.left);
    await waitForFrame(app.lastFrame, /lines 1-\d+ of \d+/);
    expect(app.lastFrame()).not.toContain('"n": 30');
    app.stdin.write(' '); // a page down
    const f = await waitForFrame(app.lastFrame, /lines 3[0-9]-/);
    expect(f).not.toContain('"items": [');
    app.stdin.write('K');
    await waitForFrame(app.lastFrame, /lines 3[0-9]-/);
  });
});

describe('keys', () => {
  it('moving turns follow off, f turns it on again', async () => {
    const { app, feed } = await start();
    app.stdin.write('k');
    await waitForFrame(app.lastFrame, 'follow off');
    feed.publish(makeEvent({ seq: 4 }));
    await waitForFrame(app.lastFrame, 'Events 4');
    expect(app.lastFrame()).toMatch(/#2 accession\/status_change {2}POST/); // the detail stays on #2
    app.stdin.write('f');
    await waitForFrame(app.lastFrame, 'follow on', /#4 accession\/status_change {2}POST/);
  });

  it('/ filters by type prefix, Esc clears', async () => {
    const { app } = await start();
    app.stdin.write('/');
    await waitForFrame(app.lastFrame, 'Enter keep');
    app.stdin.write('accession/');
    await waitForFrame(app.lastFrame, 'filter "accession/": 2 shown');
    app.stdin.write(KEY.enter);
    const f = await waitForFrame(app.lastFrame, '? help');
    expect(f).not.toMatch(/#3 \d\d:\d\d/);
    app.stdin.write(KEY.escape);
    await waitForFrame(app.lastFrame, /#3 \d\d:\d\d/);
    expect(app.lastFrame()).not.toContain('filter "');
  });

  it('? opens the help generated from the key table, under the web inspector URL; Esc closes it', async () => {
    const { app, feed } = await start();
    app.stdin.write('?');
    const f = await waitForFrame(app.lastFrame, 'While typing a filter', 'select the previous event', 'quit');
    expect(f).toContain('filter: a type prefix (accession/) or free text');
    // The web inspector of the same stream: its port, the token in the fragment.
    const stream = new URL(feed.url);
    expect(f).toContain(`Web inspector http://127.0.0.1:${stream.port}/#token=${stream.searchParams.get('token')}`);
    app.stdin.write(KEY.escape);
    await waitForFrame(app.lastFrame, /#3 \d\d:\d\d/);
  });
});

describe('requests to the listener', () => {
  it('s saves the selection, r replays it, t sends a test; answers show in the footer', async () => {
    const { app, feed } = await start();
    const selected = history()[2] as WebhookEvent;
    app.stdin.write('s');
    await waitForFrame(app.lastFrame, 'Saving #3 as a fixture…');
    await waitFor(() => feed.received.length === 1, { what: 'the save request' });
    const [save] = feed.received;
    expect(save).toMatchObject({ kind: 'save' });
    const id = (save as { id: string }).id;
    expect(id).toBe(feed.history[2]?.id);
    feed.send({ kind: 'saved', id, path: 'fixtures/comment/create-3-abc.json' });
    await waitForFrame(app.lastFrame, 'Saved #3 as fixtures/comment/create-3-abc.json', /#3 comment\/create .* saved fixtures\/comment\//);

    app.stdin.write('r');
    await waitFor(() => feed.received.length === 2, { what: 'the replay request' });
    expect(feed.received[1]).toEqual({ kind: 'replay', id });
    feed.send({ kind: 'error', message: 'Replay delivers to --forward-to, and this listener was started without it.' });
    await waitForFrame(app.lastFrame, 'Replay delivers to --forward-to');

    app.stdin.write('t');
    await waitFor(() => feed.received.length === 3, { what: 'the send request' });
    expect(feed.received[2]).toEqual({ kind: 'send', type: selected.type });
    const f = await waitForFrame(app.lastFrame, 'Asked the listener to send itself a test comment/create event.');
    expect(f).not.toContain('Replay delivers'); // the key put the previous answer away
  });
});

describe('layout', () => {
  it('stacks the list above the detail below 100 columns and fits in 80x24', async () => {
    const { app } = await start(history(), [80, 24]);
    const f = await waitForFrame(app.lastFrame, ' 1 Headers ');
    const lines = f.split('\n');
    expect(lines.length).toBeLessThanOrEqual(23);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    const listRow = lines.findIndex((l) => /#3 .*comment\/create/.test(l));
    const tabBar = lines.findIndex((l) => l.includes(' 1 Headers '));
    expect(listRow).toBeGreaterThan(0);
    expect(tabBar).toBeGreaterThan(listRow); // stacked, not side by side
  });

  it('follows a resize', async () => {
    const { app } = await start(history(), [80, 24]);
    resize(app.stdout, 140, 30);
    await waitForFrame(app.lastFrame, /#3 \d\d:\d\d:\d\d ✗ invalid\s+comment\/create.*│/);
  });
});

describe('the stream connection', () => {
  it('says it is reconnecting while the listener is away and resumes without duplicating events', async () => {
    const { app, feed } = await start();
    await feed.close();
    await waitForFrame(app.lastFrame, '↻ reconnecting: connection refused');
    await feed.listen();
    await waitForFrame(app.lastFrame, '● live');
    feed.publish(makeEvent({ seq: 4 }));
    await waitForFrame(app.lastFrame, 'Events 4 ');
  });

  it('shows why it is reconnecting first, where an 80-column screen does not cut it off', async () => {
    const { app, feed } = await start(history(), [80, 24]);
    await feed.close();
    await waitForFrame(app.lastFrame, /^↻ reconnecting: connection refused: is the listener running\?  secret /m);
  });

  it('shows the tunnel as the listener reports it', async () => {
    const { app, feed } = await start();
    feed.send({ kind: 'tunnel', status: 'up', url: 'https://lab-hooks.example.test' });
    await waitForFrame(app.lastFrame, 'tunnel https://lab-hooks.example.test');
    feed.send({ kind: 'tunnel', status: 'error', error: 'relay unreachable' });
    await waitForFrame(app.lastFrame, 'tunnel error: relay unreachable');
    feed.send({ kind: 'tunnel', status: 'down', error: 'Lost the tunnel; reconnecting in 2 s.' });
    await waitForFrame(app.lastFrame, 'tunnel down: Lost the tunnel; reconnecting in 2 s.');
    feed.send({ kind: 'tunnel', status: 'up', url: 'https://x1.example.test', probe: 'ok', requestedSubdomain: 'mylab' });
    await waitForFrame(app.lastFrame, 'tunnel https://x1.example.test ✓ checked (not the mylab asked for)');
  });
});
