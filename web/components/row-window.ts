// A window over rows of one fixed height, for the list and the detail pane: only the rows
// in sight, and a few on either side, go in the document, so 10,000 events or a body of
// 5,000 lines cost what a screenful does. Sizes come from a ResizeObserver and the scroll
// position from the scroll event, never read back from the layout while rendering.
import { useLayoutEffect, useRef, useState } from 'preact/hooks';

/** Rows drawn above and below the window, so a fast scroll shows no gap. */
const OVERSCAN = 8;

export interface RowWindow {
  ref: { current: HTMLDivElement | null };
  /** The rows to draw: [first, last). */
  first: number;
  last: number;
  /** Whole rows in sight. */
  rows: number;
  onScroll(): void;
  /** Scrolls so that the row is in sight, if it is not. */
  reveal(row: number): void;
  scrollTo(row: number): void;
}

export function useRowWindow(count: number, rowHeight: number): RowWindow {
  const ref = useRef<HTMLDivElement | null>(null);
  const [view, setView] = useState({ top: 0, height: 0 });
  const latest = useRef(view);
  latest.current = view;
  // Scroll positions are written and read in the next animation frame, where the browser
  // lays the page out anyway: a write to scrollTop, or a read after the rows changed,
  // forces a layout of its own at any other time (in a burst, one every batch).
  const frame = useRef<{ write: number | null; read: boolean }>({ write: null, read: false });
  const flush = (): void => {
    const el = ref.current;
    const pending = frame.current;
    if (el && pending.write !== null) el.scrollTop = pending.write;
    const read = pending.read && el !== null;
    frame.current = { write: null, read: false };
    if (!read) return;
    const top = el.scrollTop;
    if (Math.abs(top - latest.current.top) >= 1) setView((v) => ({ top, height: v.height }));
  };
  const schedule = (change: (pending: { write: number | null; read: boolean }) => void): void => {
    const idle = frame.current.write === null && !frame.current.read;
    change(frame.current);
    if (idle) requestAnimationFrame(flush);
  };
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setView((v) => ({ top: v.top, height: entry.contentRect.height }));
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  const scrollTo = (row: number): void => {
    const top = Math.max(0, Math.min(row, count - 1) * rowHeight);
    if (top === latest.current.top) return;
    setView({ top, height: latest.current.height });
    schedule((pending) => void (pending.write = top));
  };
  return {
    ref,
    first: Math.max(0, Math.floor(view.top / rowHeight) - OVERSCAN),
    last: Math.min(count, Math.ceil((view.top + view.height) / rowHeight) + OVERSCAN),
    rows: Math.max(1, Math.floor(view.height / rowHeight)),
    onScroll: () => schedule((pending) => void (pending.read = true)),
    reveal(row) {
      const { top, height } = latest.current;
      const y = row * rowHeight;
      if (y < top) scrollTo(row);
      else if (y + rowHeight > top + height && height > 0) scrollTo(row - Math.floor(height / rowHeight) + 1);
    },
    scrollTo,
  };
}
