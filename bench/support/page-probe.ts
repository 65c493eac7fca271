// What the web benchmark runs inside the page, against the DOM the web inspector promises
// (web/components): the verdict counts, the virtualized rows, the detail's title. Playwright
// sends these functions to the page as source text, so each stands alone (no imports, no
// outer names but types), and the page's globals are typed here by hand: bench/ compiles
// without the DOM library.

interface ProbeElement {
  textContent: string | null;
  getAttribute(name: string): string | null;
}

interface ProbeWindow {
  document: {
    querySelector(selector: string): ProbeElement | null;
    querySelectorAll(selector: string): Iterable<ProbeElement>;
    dispatchEvent(event: unknown): boolean;
  };
  requestAnimationFrame(callback: () => void): number;
  MessageChannel: new () => { port1: { onmessage: (() => void) | null }; port2: { postMessage(message: unknown): void } };
  KeyboardEvent: new (type: string, init: { key: string; bubbles: boolean; cancelable: boolean }) => unknown;
  __probe?: Probe;
}

interface Probe {
  /** performance.now() (ms since navigation start) at the first frame with `expected` events counted and rows drawn. */
  loaded: Promise<number>;
  /** performance.now() at the first frame that says every body of the history is in (they follow the list). */
  bodiesIn: Promise<number>;
  /** Resolves once the next frame has been painted. */
  painted(): Promise<void>;
  /** Resolves at the first frame with `total` events counted and the row of `seq` in the document; the wall clock then. */
  drawn(total: number, seq: number): Promise<number>;
  titleSeq(): string | null;
}

/** Installed before the page's own script (addInitScript), so the first frames are watched too. */
export function installProbe(expected: number): void {
  const w = globalThis as unknown as ProbeWindow;
  const frame = () => new Promise<void>((resolve) => w.requestAnimationFrame(resolve));
  // A frame's animation callbacks run before its paint; a task posted from one runs after it.
  const painted = () =>
    new Promise<void>((resolve) =>
      w.requestAnimationFrame(() => {
        const channel = new w.MessageChannel();
        channel.port1.onmessage = () => resolve();
        channel.port2.postMessage(0);
      }),
    );
  const counted = (): number => {
    let sum = 0;
    for (const count of w.document.querySelectorAll('.counts .count')) sum += Number(/(\d+)\s*$/.exec(count.textContent ?? '')?.[1] ?? 0);
    return sum;
  };
  const until = async (test: () => boolean): Promise<void> => {
    while (!test()) await frame();
  };
  const drawn = async (total: number, seq: number): Promise<number> => {
    await until(() => counted() === total && w.document.querySelector(`.row[data-seq="${seq}"]`) !== null);
    return performance.timeOrigin + performance.now();
  };
  w.__probe = {
    loaded: until(
      () => w.document.querySelector('.status[data-history="loaded"]') !== null && counted() === expected && w.document.querySelector('.row[data-seq]') !== null,
    ).then(() => performance.now()),
    bodiesIn: until(() => w.document.querySelector('.status[data-bodies="loaded"]') !== null).then(() => performance.now()),
    painted,
    drawn,
    titleSeq: () => w.document.querySelector('.title[data-seq]')?.getAttribute('data-seq') ?? null,
  };
}

/** Starts watching for a burst that brings the count to `total`, its last event `seq`; the page's wall clock once drawn. */
export function watchBurst({ total, seq }: { total: number; seq: number }): void {
  const w = globalThis as unknown as ProbeWindow & { __burst?: Promise<number> };
  w.__burst = w.__probe!.drawn(total, seq);
}

export function burstDrawnAt(): Promise<number> | undefined {
  return (globalThis as unknown as { __burst?: Promise<number> }).__burst;
}

export function loadedAt(): Promise<number> | undefined {
  return (globalThis as unknown as ProbeWindow).__probe?.loaded;
}

export function bodiesInAt(): Promise<number> | undefined {
  return (globalThis as unknown as ProbeWindow).__probe?.bodiesIn;
}

/**
 * Presses `key` `presses` times (a keydown on the document, as a person's key lands
 * outside the filter), each time until the detail's title shows another event and that
 * frame has been painted. A painted frame between presses keeps them from merging.
 */
export async function pressKeys({ key, presses }: { key: string; presses: number }): Promise<number[]> {
  const w = globalThis as unknown as ProbeWindow;
  const probe = w.__probe!;
  const times: number[] = [];
  for (let i = 0; i < presses; i++) {
    const before = probe.titleSeq();
    const t0 = performance.now();
    w.document.dispatchEvent(new w.KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
    do {
      await probe.painted();
    } while (probe.titleSeq() === before);
    times.push(performance.now() - t0);
    await probe.painted();
  }
  return times;
}

/** Switches the detail's tab with its key (1-4) and waits for that tab to be drawn. */
export async function showTab({ key, tab }: { key: string; tab: string }): Promise<void> {
  const w = globalThis as unknown as ProbeWindow;
  w.document.dispatchEvent(new w.KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
  while (w.document.querySelector(`.pane[data-tab="${tab}"]`) === null) await w.__probe!.painted();
}

/**
 * The floor under the page: the stream read by the browser's own WebSocket, each message
 * parsed and nothing drawn; ms from opening it to history-end. Held on the window, or the
 * socket (and the promise playwright waits on) could be collected mid-way.
 */
export function readHistory(streamUrl: string): Promise<number> {
  const w = globalThis as unknown as { WebSocket: new (url: string) => { onmessage: ((m: { data: string }) => void) | null; close(): void }; __floor?: unknown };
  return new Promise((resolve) => {
    const t0 = performance.now();
    // Batched as the page asks for it: many messages a frame, one a line.
    const socket = new w.WebSocket(`${streamUrl}&batch=1`);
    w.__floor = socket;
    socket.onmessage = (message) => {
      const kinds = message.data.split('\n').map((line) => (JSON.parse(line) as { kind: string }).kind);
      if (!kinds.includes('history-end')) return;
      socket.close();
      resolve(performance.now() - t0);
    };
  });
}
