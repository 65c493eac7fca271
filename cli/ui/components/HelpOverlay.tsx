// The `?` overlay, generated from the key table so it lists exactly the keys that work.
import { Box } from 'ink';
import { BINDINGS, CONTEXT_TITLES, type KeyContext } from '../model/keys.js';
import { fit, plain, seg, wrapLine, type Line } from '../view/text.js';
import { StyledLine } from './StyledLine.js';

const LABEL_WIDTH = 11;
const INDENT = 2 + LABEL_WIDTH;

/** The help as lines no wider than `width`: long help texts wrap under their own column. */
export function helpLines(width = Infinity): Line[] {
  const lines: Line[] = [];
  for (const context of Object.keys(CONTEXT_TITLES) as KeyContext[]) {
    if (lines.length > 0) lines.push(plain(''));
    lines.push([seg(CONTEXT_TITLES[context], { bold: true })]);
    for (const b of BINDINGS.filter((x) => x.context === context)) {
      const [first = [], ...rest] = wrapLine([seg(b.help)], Math.max(10, width - INDENT));
      lines.push([seg('  ' + fit(b.label, LABEL_WIDTH), { colour: 'cyan' }), ...first]);
      for (const more of rest) lines.push([seg(' '.repeat(INDENT)), ...more]);
    }
  }
  return lines;
}

/** The web inspector's address, above the keys: the same events in a browser. */
export function webLine(uiUrl: string): Line {
  return [seg('Web inspector ', { bold: true }), seg(uiUrl, { colour: 'cyan' }), seg('  (the same events in a browser)', { dim: true })];
}

/** The help in one column, or two when the screen is too short for one; the web inspector's URL above it. */
export function HelpOverlay({ width, rows, uiUrl }: { width: number; rows: number; uiUrl?: string }) {
  const top = uiUrl ? 2 : 0;
  const keyRows = rows - top;
  const columns = helpLines(width).length > keyRows && width >= 80 ? 2 : 1;
  const colWidth = Math.floor(width / columns);
  const lines = helpLines(colWidth - 1);
  const perColumn = Math.ceil(lines.length / columns);
  return (
    <Box flexDirection="column" width={width} height={rows}>
      {uiUrl ? <StyledLine line={webLine(uiUrl)} width={width} /> : null}
      {uiUrl ? <StyledLine line={[]} width={width} /> : null}
      <Box flexDirection="row" width={width} height={keyRows}>
        {Array.from({ length: columns }, (_, c) => (
          <Box key={c} flexDirection="column" width={colWidth}>
            {lines
              .slice(c * perColumn, (c + 1) * perColumn)
              .slice(0, keyRows)
              .map((line, i) => (
                <StyledLine key={i} line={line} width={colWidth} />
              ))}
          </Box>
        ))}
      </Box>
    </Box>
  );
}
