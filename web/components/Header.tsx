// The page's top bar: where to send webhooks, the tunnel, the secret's fingerprint, the
// verdict counts and the state of the stream, in the TUI header's words.
import { bodiesLoaded, type UiState } from '../../cli/ui/model/state.js';
import { VERDICT_ORDER, VERDICTS } from '../../cli/ui/view/theme.js';
import { streamSegments, tunnelSegments } from '../../cli/ui/view/status.js';
import { LineView } from './Lines.js';

export function Header({ state }: { state: UiState }) {
  const hello = state.hello;
  const secret = hello?.secret;
  return (
    <header class="top">
      <h1>coreone-inspect</h1>
      <div
        class="status"
        data-connection={state.connection.status} data-history={state.historyLoaded ? 'loaded' : 'loading'}
        data-bodies={bodiesLoaded(state) ? 'loaded' : 'loading'}
      >
        <LineView line={streamSegments(state)} />
      </div>
      <div class="where">
        <span class="dim">webhook </span>
        <span class="c-cyan">{hello?.webhookUrl ?? '…'}</span>
        <LineView line={[{ text: '  ' }, ...tunnelSegments(state)]} />
      </div>
      <div class="counts">
        <span class="dim">secret </span>
        {hello ? (secret ? `${secret.length} chars #${secret.fingerprint}` : 'none (unchecked)') : '…'}
        {VERDICT_ORDER.map((status) => {
          const n = state.counts[status];
          const v = VERDICTS[status];
          return (
            <span key={status} class={n > 0 ? `count c-${v.colour}` : 'count dim'} data-status={status}>
              {v.symbol} {status} {n}
            </span>
          );
        })}
      </div>
    </header>
  );
}
