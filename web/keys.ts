// The TUI's keys where they make sense in a browser (cli/ui/model/keys.ts): the same
// bindings and commands, read from a KeyboardEvent. Tab stays the browser's (focus), and
// quit and help have no meaning in a page.
import { COMMANDS, lookup, type CommandContext, type CommandResult } from '../cli/ui/model/keys.js';

const NAMES: Record<string, string> = {
  ArrowUp: 'up',
  ArrowDown: 'down',
  ArrowLeft: 'left',
  ArrowRight: 'right',
  PageUp: 'pageup',
  PageDown: 'pagedown',
  Home: 'home',
  End: 'end',
  Escape: 'escape',
  ' ': 'space',
};

const NOT_IN_A_PAGE = new Set(['quit', 'help', 'close-help']);

/** What the page reads of a KeyboardEvent. */
export interface PageKey {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

/** What a key pressed outside any text field means, or null when it is not ours. */
export function pageCommand(event: PageKey, ctx: CommandContext): CommandResult | null {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  let name = NAMES[event.key] ?? (event.key.length === 1 ? event.key : null);
  if (name === 'up' && event.shiftKey) name = 'shift-up';
  if (name === 'down' && event.shiftKey) name = 'shift-down';
  const binding = name === null ? undefined : lookup('main', name);
  if (!binding || NOT_IN_A_PAGE.has(binding.command)) return null;
  return COMMANDS[binding.command](ctx);
}
