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
  onScroll(event: { currentTarget: HTMLDivElement }): void;
  /** Scrolls so that the row is in sight, if it is not. */
  reveal(row: number): void;
  scrollTo(row: number): void;
}

export function useRowWindow(count: number, rowHeight: number): RowWindow {
  const ref = useRef<HTMLDivElement | null>(null);
  const [view, setView] = useState({ top: 0, height: 0 });
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
    const top = Math.max(0, row * rowHeight);
    if (ref.current) ref.current.scrollTop = top;
    if (top !== view.top) setView({ top, height: view.height });
  };
  return {
    ref,
    first: Math.max(0, Math.floor(view.top / rowHeight) - OVERSCAN),
    last: Math.min(count, Math.ceil((view.top + view.height) / rowHeight) + OVERSCAN),
    rows: Math.max(1, Math.floor(view.height / rowHeight)),
    onScroll: (event) => setView({ top: event.currentTarget.scrollTop, height: view.height }),
    reveal(row) {
      const y = row * rowHeight;
      if (y < view.top) scrollTo(row);
      else if (y + rowHeight > view.top + view.height && view.height > 0) scrollTo(row - Math.floor(view.height / rowHeight) + 1);
    },
    scrollTo,
  };
}
