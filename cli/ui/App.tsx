// The TUI. All I/O sits in the hooks at the top (the stream, the terminal size, the
// keys); everything below them draws props. State changes only through the reducer.
import { Box, Text, useApp, useInput, useStdout } from 'ink';
import { useCallback, useEffect, useMemo, useReducer, useRef, useState, type Dispatch } from 'react';
import type { ClientMessage, StreamQuestion, WebhookEvent } from '../../server/types.js';
import { Footer } from './components/Footer.js';
import { DetailPane } from './components/DetailPane.js';
import { EventList } from './components/EventList.js';
import { Header } from './components/Header.js';
import { HelpOverlay } from './components/HelpOverlay.js';
import { uiUrlOf } from '../../server/stream/page.js';
import { tabLines } from './view/detail.js';
import { resolveInput, type CommandContext, type CommandResult, type KeyContext } from './model/keys.js';
import { computeLayout, FOOTER_LINES, HEADER_LINES } from './view/layout.js';
import { requestFor } from './model/requests.js';
import { bodiesLoaded, initialState, previousOfSameType, reducer, selectedEvent, type Action, type UiState } from './model/state.js';
import { StreamConnection, type StreamOptions } from './connection.js';
import { openWsSocket } from './ws-socket.js';
import { DriftView, IdleLearner } from './model/drift.js';
import { curlForSelection } from './model/curl.js';
import { bodiesToAsk, bodyGap, searchToAsk } from './model/held-bodies.js';
import { wrapLines, type Line } from './view/text.js';

export interface AppProps {
  inspectUrl: string;
  title?: string;
  /** Tests and the benchmark shorten the batching and retry delays. */
  streamOptions?: StreamOptions;
  /** Keeps at most this many events (the oldest tenth goes when it is passed). */
  eventLimit?: number;
  /** Holds at most this many characters of bodies (TUI_BODY_BUDGET unless told). */
  bodyBudget?: number;
}

/**
 * The TUI holds the newest bodies up to this many characters and lets older ones go, to
 * ask the inspector for again when shown (held-bodies.ts): with ten thousand events
 * holding every body was a third of its memory. Some 800 bodies of 2.6 KB, a few screens.
 */
const TUI_BODY_BUDGET = 2 * 1024 * 1024;
/** Bodies waiting to be learnt for drift are learnt at once past this many characters (DriftView). */
const DRIFT_PENDING_CHARS = 1024 * 1024;
/** The filter's text is put to the log once typing pauses this long: a search reads every body. */
const SEARCH_PAUSE_MS = 150;

/** Learns drift in idle time (IdleLearner), and draws once more when all is learnt. */
function useIdleLearning(drift: DriftView): () => void {
  const [, setLearnt] = useState(0);
  const [learner] = useState(() => new IdleLearner(drift, () => setLearnt((n) => n + 1)));
  useEffect(() => () => learner.stop(), [learner]);
  return useCallback(() => learner.soon(), [learner]);
}

type Send = (message: ClientMessage | StreamQuestion) => boolean;

/** The one connection to the inspector stream; returns how to send it a client message or a question. */
function useInspectorStream(url: string, dispatch: Dispatch<Action>, drift: DriftView, options?: StreamOptions): Send {
  const stream = useRef<StreamConnection | null>(null);
  useEffect(() => {
    const current = new StreamConnection(
      url,
      openWsSocket,
      {
        onMessages: (messages) => {
          drift.observe(messages);
          dispatch({ type: 'messages', messages });
        },
        onState: (connection) => dispatch({ type: 'connection', connection }),
      },
      // Oldest first: each body's drift is learnt as it comes, and it may then be let go.
      { ...options, bodies: 'log' },
    );
    stream.current = current;
    current.start();
    return () => current.close();
    // The options are read once per connection; a new URL is a new connection.
  }, [url, dispatch, drift]);
  return useCallback((message: ClientMessage | StreamQuestion) => stream.current?.send(message) ?? false, []);
}

