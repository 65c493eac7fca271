// The detail pane: the selected event's title, the tab bar and the visible slice of the
// current tab's (already wrapped) lines.
import { Box } from 'ink';
import type { ForwardRecord, WebhookEvent } from '../../../server/types.js';
import { titleLine } from '../view/detail.js';
import { TABS, type Tab } from '../model/state.js';
import { seg, type Line } from '../view/text.js';
import { StyledLine } from './StyledLine.js';

const TAB_NAMES: Record<Tab, string> = { headers: 'Headers', body: 'Body', diff: 'Diff', signature: 'Signature' };

function tabBar(tab: Tab, scroll: number, rows: number, total: number): Line {
  const line = TABS.flatMap((t, i) => [
    seg(` ${i + 1} ${TAB_NAMES[t]} `, t === tab ? { inverse: true, bold: true } : { dim: true }),
    seg(' '),
  ]);
  if (total > rows) {
    const last = Math.min(total, scroll + rows);
    line.push(seg(` lines ${scroll + 1}-${last} of ${total} (J/K)`, { dim: true }));
  }
  return line;
}

export interface DetailProps {
  event: WebhookEvent | null;
  forward?: ForwardRecord;
  savedPath?: string;
  tab: Tab;
  lines: readonly Line[];
  scroll: number;
  width: number;
  rows: number;
}

export function DetailPane({ event, forward, savedPath, tab, lines, scroll, width, rows }: DetailProps) {
  const visible = lines.slice(scroll, scroll + rows);
  return (
    <Box flexDirection="column" width={width} height={rows + 2}>
      <StyledLine line={event ? titleLine(event, forward, savedPath) : [seg('No event selected.', { dim: true })]} width={width} />
      <StyledLine line={tabBar(tab, scroll, rows, lines.length)} width={width} />
      {visible.map((line, i) => (
        <StyledLine key={scroll + i} line={line} width={width} />
      ))}
    </Box>
  );
}
