// The bottom line: the filter being typed, or the answer to the user's last request and
// the keys that matter now (from the key table).
import type { UiState } from '../model/state.js';
import { hints } from '../model/keys.js';
import { paneText, seg, type Line } from '../view/text.js';
import { StyledLine } from './StyledLine.js';

export function footerLine(state: UiState): Line {
  if (state.filterEditing) {
    return [seg('/', { bold: true, colour: 'cyan' }), seg(paneText(state.filter)), seg('▏', { colour: 'cyan' }), seg('   ' + hints('filter'), { dim: true })];
  }
  const keys = seg(hints(state.help ? 'help' : 'main'), { dim: true });
  const notice = state.notice;
  if (!notice) return [keys];
  return [seg(paneText(notice.text), { colour: notice.tone === 'error' ? 'red' : 'cyan', bold: notice.tone === 'error' }), seg('   '), keys];
}

export function Footer({ state, width }: { state: UiState; width: number }) {
  return <StyledLine line={footerLine(state)} width={width} />;
}
