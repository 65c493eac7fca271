// The event list: only the rows inside the window are drawn, whatever the store holds.
import { Box } from 'ink';
import { memo } from 'react';
import type { WebhookEvent } from '../../../server/types.js';
import { typeLabel } from '../view/detail.js';
import type { UiState } from '../model/state.js';
import type { DriftView } from '../model/drift.js';
import { searching } from '../model/held-bodies.js';
import { VERDICTS } from '../view/theme.js';
import { formatBytes } from '../../output/terminal-text.js';
import { fit, formatTime, paneText, seg, type Line } from '../view/text.js';
import { StyledLine } from './StyledLine.js';

const UNKNOWN = ' (unknown)';

function forwardCell(state: UiState, event: WebhookEvent): string {
  const f = state.forwards.get(event.id);
  if (!f) return '';
  return f.error ? '→ERR' : f.status === undefined ? '→…' : `→${f.status}`;
}

/** The type cell; an unknown type keeps its marker visible however narrow the cell. */
function typeCell(event: WebhookEvent, width: number): string {
  if (event.knownType || event.type === null) return fit(typeLabel(event), width);
  const room = Math.max(1, width - UNKNOWN.length);
  return fit(fit(typeLabel(event), room).trimEnd() + UNKNOWN, width);
}

/** Rows narrow with the list: first the time goes, then the verdict word (never its symbol). */
export type RowStyle = 'full' | 'medium' | 'compact';

export function rowStyle(width: number): RowStyle {
  if (width >= 68) return 'full';
  return width >= 56 ? 'medium' : 'compact';
}

// The size cell holds any formatBytes answer up to "1023 KiB", and a body over --max-body
// (">5.0 MiB").
const SIZE_WIDTH = 8;
// Columns around the type cell, per style: seq, time, verdict, size, forward, and spaces.
const FIXED_WIDTH: Record<RowStyle, number> = { full: 35 + SIZE_WIDTH, medium: 26 + SIZE_WIDTH, compact: 16 + SIZE_WIDTH };

/** `drifted`: the event's shape departs from the earlier events of its type (marked `~` after the seq). */
export function eventRow(state: UiState, event: WebhookEvent, width: number, style: RowStyle, drifted = false): Line {
  const v = VERDICTS[event.signature.status];
  const size = event.truncated ? `>${formatBytes(event.size)}` : formatBytes(event.size);
  const typeWidth = Math.max(4, width - FIXED_WIDTH[style]);
  const line = [seg(fit(`#${event.seq}`, 6, 'right'), { dim: true }), drifted ? seg('~', { colour: 'magenta', bold: true }) : seg(' ')];
  if (style === 'full') line.push(seg(formatTime(event.receivedAt) + ' '));
  line.push(
    style === 'compact'
      ? seg(v.symbol, { colour: v.colour, bold: true })
      : seg(fit(`${v.symbol} ${event.signature.status}`, 11), { colour: v.colour, bold: true }),
    seg(' '),
    seg(typeCell(event, typeWidth), { colour: event.knownType ? undefined : 'yellow' }),
    seg(' ' + fit(size, SIZE_WIDTH, 'right') + ' ' + fit(forwardCell(state, event), 5)),
  );
  return line;
}

function titleLine(state: UiState): Line {
  const total = state.events.length.toLocaleString('en-US');
  const line = [seg(`Events ${total}`, { bold: true })];
  if (state.filter) {
    line.push(seg(`  filter "${paneText(state.filter)}": ${state.visible.length.toLocaleString('en-US')} shown`, { colour: 'cyan' }));
    if (searching(state)) line.push(seg(", searching the log's bodies…", { colour: 'yellow' }));
  }
  line.push(seg(state.follow ? '  follow on' : '  follow off (f)', { dim: !state.follow, colour: state.follow ? 'green' : undefined }));
  if (state.dropped > 0) line.push(seg(`  ${state.dropped.toLocaleString('en-US')} oldest dropped`, { dim: true }));
  return line;
}

function emptyLines(state: UiState): Line[] {
  if (state.events.length > 0) return [[seg(`No event matches "${paneText(state.filter)}". Esc clears the filter.`, { colour: 'yellow' })]];
  const url = state.hello?.webhookUrl;
  if (!url) return [[seg('Waiting for the inspector stream…', { dim: true })]];
  return [
    [seg('Waiting for webhooks. POST them to ', { dim: true }), seg(url, { colour: 'cyan' })],
    [seg('or press ', { dim: true }), seg('t', { bold: true }), seg(' and the listener sends itself a signed test event.', { dim: true })],
  ];
}

interface RowProps {
  state: UiState;
  event: WebhookEvent;
  width: number;
  style: RowStyle;
  drifted: boolean;
  selected: boolean;
}

/** One row, drawn again only when what it shows changed: a key press changes two rows, not the window. */
const EventRow = memo(
  function EventRow({ state, event, width, style, drifted, selected }: RowProps) {
    return <StyledLine line={eventRow(state, event, width, style, drifted)} width={width} inverse={selected} />;
  },
  (a, b) =>
    a.event === b.event &&
    a.width === b.width &&
    a.style === b.style &&
    a.drifted === b.drifted &&
    a.selected === b.selected &&
    a.state.forwards.get(a.event.id) === b.state.forwards.get(b.event.id),
);

export function EventList({ state, drift, width, rows }: { state: UiState; drift?: DriftView; width: number; rows: number }) {
  const style = rowStyle(width);
  const window = state.visible.slice(state.top, state.top + rows);
  return (
    <Box flexDirection="column" width={width} height={rows + 1}>
      <StyledLine line={titleLine(state)} width={width} />
      {window.length === 0
        ? emptyLines(state).map((line, i) => <StyledLine key={i} line={line} width={width} />)
        : window.map((index, i) => {
            const event = state.events[index] as WebhookEvent;
            const selected = state.top + i === state.cursor;
            // Not learnt yet: unmarked until the App has learnt it in idle time and draws again.
            const drifted = drift?.learnt(event.id) !== undefined;
            return <EventRow key={event.id} state={state} event={event} width={width} style={style} drifted={drifted} selected={selected} />;
          })}
    </Box>
  );
}
