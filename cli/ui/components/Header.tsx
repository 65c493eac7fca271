// The two header lines: where to send webhooks, the tunnel, the secret's fingerprint,
// the verdict counts and the state of the stream.
import { Box } from 'ink';
import type { UiState } from '../model/state.js';
import { VERDICT_ORDER, VERDICTS } from '../view/theme.js';
import { paneText, seg, type Segment } from '../view/text.js';
import { streamSegments, tunnelSegments } from '../view/status.js';
import { StyledLine } from './StyledLine.js';

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
      <StyledLine line={first} width={width} />
      <StyledLine line={second} width={width} />
    </Box>
  );
}
