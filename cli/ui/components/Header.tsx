// The two header lines: where to send webhooks, the tunnel, the secret's fingerprint,
// the verdict counts and the state of the stream.
import { Box } from 'ink';
import type { UiState } from '../model/state.js';
import { VERDICT_ORDER, VERDICTS } from '../view/theme.js';
import { paneText, seg, type Segment } from '../view/text.js';
import { StyledLine } from './StyledLine.js';

function tunnelSegments(state: UiState): Segment[] {
  const t = state.tunnel;
  if (!t) return [seg('tunnel ', { dim: true }), seg('off (local only)')];
  switch (t.status) {
    case 'up': {
      const up = [seg('tunnel ', { dim: true }), seg(paneText(t.url ?? 'up'), { colour: 'green' })];
      // Whether a request through the URL was seen to arrive here, and a replaced subdomain.
      if (t.probe === 'ok') up.push(seg(' ✓ checked', { colour: 'green' }));
      if (t.probe === 'unverified') up.push(seg(' (not checked)', { colour: 'yellow' }));
      if (t.requestedSubdomain) up.push(seg(` (not the ${paneText(t.requestedSubdomain)} asked for)`, { colour: 'yellow' }));
      return up;
    }
    case 'connecting':
      return [seg('tunnel ', { dim: true }), seg('connecting…', { colour: 'yellow' })];
    case 'down':
      return [seg('tunnel ', { dim: true }), seg(t.error ? `down: ${paneText(t.error)}` : 'down', { colour: 'red' })];
    case 'error':
      return [seg('tunnel ', { dim: true }), seg(`error: ${paneText(t.error ?? 'unknown')}`, { colour: 'red' })];
  }
}

function streamSegments(state: UiState): Segment[] {
  const c = state.connection;
  switch (c.status) {
    case 'connecting':
      return [seg('◌ connecting…', { colour: 'yellow' })];
    case 'open': {
      const live = state.historyLoaded ? seg('● live', { colour: 'green' }) : seg('● loading history…', { colour: 'yellow' });
      return c.restarted ? [live, seg(' · inspector restarted: reconnected with its new token', { colour: 'yellow' })] : [live];
    }
    case 'reconnecting':
      return [seg(`↻ reconnecting: ${paneText(c.reason)}`, { colour: 'yellow', bold: true })];
  }
}

export function Header({ state, title, width }: { state: UiState; title: string; width: number }) {
  const hello = state.hello;
  const first: Segment[] = [
    seg(title, { bold: true }),
    seg('  webhook ', { dim: true }),
    seg(paneText(hello?.webhookUrl ?? '…'), { colour: 'cyan' }),
    seg('  '),
    ...tunnelSegments(state),
  ];
  const secret = hello?.secret;
  // While the stream is down, why comes first: at the end of the line a narrow screen cut it off.
  const down = state.connection.status === 'reconnecting';
  const second: Segment[] = [
    ...(down ? [...streamSegments(state), seg('  ')] : []),
    seg('secret ', { dim: true }),
    seg(hello ? (secret ? `${secret.length} chars #${secret.fingerprint}` : 'none (unchecked)') : '…'),
    seg('  '),
  ];
  // Narrow screens drop the verdict words (the symbols stay) so the stream state fits.
  const words = width >= 100;
  for (const status of VERDICT_ORDER) {
    const n = state.counts[status];
    const v = VERDICTS[status];
    const text = words ? `${v.symbol} ${status} ${n}` : `${v.symbol} ${n}`;
    second.push(seg(text, { colour: n > 0 ? v.colour : undefined, dim: n === 0 }), seg('  '));
  }
  if (!down) second.push(...streamSegments(state));
  return (
    <Box flexDirection="column" width={width}>
      <StyledLine line={first} />
      <StyledLine line={second} />
    </Box>
  );
}
