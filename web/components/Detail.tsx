// The selected event: its title line, then one of the TUI's four tabs, drawn from the same
// lines (cli/ui/view/detail.ts): headers, the body pretty-printed (hex when binary), the
// drift and the diff against the previous event of its type, the signature. The lines
// are wrapped to the pane's width in characters by the TUI's own wrapping, so each is one
// row of one height and only the rows in sight are drawn: a body of 5,000 lines costs a
// screenful.
import { useLayoutEffect, useMemo, useState } from 'preact/hooks';
import type { WebhookEvent } from '../../server/types.js';
import { TABS, type Action, type Tab, type UiState } from '../../cli/ui/model/state.js';
import type { DriftView } from '../../cli/ui/model/drift.js';
import { bodyGap } from '../../cli/ui/model/held-bodies.js';
import { tabLines, titleLine } from '../../cli/ui/view/detail.js';
import { wrapLines } from '../../cli/ui/view/text.js';
import { LineView } from './Lines.js';
import { useRowWindow } from './row-window.js';

const TAB_TITLES: Record<Tab, string> = { headers: 'Headers', body: 'Body', diff: 'Diff', signature: 'Signature' };
/** Pixels a line takes: the style sheet's `.lines` line height. */
const LINE_HEIGHT = 18;
/** The pane's side padding, in pixels (the style sheet's `.pane`). */
const PADDING = 24;

/** How wide one character of the pane's monospace font is, measured once. */
function useCharWidth(): number {
  const [width, setWidth] = useState(7.2);
  useLayoutEffect(() => {
    const probe = document.createElement('span');
    probe.className = 'lines measure';
    probe.textContent = 'M'.repeat(100);
    document.body.append(probe);
    setWidth(probe.getBoundingClientRect().width / 100 || 7.2);
    probe.remove();
  }, []);
  return width;
}

export interface DetailMetrics {
  /** Lines in sight, and the furthest the keys may scroll (the TUI's J/K/Space/b). */
  rows: number;
  max: number;
}

export function Detail({ state, event, previous, drift, dispatch, metrics }: {
  state: UiState;
  event: WebhookEvent | null;
  previous: WebhookEvent | null;
  drift: DriftView;
  dispatch: (action: Action) => void;
  metrics: { current: DetailMetrics };
}) {
  const charWidth = useCharWidth();
  const [width, setWidth] = useState(600);
  const changes = event && state.tab === 'diff' ? drift.of(event.id) : undefined;
  const gap = bodyGap(state, event, previous);
  const lines = useMemo(() => (event ? tabLines(state.tab, event, previous, changes, gap) : []), [state.tab, event, previous, changes, gap]);
  const columns = Math.max(20, Math.floor((width - PADDING) / charWidth));
  const wrapped = useMemo(() => wrapLines(lines, columns), [lines, columns]);
  const view = useRowWindow(wrapped.length, LINE_HEIGHT);
  metrics.current = { rows: view.rows, max: Math.max(0, wrapped.length - view.rows) };

  useLayoutEffect(() => {
    const el = view.ref.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => entry && setWidth(entry.contentRect.width + PADDING));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  // Another event or tab starts at the top; the keys scroll through the model's detailScroll.
  useLayoutEffect(() => view.scrollTo(state.detailScroll), [state.detailScroll, event?.id, state.tab]);

  return (
    <section class="detail" aria-label="Selected event">
      <nav class="tabs" role="tablist">
        {TABS.map((tab, i) => (
          <button key={tab} role="tab" aria-selected={state.tab === tab} class={state.tab === tab ? 'tab on' : 'tab'} onClick={() => dispatch({ type: 'tab', tab })} title={`key ${i + 1}`}>
            {TAB_TITLES[tab]}
          </button>
        ))}
      </nav>
      <div class="title" data-seq={event?.seq}>
        {event ? <LineView line={titleLine(event, state.forwards.get(event.id), state.saved.get(event.id))} /> : <span class="dim">Select an event to see its headers, body, diff and signature.</span>}
      </div>
      <div class="pane" data-tab={state.tab} ref={view.ref} onScroll={view.onScroll} role="region" aria-label={TAB_TITLES[state.tab]}>
        <div class="lines" style={{ height: `${wrapped.length * LINE_HEIGHT}px` }}>
          <div style={{ transform: `translateY(${view.first * LINE_HEIGHT}px)` }}>
            {wrapped.slice(view.first, view.last).map((line, i) => (
              <LineView key={view.first + i} line={line} />
            ))}
          </div>
        </div>
      </div>
    </section>
  );
}
