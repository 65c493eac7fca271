// The WebAssembly escaping loop against JSON.stringify, byte for byte: every byte value at
// every place in a 16-byte block and in the tail after the last block, the chunk boundaries
// of long bodies, the largest growth (a chunk of controls, six bytes each), and any bytes.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { escapeJsonInto } from '../../../server/speed/json-escape.js';

/**
 * What JSON.stringify makes of the bytes, without the quotes: read as latin1, each byte is
 * one character, which JSON escapes exactly when the byte needs it (bytes 0x80-0xff are
 * characters JSON leaves alone, written back as the same bytes).
 */
function reference(body: Buffer): Buffer {
  const text = JSON.stringify(body.toString('latin1'));
  return Buffer.from(text.slice(1, -1), 'latin1');
}

/** Escapes at an offset into a buffer with guard bytes around, and checks both. */
function expectEscaped(body: Buffer): void {
  const at = 3;
  const out = Buffer.alloc(at + body.length * 6 + 8, 0xee);
  const end = escapeJsonInto(body, out, at);
  expect(out.subarray(at, end).equals(reference(body))).toBe(true);
  expect(out.subarray(0, at).every((byte) => byte === 0xee)).toBe(true);
  expect(out.subarray(end).every((byte) => byte === 0xee)).toBe(true);
}

const CHUNK = 64 * 1024;

describe('escapeJsonInto', () => {
  it('escapes every byte value at every place of a block, and in the tail', () => {
    for (let byte = 0; byte < 256; byte++) {
      for (let place = 0; place < 16; place++) {
        // Two blocks and a tail of 7: the byte in the first block, the second, and the tail.
        const body = Buffer.alloc(39, 0x61);
        body[place] = byte;
        body[16 + ((place + 5) % 16)] = byte;
        body[32 + (place % 7)] = byte;
        expectEscaped(body);
      }
    }
  });

  it('escapes blocks that are all special, and blocks with none', () => {
    for (const fill of [0x22, 0x5c, 0x0a, 0x01, 0x1f, 0x61, 0xc3]) {
      for (const length of [0, 1, 15, 16, 17, 31, 32, 33, 100]) expectEscaped(Buffer.alloc(length, fill));
    }
  });

  it('escapes long bodies across chunk boundaries, with a special on each side of them', () => {
    for (const length of [CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK + 17, 5 * CHUNK + 3]) {
      const body = Buffer.alloc(length, 0x78);
      for (let boundary = CHUNK; boundary < length; boundary += CHUNK) {
        body[boundary - 1] = 0x22;
        body[boundary] = 0x0a;
      }
      body[length - 1] = 0x5c;
      expectEscaped(body);
    }
  });

  it('has room for the largest growth: whole chunks of controls written as \\u00XX', () => {
    expectEscaped(Buffer.alloc(CHUNK, 0x01));
    expectEscaped(Buffer.alloc(2 * CHUNK + 5, 0x1e));
  });

  it('escapes any bytes at all', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        expectEscaped(Buffer.from(bytes));
      }),
      { numRuns: 3000 },
    );
  });
});
