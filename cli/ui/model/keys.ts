// One key table (after mitmproxy's defaultkeys.py): it drives input handling AND the `?`
// help overlay, so the two cannot disagree. Each binding names a command; COMMANDS says
// what each command does: a reducer action, a request to the listener, or quit.
import type { Key } from 'ink';
import type { Action, RequestKind, Tab } from './state.js';

/** Where a key is read: the list/detail screen, the filter input, or the help overlay. */
export type KeyContext = 'main' | 'filter' | 'help';

export type Command =
  | 'select-up'
  | 'select-down'
  | 'page-up'
  | 'page-down'
  | 'first'
  | 'last'
  | 'next-tab'
  | 'prev-tab'
  | 'tab-headers'
  | 'tab-body'
  | 'tab-diff'
  | 'tab-signature'
  | 'scroll-down'
  | 'scroll-up'
  | 'scroll-page-down'
  | 'scroll-page-up'
  | 'follow'
  | 'filter'
  | 'clear-filter'
  | 'filter-accept'
  | 'filter-cancel'
  | 'filter-delete'
  | 'save'
  | 'replay'
  | 'send-test'
  | 'curl'
  | 'help'
  | 'close-help'
  | 'quit';

export interface Binding {
  context: KeyContext;
  /** Normalised key names (see keyName). */
  keys: readonly string[];
  /** How the keys are written in the help overlay. */
  label: string;
  command: Command;
  help: string;
  /** Shown in the one-line hint at the bottom of the screen. */
  hint?: string;
}

export const BINDINGS: readonly Binding[] = [
  { context: 'main', keys: ['up', 'k'], label: '↑ k', command: 'select-up', help: 'select the previous event' },
  { context: 'main', keys: ['down', 'j'], label: '↓ j', command: 'select-down', help: 'select the next event', hint: '↑↓ select' },
  { context: 'main', keys: ['pageup'], label: 'PgUp', command: 'page-up', help: 'one page up the list' },
  { context: 'main', keys: ['pagedown'], label: 'PgDn', command: 'page-down', help: 'one page down the list' },
  { context: 'main', keys: ['home', 'g'], label: 'Home g', command: 'first', help: 'select the oldest event' },
  { context: 'main', keys: ['end', 'G'], label: 'End G', command: 'last', help: 'select the newest event' },
  { context: 'main', keys: ['tab', 'right'], label: 'Tab →', command: 'next-tab', help: 'next detail tab', hint: 'Tab detail' },
  { context: 'main', keys: ['shift-tab', 'left'], label: 'S-Tab ←', command: 'prev-tab', help: 'previous detail tab' },
  { context: 'main', keys: ['1'], label: '1', command: 'tab-headers', help: 'Headers tab' },
  { context: 'main', keys: ['2'], label: '2', command: 'tab-body', help: 'Body tab' },
  { context: 'main', keys: ['3'], label: '3', command: 'tab-diff', help: 'Diff tab' },
  { context: 'main', keys: ['4'], label: '4', command: 'tab-signature', help: 'Signature tab' },
  { context: 'main', keys: ['J', 'shift-down'], label: 'J S-↓', command: 'scroll-down', help: 'scroll the detail down', hint: 'J/K scroll' },
  { context: 'main', keys: ['K', 'shift-up'], label: 'K S-↑', command: 'scroll-up', help: 'scroll the detail up' },
  { context: 'main', keys: ['space'], label: 'Space', command: 'scroll-page-down', help: 'detail pane one page down' },
  { context: 'main', keys: ['b'], label: 'b', command: 'scroll-page-up', help: 'detail pane one page up' },
  { context: 'main', keys: ['f'], label: 'f', command: 'follow', help: 'follow the newest event (on/off)', hint: 'f follow' },
  { context: 'main', keys: ['/'], label: '/', command: 'filter', help: 'filter: a type prefix (accession/) or free text', hint: '/ filter' },
  { context: 'main', keys: ['escape'], label: 'Esc', command: 'clear-filter', help: 'clear the filter' },
  { context: 'main', keys: ['s'], label: 's', command: 'save', help: 'save the event as a fixture (--fixtures-dir)', hint: 's save' },
  { context: 'main', keys: ['r'], label: 'r', command: 'replay', help: 'deliver the event again to --forward-to', hint: 'r replay' },
  { context: 'main', keys: ['t'], label: 't', command: 'send-test', help: "send a signed test event of the selection's type" },
  { context: 'main', keys: ['c'], label: 'c', command: 'curl', help: 'show the curl command that re-sends the event, and copy it (OSC 52)' },
  { context: 'main', keys: ['?'], label: '?', command: 'help', help: 'this help', hint: '? help' },
  { context: 'main', keys: ['q', 'ctrl-c'], label: 'q C-c', command: 'quit', help: 'quit', hint: 'q quit' },
  { context: 'filter', keys: ['enter'], label: 'Enter', command: 'filter-accept', help: 'keep the filter', hint: 'Enter keep' },
  { context: 'filter', keys: ['escape'], label: 'Esc', command: 'filter-cancel', help: 'clear the filter', hint: 'Esc clear' },
  { context: 'filter', keys: ['backspace'], label: 'Backspace', command: 'filter-delete', help: 'delete the last character' },
  { context: 'filter', keys: ['ctrl-c'], label: 'C-c', command: 'quit', help: 'quit' },
  { context: 'help', keys: ['?', 'escape', 'q'], label: '? Esc q', command: 'close-help', help: 'close this help', hint: 'Esc close help' },
  { context: 'help', keys: ['ctrl-c'], label: 'C-c', command: 'quit', help: 'quit' },
];

