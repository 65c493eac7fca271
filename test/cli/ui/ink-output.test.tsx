// buildFrame (cli/ui/ink-output.ts) stands in for Ink's own Output.get: every frame it
// builds must be byte for byte the one Ink builds from the same operations. Checked on
// operations made up by fast-check (clips, overlaps, wide characters, colour codes of every
// kind) and on the real App drawn in colour to a TTY-shaped stdout, key by key.
import fc from 'fast-check';
import type { Instance } from 'ink';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFrame, inkOutputUrl, type InkOutput } from '../../../cli/ui/ink-output.js';
import { InspectorFeed, makeEvent, mixedEvents } from '../../helpers/inspector-feed.js';
import { FakeStdin, FakeStdout } from '../../helpers/fake-tty.js';
import { KEY } from '../../helpers/ui.js';

type Frame = { output: string; height: number };
interface OutputModule {
  default: {
    new (options: { width: number; height: number }): InkOutput & {
      write(x: number, y: number, text: string, options: { transformers: ((line: string, index: number) => string)[] }): void;
      clip(clip: { x1?: number; x2?: number; y1?: number; y2?: number }): void;
      unclip(): void;
      get(): Frame;
    };
    prototype: { get(this: InkOutput): Frame };
  };
}

// Before Ink is first loaded, as the CLI's prepareEnvironment does: Ink draws nothing but
// the last frame, at exit, when the environment says CI, and CI machines say so. (Not
// prepareEnvironment itself: its production NODE_ENV would take from vitest's JSX the
// development runtime it compiles to.)
delete process.env.CI;
delete process.env.CONTINUOUS_INTEGRATION;
const { render } = await import('ink');
const { App } = await import('../../../cli/ui/App.js');
const { default: Output } = (await import(inkOutputUrl())) as OutputModule;
const inkGet = Output.prototype.get;

const pieces = [
  'a', 'Z', ' ', '{', '"', '~', '…', '✓', '✗', '●', '漢', '字', '😀', 'é', 'e\u0301', '\u200b', '\t', '\u0007',
  '\u001b[1m', '\u001b[2m', '\u001b[7m', '\u001b[31m', '\u001b[1;32m', '\u001b[0;7;36m', '\u001b[0m', '\u001b[39m', '\u001b[22m',
  '\u001b[38;5;208m', '\u001b[48;2;1;2;3m', '\u001b[m', '\u001b[x', '\u001b]8;;http://e.x\u0007', '\u001b]8;;\u0007',
];
const text = fc.array(fc.constantFrom(...pieces), { maxLength: 30 }).map((parts) => parts.join(''));
const operation = fc.oneof(
  fc.record({ type: fc.constant('write' as const), x: fc.integer({ min: 0, max: 24 }), y: fc.integer({ min: 0, max: 8 }), lines: fc.array(text, { minLength: 1, maxLength: 3 }), upper: fc.boolean() }),
  fc.record({ type: fc.constant('clip' as const), x1: fc.integer({ min: 0, max: 10 }), width: fc.integer({ min: 0, max: 20 }), y1: fc.integer({ min: 0, max: 4 }), height: fc.integer({ min: 0, max: 6 }) }),
  fc.constant({ type: 'unclip' as const }),
);

describe('buildFrame against Ink 6.8', () => {
  it('builds the frame Ink builds from the same operations, drawn once and again', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 8 }), fc.array(operation, { maxLength: 14 }), (width, height, operations) => {
        const output = new Output({ width, height });
        let clips = 0;
        for (const op of operations) {
          if (op.type === 'write') {
            output.write(op.x, op.y, op.lines.join('\n'), { transformers: op.upper ? [(line) => line.toUpperCase()] : [] });
          } else if (op.type === 'clip') {
            clips++;
            output.clip({ x1: op.x1, x2: op.x1 + op.width, y1: op.y1, y2: op.y1 + op.height });
          } else if (clips > 0) {
            clips--;
            output.unclip();
          }
        }
        const ink = inkGet.call(output);
        // The second time answers from what the first remembered.
        expect(buildFrame.call(output)).toEqual(ink);
        expect(buildFrame.call(output)).toEqual(ink);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('the real App in colour', () => {
  let feed: InspectorFeed;
  let app: Instance;
  const stdout = new FakeStdout(120, 32);
  const stdin = new FakeStdin();
  const compared: { ink: Frame; ours: Frame }[] = [];

  beforeAll(async () => {
    // Both on every frame Ink draws; the App is drawn with ours.
    Output.prototype.get = function both(this: InkOutput) {
      const ours = buildFrame.call(this);
      compared.push({ ink: inkGet.call(this), ours });
      return ours;
    };
    const odd = [
      makeEvent({ seq: 41, type: 'client/update', body: JSON.stringify({ name: '漢字のクリニック', pet: '🐕 Rex', note: 'cafe\u0301', tab: 'a\tb' }) }),
      makeEvent({ seq: 42, type: 'client/update', body: JSON.stringify({ name: 'Clinic', pet: 'Rex', note: 'x'.repeat(300) }) }),
      makeEvent({ seq: 43, type: 'client/update', status: 'invalid', body: 'not json \u001b[31m red? \u0007' }),
    ];
    feed = await InspectorFeed.start({ history: [...mixedEvents(40), ...odd] });
    app = render(<App inspectUrl={feed.url} />, {
      stdout: stdout as unknown as NodeJS.WriteStream,
      stdin: stdin as unknown as NodeJS.ReadStream,
      patchConsole: false,
      exitOnCtrlC: false,
    });
    await stdout.until((frame) => frame.includes('#43 '), 10_000, 'the history');
  });

  afterAll(async () => {
    app?.unmount();
    Output.prototype.get = inkGet;
    await feed?.close();
  });

  it('gets from buildFrame the frames Ink would have drawn, through every tab, the help and the filter', async () => {
    // Each key changes the screen, so each one is a frame compared.
    const keys = ['2', KEY.up, KEY.up, '3', KEY.up, '4', KEY.up, '1', KEY.down, '2', 'J', 'J', '?', '?', '/', 'Clinic', KEY.enter, '3', KEY.up];
    for (const key of keys) {
      const before = compared.length;
      const frame = stdout.nextFrame();
      stdin.write(key);
      await frame;
      expect(compared.length).toBeGreaterThan(before);
    }
    const styled = compared.filter(({ ours }) => ours.output.includes('\u001b['));
    expect(styled.length).toBe(compared.length);
    expect(compared.filter(({ ink, ours }) => ink.output !== ours.output)).toEqual([]);
    expect(compared.some(({ ours }) => ours.output.includes('漢字'))).toBe(true);
  }, 30_000);
});
