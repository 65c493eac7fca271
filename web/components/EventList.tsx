// The live list: only the rows in sight are in the document (10,000 events are 10,000
// rows of data, not of DOM), each with the TUI's cells: seq, drift mark, time, verdict as
// symbol, word and colour, type (unknown ones marked), size and what the forward got.
import { memo } from 'preact/compat';
import { useCallback, useLayoutEffect, useRef } from 'preact/hooks';
import { useRowWindow } from './row-window.js';
import type { ForwardRecord, WebhookEvent } from '../../server/types.js';
import type { Action, UiState } from '../../cli/ui/model/state.js';
import type { DriftView } from '../../cli/ui/model/drift.js';
import { typeLabel } from '../../cli/ui/view/detail.js';
import { VERDICTS } from '../../cli/ui/view/theme.js';
import { formatTime } from '../../cli/ui/view/text.js';
import { formatBytes } from '../../cli/output/terminal-text.js';

/** Pixels a row takes: the style sheet's `.row` height. */
export const ROW_HEIGHT = 24;

function forwardCell(forward: ForwardRecord | undefined): { text: string; tone: string; title: string } | null {
  if (!forward) return null;
  if (forward.error) return { text: '→ ERR', tone: 'c-red', title: `forward failed: ${forward.error}` };
  if (forward.status === undefined) return { text: '→ …', tone: 'dim', title: 'forwarding' };
  if (forward.rejectedValid) return { text: `→ ${forward.status} ⚠`, tone: 'c-red', title: 'your app rejected a validly signed event: its verification is wrong' };
  return { text: `→ ${forward.status}`, tone: forward.status < 300 ? 'c-cyan' : 'c-yellow', title: `forwarded to ${forward.url}` };
}

interface RowProps {
  event: WebhookEvent;
  forward: ForwardRecord | undefined;
  drifted: boolean;
  selected: boolean;
  position: number;
  select: (position: number) => void;
}

/** Drawn again only when what it shows changes. */
const Row = memo(
  function Row({ event, forward: record, drifted, selected, position, select }: RowProps) {
  const v = VERDICTS[event.signature.status];
  const forward = forwardCell(record);
  const unknown = !event.knownType && event.type !== null;
  return (
    <div class={selected ? 'row selected' : 'row'} role="option" aria-selected={selected} data-seq={event.seq} onClick={() => select(position)}>
      <span class="seq dim">#{event.seq}</span>
      <span class="drift c-magenta b" title={drifted ? 'its shape departs from the earlier events of its type' : undefined}>{drifted ? '~' : ''}</span>
      <span class="time dim">{formatTime(event.receivedAt)}</span>
      <span class={`verdict b c-${v.colour}`}>{v.symbol} {event.signature.status}</span>
      <span class={unknown ? 'type c-yellow' : 'type'}>
        {typeLabel(event)}
        {unknown ? <span class="tag">unknown type</span> : null}
      </span>
      <span class="size dim">{event.truncated ? `>${formatBytes(event.size)}` : formatBytes(event.size)}</span>
      <span class={`fwd ${forward?.tone ?? ''}`} title={forward?.title}>{forward?.text ?? ''}</span>
    </div>
  );
  },
  (a, b) => a.event === b.event && a.forward === b.forward && a.drifted === b.drifted && a.selected === b.selected && a.position === b.position,
);

export function EventList({ state, drift, dispatch }: { state: UiState; drift: DriftView; dispatch: (action: Action) => void }) {
  const view = useRowWindow(state.visible.length, ROW_HEIGHT);
  // One callback for every row, reading the cursor when clicked: a row drawn earlier stays right.
  const cursor = useRef(state.cursor);
  cursor.current = state.cursor;
  const select = useCallback((position: number) => dispatch({ type: 'move', delta: position - cursor.current }), [dispatch]);

  // The page up/down step follows the window's height.
  useLayoutEffect(() => {
    if (view.rows !== state.listRows) dispatch({ type: 'viewport', listRows: view.rows });
  }, [view.rows, state.listRows, dispatch]);

  // Keep the selection in sight when it moves (keys, follow), not when the user scrolls;
  // while the history pours in, once at its end (each scroll costs the page a layout).
  useLayoutEffect(() => {
    if (state.cursor >= 0 && state.historyLoaded) view.reveal(state.cursor);
  }, [state.cursor, state.visible.length, state.historyLoaded]);

  const shown = state.visible.slice(view.first, view.last);
  return (
    <div class="list" ref={view.ref} role="listbox" aria-label="Events" onScroll={view.onScroll}>
      {state.visible.length === 0 ? (
        <EmptyList state={state} />
      ) : (
        <div class="rows" style={{ height: `${state.visible.length * ROW_HEIGHT}px` }}>
          <div style={{ transform: `translateY(${view.first * ROW_HEIGHT}px)` }}>
            {shown.map((index, i) => {
              const event = state.events[index] as WebhookEvent;
              const position = view.first + i;
              return (
                <Row
                  key={event.id}
                  event={event}
                  forward={state.forwards.get(event.id)}
                  drifted={drift.learnt(event.id) !== undefined}
                  selected={position === state.cursor}
                  position={position}
                  select={select}
                />
              );
            })}
          </div>
        </div>
      )}
    </div>
  );
}

function EmptyList({ state }: { state: UiState }) {
  if (state.events.length > 0) return <p class="empty c-yellow">No event matches “{state.filter}”. Esc clears the filter.</p>;
  if (!state.hello) return <p class="empty dim">Waiting for the inspector stream…</p>;
  return (
    <p class="empty dim">
      Waiting for webhooks. POST them to <span class="c-cyan">{state.hello.webhookUrl}</span>, or use “Send a test” above.
    </p>
  );
}
