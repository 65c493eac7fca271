// Lines of styled segments (cli/ui/view/text.ts), the shared view's output, as HTML: the
// colours are the style sheet's classes, so they follow the light or dark scheme.
import type { Line, Segment } from '../../cli/ui/view/text.js';

function className(s: Segment): string | undefined {
  const names = [s.colour && `c-${s.colour}`, s.bold && 'b', s.dim && 'dim', s.inverse && 'inv'].filter(Boolean);
  return names.length > 0 ? names.join(' ') : undefined;
}

export function LineView({ line }: { line: Line }) {
  return (
    <div class="ln">
      {line.length === 0 ? '\u00a0' : line.map((s, i) => (s.colour || s.bold || s.dim || s.inverse ? <span key={i} class={className(s)}>{s.text}</span> : s.text))}
    </div>
  );
}
