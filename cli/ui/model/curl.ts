// The TUI's `c` key: the shell command that re-sends the selected event (the same as
// `coreone-inspect curl <fixture>`), shown on the bottom line and copied to the clipboard
// through OSC 52, the terminal escape that terminals which allow it (iTerm2, kitty,
// WezTerm, Windows Terminal, xterm with the option on) turn into a copy; others ignore it.
import { curlOf } from '../../../server/export/curl.js';
import { fixtureOf } from '../../../server/store/fixtures.js';
import { selectedEvent, type Notice, type UiState } from './state.js';

/** The selection's command and the escape that copies it, or why there is none. */
export function curlForSelection(state: UiState): { command: string; copy: string; notice: Notice } | Notice {
  const event = selectedEvent(state);
  if (event === null) return { text: 'No event selected.', tone: 'error' };
  if (event.truncated) return { text: `#${event.seq} was over --max-body: its body was not kept, so it cannot be re-sent.`, tone: 'error' };
  if (state.hello === null) return { text: 'Not connected to the listener yet: its URL is not known.', tone: 'error' };
  const command = curlOf(fixtureOf(event), state.hello.webhookUrl);
  return { command, copy: osc52(command), notice: { text: `Copied (OSC 52) the command that re-sends #${event.seq}: ${command}`, tone: 'info' } };
}

/** OSC 52 "set the clipboard" with the text, base64 as the escape requires. */
export function osc52(text: string): string {
  return `\u001b]52;c;${Buffer.from(text, 'utf8').toString('base64')}\u0007`;
}
