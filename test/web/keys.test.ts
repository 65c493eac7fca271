// The page's own small parts, without a browser: which keys mean what (the TUI's table),
// and the stream URL the page makes from its own address.
import { describe, expect, it } from 'vitest';
import { pageCommand } from '../../web/keys.js';
import { streamUrlOf } from '../../web/socket.js';

const ctx = { detailRows: 20, detailMax: 100 };
const key = (k: string, mods: Partial<Record<'shiftKey' | 'ctrlKey' | 'metaKey' | 'altKey', boolean>> = {}) =>
  pageCommand({ key: k, shiftKey: false, ctrlKey: false, metaKey: false, altKey: false, ...mods }, ctx);

describe('the keys of the page', () => {
  it.each([
    ['ArrowUp', { type: 'move', delta: -1 }],
    ['k', { type: 'move', delta: -1 }],
    ['ArrowDown', { type: 'move', delta: 1 }],
    ['j', { type: 'move', delta: 1 }],
    ['/', { type: 'filter-open' }],
    ['1', { type: 'tab', tab: 'headers' }],
    ['4', { type: 'tab', tab: 'signature' }],
    ['Home', { type: 'jump', to: 'first' }],
    ['Escape', { type: 'filter-clear' }],
    ['s', { type: 'request', kind: 'save' }],
    ['c', { type: 'copy-curl' }],
  ])('%s', (name, result) => {
    expect(key(name)).toEqual(result);
  });

  it('leaves quit, help, unknown keys and shortcuts with modifiers to the browser', () => {
    for (const name of ['q', '?', 'x', 'Tab', 'F5']) expect(key(name), name).toBeNull();
    expect(key('k', { ctrlKey: true })).toBeNull();
    expect(key('r', { metaKey: true })).toBeNull();
  });

  it('Shift with an arrow scrolls the detail, as in the TUI', () => {
    expect(key('ArrowDown', { shiftKey: true })).toEqual({ type: 'scroll-detail', delta: 1, max: 100 });
  });
});

describe('the stream URL of the page', () => {
  it('is the same host and port, the token moved from the fragment to the query', () => {
    expect(streamUrlOf({ host: '127.0.0.1:5000', hash: '#token=abc_-9' })).toBe('ws://127.0.0.1:5000/stream?token=abc_-9');
    expect(streamUrlOf({ host: 'localhost:5000', hash: '#token=a%2Bb' })).toBe('ws://localhost:5000/stream?token=a%2Bb');
  });

  it('is null without a token', () => {
    expect(streamUrlOf({ host: '127.0.0.1:5000', hash: '' })).toBeNull();
    expect(streamUrlOf({ host: '127.0.0.1:5000', hash: '#token=' })).toBeNull();
  });
});
