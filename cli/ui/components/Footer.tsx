// The bottom line: the filter being typed, or the keys that matter now (from the key table).
import type { UiState } from '../state.js';
import { hints } from '../keys.js';
import { seg, type Line } from '../text.js';
import { StyledLine } from './StyledLine.js';

export function footerLine(state: UiState): Line {
  if (state.filterEditing) {
    return [seg('/', { bold: true, colour: 'cyan' }), seg(state.filter), seg('▏', { colour: 'cyan' }), seg('   ' + hints('filter'), { dim: true })];
  }
  const line: Line = [seg(hints(state.help ? 'help' : 'main'), { dim: true })];
  if (state.lastError) return [...line, seg(`  ${state.lastError}`, { colour: 'red' })];
  return line;
}

export function Footer({ state }: { state: UiState }) {
  return <StyledLine line={footerLine(state)} />;
}
