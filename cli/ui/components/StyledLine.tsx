// One line of styled segments, cut (never wrapped) at the pane's edge.
import { Text } from 'ink';
import { paint } from '../view/theme.js';
import type { Line } from '../view/text.js';

export function StyledLine({ line, inverse = false }: { line: Line; inverse?: boolean }) {
  if (line.length === 0) return <Text> </Text>;
  return (
    <Text wrap="truncate-end" inverse={inverse}>
      {line.map((s, i) => (
        <Text key={i} color={paint(s.colour)} bold={s.bold} dimColor={s.dim} inverse={s.inverse}>
          {s.text}
        </Text>
      ))}
    </Text>
  );
}
