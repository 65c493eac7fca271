// The stream's word in the header (TUI and web page alike).
import { describe, expect, it } from 'vitest';
import { streamSegments } from '../../../../cli/ui/view/status.js';
import { initialState, type ConnectionState } from '../../../../cli/ui/model/state.js';

const words = (connection: ConnectionState, historyLoaded = false) =>
  streamSegments({ ...initialState({}), connection, historyLoaded })
    .map((s) => s.text)
    .join('');

describe('streamSegments', () => {
  it.each([
    { connection: { status: 'connecting' } as const, loaded: false, says: '◌ connecting…' },
    { connection: { status: 'open' } as const, loaded: false, says: '● loading history…' },
    { connection: { status: 'open', historyReceived: 4500 } as const, loaded: false, says: '● loading history… 4,500' },
    { connection: { status: 'open', historyReceived: 9000 } as const, loaded: true, says: '● live' },
    { connection: { status: 'open', restarted: true } as const, loaded: true, says: '● live · inspector restarted: reconnected with its new token' },
  ])('$says', ({ connection, loaded, says }) => {
    expect(words(connection, loaded)).toBe(says);
  });
});