/** Ink's (input, key) as one name: 'up', 'shift-tab', 'ctrl-c', 'escape', or the character. */
export function keyName(input: string, key: Key): string | null {
  if (key.upArrow) return key.shift ? 'shift-up' : 'up';
  if (key.downArrow) return key.shift ? 'shift-down' : 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.return) return 'enter';
  if (key.escape) return 'escape';
  if (key.tab) return key.shift ? 'shift-tab' : 'tab';
  // Terminals send DEL (0x7f) for Backspace; Ink reports it as `delete`.
  if (key.backspace || key.delete) return 'backspace';
  if (key.ctrl && input) return `ctrl-${input.toLowerCase()}`;
  if (input === ' ') return 'space';
  if (input.length === 1) return input;
  return null;
}

const byContext = new Map<KeyContext, Map<string, Binding>>();
for (const binding of BINDINGS) {
  const table = byContext.get(binding.context) ?? new Map<string, Binding>();
  for (const k of binding.keys) table.set(k, binding);
  byContext.set(binding.context, table);
}

export function lookup(context: KeyContext, name: string): Binding | undefined {
  return byContext.get(context)?.get(name);
}

/** What a command needs to know about the screen. */
export interface CommandContext {
  detailRows: number;
  /** Largest useful detail scroll offset for the current content. */
  detailMax: number;
}

/** A request to the listener about the selection; the App sends it over the stream. */
export interface StreamRequest {
  type: 'request';
  kind: RequestKind;
}

/** Show the selection's curl command and copy it; the App owns the terminal it copies through. */
export interface CopyCurl {
  type: 'copy-curl';
}

export type CommandResult = Action | StreamRequest | CopyCurl | 'quit';

const tab = (t: Tab): CommandResult => ({ type: 'tab', tab: t });

