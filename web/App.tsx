// The web inspector: the TUI's client model (cli/ui/model) drawn as a page. All I/O sits
// here (the stream, the keys, the clipboard); the components draw the state and dispatch
// the model's actions. State changes only through the shared reducer.
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'preact/hooks';
import type { ClientMessage, WebhookEvent } from '../server/types.js';
import { requestFor } from '../cli/ui/model/requests.js';
import { bodiesLoaded, initialState, previousOfSameType, reducer, selectedEvent, type Action, type RequestKind } from '../cli/ui/model/state.js';
import { DriftView, IdleLearner } from '../cli/ui/model/drift.js';
import { curlCommandFor } from '../cli/ui/model/curl.js';
import type { CommandResult } from '../cli/ui/model/keys.js';
import { StreamConnection } from '../cli/ui/connection.js';
import { openBrowserSocket } from './socket.js';
import { pageCommand } from './keys.js';
import { Header } from './components/Header.js';
import { EventList } from './components/EventList.js';
import { Detail, type DetailMetrics } from './components/Detail.js';
import { Actions, NoticeLine } from './components/Actions.js';

/** Learns drift in idle time (IdleLearner), and draws once more when all is learnt. */
function useIdleLearning(drift: DriftView): () => void {
  const [, setLearnt] = useState(0);
  const [learner] = useState(() => new IdleLearner(drift, () => setLearnt((n) => n + 1)));
  useEffect(() => () => learner.stop(), [learner]);
  return useCallback(() => learner.soon(), [learner]);
}

function useStream(url: string, dispatch: (action: Action) => void, drift: DriftView): (message: ClientMessage) => boolean {
  const stream = useRef<StreamConnection | null>(null);
  useEffect(() => {
    const current = new StreamConnection(url, openBrowserSocket, {
      onMessages: (messages) => {
        drift.observe(messages);
        dispatch({ type: 'messages', messages });
      },
      onState: (connection) => dispatch({ type: 'connection', connection }),
    });
    stream.current = current;
    current.start();
    return () => current.close();
  }, [url, dispatch, drift]);
  return useCallback((message: ClientMessage) => stream.current?.send(message) ?? false, []);
}

/**
 * While the list follows a burst, the newest event changes every batch: faster than anyone
 * reads, and drawing each one's detail took a burst of 1,000 events from about 1 to 2 s.
 * Followed, the detail shows the newest once it has stayed newest this long.
 */
const FOLLOW_SETTLE_MS = 120;

/** The selection to draw in the detail: at once when the user picked it, after `delayMs` of quiet when followed. */
function useSettled(delayMs: number, event: WebhookEvent | null, previous: WebhookEvent | null): { event: WebhookEvent | null; previous: WebhookEvent | null } {
  const shown = useRef({ event, previous });
  const [, redraw] = useState(0);
  const fresh = delayMs === 0 || (shown.current.event === event && shown.current.previous === previous);
  if (fresh) shown.current = { event, previous };
  useEffect(() => {
    if (fresh) return;
    const timer = setTimeout(() => {
      shown.current = { event, previous };
      redraw((n) => n + 1);
    }, delayMs);
    return () => clearTimeout(timer);
  }, [event, previous, fresh, delayMs]);
  return shown.current;
}

function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
}

export function App({ streamUrl }: { streamUrl: string }) {
  const [state, dispatch] = useReducer(reducer, undefined, () => initialState({ listRows: 20 }));
  const [drift] = useState(() => new DriftView());
  const [testType, setTestType] = useState('accession/status_change');
  const [curl, setCurl] = useState<string | null>(null);
  const filterRef = useRef<HTMLInputElement>(null);
  const detailMetrics = useRef<DetailMetrics>({ rows: 20, max: 0 });
  const send = useStream(streamUrl, dispatch, drift);
  // Drift is learnt once the history and its bodies are in: learning 10,000 bodies
  // meanwhile would take the main thread from the messages still arriving (about 0.6 s of 4).
  const learnSoon = useIdleLearning(drift);
  const bodiesIn = bodiesLoaded(state);
  useEffect(() => {
    if (bodiesIn) learnSoon();
  }, [bodiesIn, state.events, learnSoon]);

  const event = selectedEvent(state);
  const previous = state.tab === 'diff' ? previousOfSameType(state) : null;
  const shown = useSettled(state.follow ? FOLLOW_SETTLE_MS : 0, event, previous);

  const request = (kind: RequestKind, type?: string): void => {
    const asked = requestFor(state, kind, type);
    if (!('message' in asked)) return dispatch({ type: 'notice', notice: asked });
    if (!send(asked.message)) {
      return dispatch({ type: 'notice', notice: { text: 'The stream is not connected: try again once it is live.', tone: 'error' } });
    }
    dispatch({ type: 'request-sent', kind, id: 'id' in asked ? asked.id : undefined, text: asked.text });
  };
  const copyCurl = (): void => {
    const made = curlCommandFor(state);
    if (!('command' in made)) return dispatch({ type: 'notice', notice: made });
    setCurl(made.command);
    const copied = `Copied the command that re-sends #${made.seq}; it is also below.`;
    navigator.clipboard?.writeText(made.command).then(
      () => dispatch({ type: 'notice', notice: { text: copied, tone: 'info' } }),
      () => dispatch({ type: 'notice', notice: { text: `The browser did not allow the clipboard: the command that re-sends #${made.seq} is below.`, tone: 'info' } }),
    ) ?? dispatch({ type: 'notice', notice: { text: `The command that re-sends #${made.seq} is below.`, tone: 'info' } });
  };

  const perform = (result: CommandResult): void => {
    if (result === 'quit') return;
    if (result.type === 'copy-curl') return copyCurl();
    if (result.type === 'request') return request(result.kind);
    if (result.type === 'filter-open') return filterRef.current?.focus();
    dispatch(result);
  };
  const latest = useRef(perform);
  latest.current = perform;
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (isTyping(e.target)) return;
      const result = pageCommand(e, { detailRows: detailMetrics.current.rows, detailMax: detailMetrics.current.max });
      if (!result) return;
      e.preventDefault();
      if (state.notice) dispatch({ type: 'dismiss' });
      latest.current(result);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [state.notice]);

  const title = useMemo(() => `coreone-inspect: ${state.events.length.toLocaleString('en-US')} events`, [state.events.length]);
  useEffect(() => {
    document.title = title;
  }, [title]);

  return (
    <div class="app">
      <Header state={state} />
      <Actions state={state} dispatch={dispatch} handlers={{ request, copyCurl }} filterRef={filterRef} testType={testType} setTestType={setTestType} />
      <main class="split">
        <EventList state={state} drift={drift} dispatch={dispatch} />
        <Detail state={state} event={shown.event} previous={shown.previous} drift={drift} dispatch={dispatch} metrics={detailMetrics} />
      </main>
      <NoticeLine state={state} curl={curl} />
    </div>
  );
}
