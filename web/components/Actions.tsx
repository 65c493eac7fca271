// The filter and the actions on the selection: save as fixture, replay to --forward-to,
// send a test of a chosen type, copy as curl; and the answer to the last one.
import type { RefObject } from 'preact';
import type { Action, RequestKind, UiState } from '../../cli/ui/model/state.js';
import { WEBHOOK_TYPES } from '../../server/catalogue/webhook-types.js';

export interface ActionHandlers {
  request(kind: RequestKind, type?: string): void;
  copyCurl(): void;
}

export function Actions({ state, dispatch, handlers, filterRef, testType, setTestType }: {
  state: UiState;
  dispatch: (action: Action) => void;
  handlers: ActionHandlers;
  filterRef: RefObject<HTMLInputElement | null>;
  testType: string;
  setTestType: (type: string) => void;
}) {
  const none = state.cursor < 0;
  return (
    <div class="actions">
      <label class="filter">
        <span class="dim">/</span>
        <input
          ref={filterRef}
          type="search"
          placeholder="filter: a type prefix (accession/) or free text"
          value={state.filter}
          onInput={(e) => dispatch({ type: 'filter-set', text: e.currentTarget.value })}
          onKeyDown={(e) => {
            if (e.key === 'Escape') dispatch({ type: 'filter-clear' });
            if (e.key === 'Escape' || e.key === 'Enter') e.currentTarget.blur();
          }}
          aria-label="Filter"
        />
      </label>
      {state.filter ? <span class="c-cyan shown">{state.visible.length.toLocaleString('en-US')} of {state.events.length.toLocaleString('en-US')}</span> : null}
      <button onClick={() => handlers.request('save')} disabled={none} title="key s">Save fixture</button>
      <button onClick={() => handlers.request('replay')} disabled={none} title="key r: deliver it again to --forward-to">Replay</button>
      <button onClick={() => handlers.copyCurl()} disabled={none} title="key c">Copy as curl</button>
      <span class="send">
        <select value={testType} onChange={(e) => setTestType(e.currentTarget.value)} aria-label="Type of the test event">
          {WEBHOOK_TYPES.map((t) => (
            <option key={t.type} value={t.type}>{t.type}</option>
          ))}
        </select>
        <button onClick={() => handlers.request('send', testType)} title="the listener sends itself a signed test event">Send a test</button>
      </span>
      <label class="follow">
        <input type="checkbox" checked={state.follow} onChange={() => dispatch({ type: 'follow' })} /> follow <span class="dim">(f)</span>
      </label>
      {state.dropped > 0 ? <span class="dim">{state.dropped.toLocaleString('en-US')} oldest dropped</span> : null}
    </div>
  );
}

export function NoticeLine({ state, curl }: { state: UiState; curl: string | null }) {
  const notice = state.notice;
  return (
    <footer class="notice" aria-live="polite">
      {notice ? <span class={notice.tone === 'error' ? 'c-red b' : 'c-cyan'}>{notice.text}</span> : <span class="dim">↑↓ j k select · / filter · 1-4 tabs · s save · r replay · t test · c curl · f follow</span>}
      {curl ? <textarea class="curl" readOnly value={curl} aria-label="curl command" onFocus={(e) => e.currentTarget.select()} /> : null}
    </footer>
  );
}