export const COMMANDS: Record<Command, (ctx: CommandContext) => CommandResult> = {
  'select-up': () => ({ type: 'move', delta: -1 }),
  'select-down': () => ({ type: 'move', delta: 1 }),
  'page-up': () => ({ type: 'page', direction: -1 }),
  'page-down': () => ({ type: 'page', direction: 1 }),
  first: () => ({ type: 'jump', to: 'first' }),
  last: () => ({ type: 'jump', to: 'last' }),
  'next-tab': () => ({ type: 'tab-step', delta: 1 }),
  'prev-tab': () => ({ type: 'tab-step', delta: -1 }),
  'tab-headers': () => tab('headers'),
  'tab-body': () => tab('body'),
  'tab-diff': () => tab('diff'),
  'tab-signature': () => tab('signature'),
  'scroll-down': (c) => ({ type: 'scroll-detail', delta: 1, max: c.detailMax }),
  'scroll-up': (c) => ({ type: 'scroll-detail', delta: -1, max: c.detailMax }),
  'scroll-page-down': (c) => ({ type: 'scroll-detail', delta: Math.max(1, c.detailRows - 1), max: c.detailMax }),
  'scroll-page-up': (c) => ({ type: 'scroll-detail', delta: -Math.max(1, c.detailRows - 1), max: c.detailMax }),
  follow: () => ({ type: 'follow' }),
  filter: () => ({ type: 'filter-open' }),
  'clear-filter': () => ({ type: 'filter-clear' }),
  'filter-accept': () => ({ type: 'filter-accept' }),
  'filter-cancel': () => ({ type: 'filter-clear' }),
  'filter-delete': () => ({ type: 'filter-backspace' }),
  save: () => ({ type: 'request', kind: 'save' }),
  replay: () => ({ type: 'request', kind: 'replay' }),
  'send-test': () => ({ type: 'request', kind: 'send' }),
  curl: () => ({ type: 'copy-curl' }),
  help: () => ({ type: 'help', open: true }),
  'close-help': () => ({ type: 'help', open: false }),
  quit: () => 'quit',
};

/** The name of one raw character, for runs of characters Ink delivers as one input. */
function charName(ch: string): string {
  if (ch === '\r' || ch === '\n') return 'enter';
  if (ch === '\t') return 'tab';
  if (ch === '\x7f' || ch === '\b') return 'backspace';
  if (ch === '\x1b') return 'escape';
  if (ch === ' ') return 'space';
  const code = ch.charCodeAt(0);
  if (code < 0x20) return `ctrl-${String.fromCharCode(code + 96)}`;
  return ch;
}

const PRINTABLE = /^[^\u0000-\u001f\u007f]+$/;

function resolveName(context: KeyContext, name: string | null, text: string, ctx: CommandContext): CommandResult | null {
  const binding = name === null ? undefined : lookup(context, name);
  if (binding) return COMMANDS[binding.command](ctx);
  if (context === 'filter' && PRINTABLE.test(text)) return { type: 'filter-type', text };
  return null;
}

/** The context after a result: opening the filter or the help changes what keys mean. */
function contextAfter(context: KeyContext, result: CommandResult): KeyContext {
  if (result === 'quit') return context;
  if (result.type === 'filter-open') return 'filter';
  if (result.type === 'help') return result.open ? 'help' : 'main';
  if (context === 'filter' && (result.type === 'filter-accept' || result.type === 'filter-clear')) return 'main';
  return context;
}

/**
 * What one input from Ink means, in order. Ink hands a run of plain characters read at
 * once (fast typing, key repeat, a paste, tmux send-keys) as ONE input, so such a run is
 * taken apart character by character, following the context as it changes (`/` opens
 * the filter, after which the characters are typed into it).
 */
export function resolveInput(context: KeyContext, input: string, key: Key, ctx: CommandContext): CommandResult[] {
  const chars = Array.from(input);
  if (chars.length <= 1 || key.ctrl || key.meta) {
    const result = resolveName(context, keyName(input, key), input, ctx);
    return result ? [result] : [];
  }
  const results: CommandResult[] = [];
  let current = context;
  for (const ch of chars) {
    const result = resolveName(current, charName(ch), ch, ctx);
    if (!result) continue;
    const last = results[results.length - 1];
    // Typed text is kept in one piece: one refilter for a paste, not one per character.
    if (result !== 'quit' && result.type === 'filter-type' && last && last !== 'quit' && last.type === 'filter-type') {
      results[results.length - 1] = { type: 'filter-type', text: last.text + result.text };
    } else results.push(result);
    if (result === 'quit') break;
    current = contextAfter(current, result);
  }
  return results;
}

export const CONTEXT_TITLES: Record<KeyContext, string> = {
  main: 'Events and detail',
  filter: 'While typing a filter',
  help: 'In this help',
};

/** The one-line hint for a context, from the same table. */
export function hints(context: KeyContext): string {
  return BINDINGS.filter((b) => b.context === context && b.hint)
    .map((b) => b.hint)
    .join('  ');
}