/** Asks the inspector for the shown bodies the store let go, and for the filter's text in the bodies it holds no longer. */
function useLetGoBodies(state: UiState, shown: (WebhookEvent | null)[], send: Send, dispatch: Dispatch<Action>): void {
  // As one string, so that the effect runs when the list changes, not at every draw; and
  // again once the stream is open again, which answers nothing asked before.
  const ask = bodiesToAsk(state, ...shown).join('\n');
  const open = state.connection.status === 'open';
  useEffect(() => {
    if (ask === '' || !open) return;
    // Those not sent (the stream is down) stay let go, to be asked for once it is back.
    const ids = ask.split('\n').filter((id) => send({ kind: 'body', id }));
    if (ids.length > 0) dispatch({ type: 'bodies-asked', ids });
  }, [ask, open, send, dispatch]);
  const query = searchToAsk(state);
  useEffect(() => {
    if (query === null || !open) return;
    const timer = setTimeout(() => {
      if (send({ kind: 'search', query })) dispatch({ type: 'search-asked', query });
    }, SEARCH_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [query, open, send, dispatch]);
}

function useTerminalSize(): { columns: number; rows: number } {
  const { stdout } = useStdout();
  const read = () => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}

function keyContext(state: UiState): KeyContext {
  if (state.help) return 'help';
  return state.filterEditing ? 'filter' : 'main';
}

export function App({ inspectUrl, title = 'coreone-inspect', streamOptions, eventLimit, bodyBudget = TUI_BODY_BUDGET }: AppProps) {
  const size = useTerminalSize();
  const layout = computeLayout(size.columns, size.rows);
  const [state, dispatch] = useReducer(reducer, undefined, () =>
    initialState({ limit: eventLimit, listRows: layout.listRows, letBodiesGo: true, bodyBudget }),
  );
  const [drift] = useState(() => new DriftView(eventLimit, DRIFT_PENDING_CHARS));
  const send = useInspectorStream(inspectUrl, dispatch, drift, streamOptions);
  // Drift is learnt in idle time once the history and its bodies are in, as in the web
  // page (learning 9,000 bodies took 0.4 s from the messages still arriving); before that
  // only when the bodies waiting pass DRIFT_PENDING_CHARS, which the body phase does.
  const learnSoon = useIdleLearning(drift);
  const bodiesIn = bodiesLoaded(state);
  useEffect(() => {
    if (bodiesIn) learnSoon();
  }, [bodiesIn, state.events, learnSoon]);
  useEffect(() => dispatch({ type: 'viewport', listRows: layout.listRows }), [layout.listRows]);

  const event = selectedEvent(state);
  // The diff needs the previous event of the same type; only the Diff tab looks it up.
  const previous = state.tab === 'diff' ? previousOfSameType(state) : null;
  useLetGoBodies(state, [event, previous], send, dispatch);
  const gap = bodyGap(state, event, previous);
  const content = useMemo<Line[]>(
    () => (event ? tabLines(state.tab, event, previous, state.tab === 'diff' ? drift.of(event.id) : undefined, gap) : []),
    [event, previous, state.tab, drift, gap],
  );
  const lines = useMemo(() => wrapLines(content, layout.detailWidth), [content, layout.detailWidth]);
  const detailMax = Math.max(0, lines.length - layout.detailRows);
  const scroll = Math.min(state.detailScroll, detailMax);

  // The key handler reads the latest state through a ref, so Ink attaches it once.
  const { exit } = useApp();
  const { stdout } = useStdout();
  const commandContext: CommandContext = { detailRows: layout.detailRows, detailMax };
  const latest = useRef({ state, commandContext });
  latest.current = { state, commandContext };
  const perform = (s: UiState, result: CommandResult) => {
    if (result === 'quit') return exit();
    if (result.type === 'copy-curl') {
      const curl = curlForSelection(s);
      if ('copy' in curl) stdout.write(curl.copy);
      return dispatch({ type: 'notice', notice: 'copy' in curl ? curl.notice : curl });
    }
    if (result.type !== 'request') return dispatch(result);
    const request = requestFor(s, result.kind);
    if (!('message' in request)) return dispatch({ type: 'notice', notice: request });
    if (!send(request.message)) {
      return dispatch({ type: 'notice', notice: { text: 'The stream is not connected: try again once it is live.', tone: 'error' } });
    }
    dispatch({ type: 'request-sent', kind: result.kind, id: request.id, text: request.text });
  };
  useInput((input, key) => {
    const { state: s, commandContext } = latest.current;
    // A notice answers the previous request; the next key puts it away.
    if (s.notice) dispatch({ type: 'dismiss' });
    for (const result of resolveInput(keyContext(s), input, key, commandContext)) perform(s, result);
  });

  const bodyHeight = layout.height - HEADER_LINES - FOOTER_LINES;
  const list = <EventList state={state} drift={drift} width={layout.listWidth} rows={layout.listRows} />;
  const detail = (
    <DetailPane
      event={event}
      forward={event ? state.forwards.get(event.id) : undefined}
      savedPath={event ? state.saved.get(event.id) : undefined}
      tab={state.tab}
      lines={lines}
      scroll={scroll}
      width={layout.detailWidth}
      rows={layout.detailRows}
    />
  );
  return (
    <Box flexDirection="column" width={layout.columns} height={layout.height}>
      <Header state={state} title={title} width={layout.columns} />
      {state.help ? (
        <HelpOverlay width={layout.columns} rows={bodyHeight} uiUrl={uiUrlOf(inspectUrl) ?? undefined} />
      ) : layout.stacked ? (
        <Box flexDirection="column" height={bodyHeight}>
          {list}
          {detail}
        </Box>
      ) : (
        <Box flexDirection="row" height={bodyHeight}>
          {list}
          <Box width={1} height={bodyHeight} overflow="hidden">
            <Text dimColor>{'│\n'.repeat(bodyHeight)}</Text>
          </Box>
          {detail}
        </Box>
      )}
      <Footer state={state} width={layout.columns} />
    </Box>
  );
}
