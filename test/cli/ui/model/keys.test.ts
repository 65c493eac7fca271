// The key table: one table drives input and the help overlay.
import { readFile } from 'node:fs/promises';
import type { Key } from 'ink';
import { describe, expect, it } from 'vitest';
import { helpLines } from '../../../../cli/ui/components/HelpOverlay.js';
import { BINDINGS, COMMANDS, hints, keyName, lookup, resolveInput, type CommandContext } from '../../../../cli/ui/model/keys.js';
import { lineText } from '../../../../cli/ui/view/text.js';

const NO_KEY: Key = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false,
  home: false, end: false, return: false, escape: false, ctrl: false, shift: false, tab: false,
  backspace: false, delete: false, meta: false, super: false, hyper: false, capsLock: false, numLock: false,
};
const key = (k: Partial<Key>): Key => ({ ...NO_KEY, ...k });
const ctx: CommandContext = { detailRows: 10, detailMax: 40 };

describe('the key table', () => {
  it('binds every key at most once per context', () => {
    const seen = new Set<string>();
    for (const b of BINDINGS) {
      for (const k of b.keys) {
        expect(seen.has(`${b.context}:${k}`), `${b.context}:${k}`).toBe(false);
        seen.add(`${b.context}:${k}`);
      }
    }
  });

  it('names only commands that exist, and every command is bound', () => {
    const bound = new Set(BINDINGS.map((b) => b.command));
    for (const b of BINDINGS) expect(typeof COMMANDS[b.command]).toBe('function');
    expect([...bound].sort()).toEqual(Object.keys(COMMANDS).sort());
  });

  it('the help overlay lists every binding with its label and help text', () => {
    const help = helpLines().map(lineText).join('\n');
    for (const b of BINDINGS) expect(help).toMatch(new RegExp(`${b.label.replace(/[?^$.*+()[\]\\|]/g, '\\$&')}\\s+${b.help.replace(/[?^$.*+()[\]\\|/]/g, '\\$&')}`));
  });

  it("the README's key table lists every key of the table", async () => {
    const readme = await readFile(new URL('../../../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## The terminal UI'), readme.indexOf('\n## ', readme.indexOf('## The terminal UI') + 1));
    expect(section).toContain('**Keys.**');
    for (const b of BINDINGS) for (const label of b.label.split(' ')) expect(section, `${b.command}: ${label}`).toContain(`\`${label}\``);
  });

  it('the hint line comes from the same table', () => {
    expect(hints('main')).toContain('/ filter');
    expect(hints('main')).toContain('q quit');
    expect(hints('filter')).toContain('Esc clear');
  });
});

describe('keyName', () => {
  it.each([
    [key({ upArrow: true }), '', 'up'],
    [key({ downArrow: true, shift: true }), '', 'shift-down'],
    [key({ tab: true, shift: true }), '', 'shift-tab'],
    [key({ pageDown: true }), '', 'pagedown'],
    [key({ home: true }), '', 'home'],
    [key({ escape: true }), '', 'escape'],
    [key({ return: true }), '\r', 'enter'],
    [key({ delete: true }), '', 'backspace'],
    [key({ ctrl: true }), 'c', 'ctrl-c'],
    [key({}), ' ', 'space'],
    [key({}), 'G', 'G'],
  ])('%o %j is %s', (k, input, name) => {
    expect(keyName(input, k)).toBe(name);
  });
});

describe('resolveInput', () => {
  it('maps a bound key to its command', () => {
    expect(resolveInput('main', 'j', key({}), ctx)).toEqual([{ type: 'move', delta: 1 }]);
    expect(resolveInput('main', 'q', key({}), ctx)).toEqual(['quit']);
    expect(resolveInput('main', 'c', key({ ctrl: true }), ctx)).toEqual(['quit']);
    expect(resolveInput('main', ' ', key({}), ctx)).toEqual([{ type: 'scroll-detail', delta: 9, max: 40 }]);
  });

  it('q closes the help rather than quitting, and Ctrl-C quits from anywhere', () => {
    expect(resolveInput('help', 'q', key({}), ctx)).toEqual([{ type: 'help', open: false }]);
    expect(resolveInput('filter', 'c', key({ ctrl: true }), ctx)).toEqual(['quit']);
    expect(lookup('help', 'ctrl-c')?.command).toBe('quit');
  });

  it('types printable text into the filter, q included', () => {
    expect(resolveInput('filter', 'q', key({}), ctx)).toEqual([{ type: 'filter-type', text: 'q' }]);
    expect(resolveInput('filter', '', key({ escape: true }), ctx)).toEqual([{ type: 'filter-clear' }]);
  });

  it('ignores unbound keys', () => {
    expect(resolveInput('main', 'z', key({}), ctx)).toEqual([]);
  });

  it('takes a run of characters read at once apart, following the context it opens', () => {
    expect(resolveInput('main', 'kk3', key({}), ctx)).toEqual([
      { type: 'move', delta: -1 },
      { type: 'move', delta: -1 },
      { type: 'tab', tab: 'diff' },
    ]);
    expect(resolveInput('main', '/comment/\rj', key({}), ctx)).toEqual([
      { type: 'filter-open' },
      { type: 'filter-type', text: 'comment/' },
      { type: 'filter-accept' },
      { type: 'move', delta: 1 },
    ]);
    expect(resolveInput('main', 'jqj', key({}), ctx)).toEqual([{ type: 'move', delta: 1 }, 'quit']);
  });
});
