// The `?` overlay, generated from the key table so it lists exactly the keys that work.
import { Box } from 'ink';
import { BINDINGS, CONTEXT_TITLES, type KeyContext } from '../keys.js';
import { fit, plain, seg, type Line } from '../text.js';
import { StyledLine } from './StyledLine.js';

const LABEL_WIDTH = 11;

export function helpLines(): Line[] {
  const lines: Line[] = [];
  for (const context of Object.keys(CONTEXT_TITLES) as KeyContext[]) {
    if (lines.length > 0) lines.push(plain(''));
    lines.push([seg(CONTEXT_TITLES[context], { bold: true })]);
    for (const b of BINDINGS.filter((x) => x.context === context)) {
      lines.push([seg('  ' + fit(b.label, LABEL_WIDTH), { colour: 'cyan' }), seg(b.help)]);
    }
  }
  return lines;
}

/** The help in one column, or two when the screen is too short for one. */
export function HelpOverlay({ width, rows }: { width: number; rows: number }) {
  const lines = helpLines();
  const columns = lines.length > rows && width >= 80 ? 2 : 1;
  const perColumn = Math.ceil(lines.length / columns);
  const colWidth = Math.floor(width / columns);
  return (
    <Box flexDirection="row" width={width} height={rows}>
      {Array.from({ length: columns }, (_, c) => (
        <Box key={c} flexDirection="column" width={colWidth}>
          {lines.slice(c * perColumn, (c + 1) * perColumn).slice(0, rows).map((line, i) => (
            <StyledLine key={i} line={line} />
          ))}
        </Box>
      ))}
    </Box>
  );
}
