// The state of the tunnel and of the stream as styled text: the TUI's header and the web
// page's both say it in these words.
import type { UiState } from '../model/state.js';
import { paneText, seg, type Segment } from './text.js';

export function tunnelSegments(state: UiState): Segment[] {
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

export function streamSegments(state: UiState): Segment[] {
  const c = state.connection;
  switch (c.status) {
    case 'connecting':
      return [seg('◌ connecting…', { colour: 'yellow' })];
    case 'open': {
      const received = c.historyReceived === undefined ? '' : ` ${c.historyReceived.toLocaleString('en-US')}`;
      const live = state.historyLoaded ? [seg('● live', { colour: 'green' })] : [seg(`● loading history…${received}`, { colour: 'yellow' })];
      // The history's bodies follow its list (`bodies=after`).
      const coming = state.pendingBodies.size;
      if (state.historyLoaded && coming > 0) live.push(seg(` · ${coming.toLocaleString('en-US')} bodies to come`, { dim: true }));
      return c.restarted ? [...live, seg(' · inspector restarted: reconnected with its new token', { colour: 'yellow' })] : live;
    }
    case 'reconnecting':
      return [seg(`↻ reconnecting: ${paneText(c.reason)}`, { colour: 'yellow', bold: true })];
  }
}
