// Copy as curl: the shell command that re-sends the selected event (the same as
// `coreone-inspect curl <fixture>`). The TUI's `c` key shows it on the bottom line and
// copies it through OSC 52, the terminal escape that terminals which allow it (iTerm2,
// kitty, WezTerm, Windows Terminal, xterm with the option on) turn into a copy; others
// ignore it. The web page's button puts it on the browser's clipboard.
import { curlOf } from '../../../server/export/curl.js';
import { selectedEvent, type Notice, type UiState } from './state.js';
import { bodyGap } from './held-bodies.js';

/** The selection's command, or why there is none. */
export function curlCommandFor(state: UiState): { command: string; seq: number } | Notice {
  const event = selectedEvent(state);
  if (event === null) return { text: 'No event selected.', tone: 'error' };
  if (event.truncated) return { text: `#${event.seq} was over --max-body: its body was not kept, so it cannot be re-sent.`, tone: 'error' };
  const gap = bodyGap(state, event);
  if (gap === 'coming') return { text: `The body of #${event.seq} is still on its way: try again in a moment.`, tone: 'error' };
  if (gap === 'lost') return { text: `The inspector no longer has the body of #${event.seq} (it restarted since): it cannot be re-sent from here.`, tone: 'error' };
  if (state.hello === null) return { text: 'Not connected to the listener yet: its URL is not known.', tone: 'error' };
  return { command: curlOf(event, state.hello.webhookUrl), seq: event.seq };
}

/** The selection's command and the escape that copies it in a terminal, or why there is none. */
export function curlForSelection(state: UiState): { command: string; copy: string; notice: Notice } | Notice {
  const curl = curlCommandFor(state);
  if (!('command' in curl)) return curl;
  const { command, seq } = curl;
  return { command, copy: osc52(command), notice: { text: `Copied (OSC 52) the command that re-sends #${seq}: ${command}`, tone: 'info' } };
}

/** OSC 52 "set the clipboard" with the text, base64 as the escape requires. */
export function osc52(text: string): string {
  return `\u001b]52;c;${Buffer.from(text, 'utf8').toString('base64')}\u0007`;
}
