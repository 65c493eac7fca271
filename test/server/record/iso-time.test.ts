// isoTime must write exactly what Date#toISOString writes, whichever second it last cached.
import { describe, expect, it } from 'vitest';
import { isoTime } from '../../../server/record/iso-time.js';

const iso = (ms: number): string => new Date(ms).toISOString();

describe('isoTime', () => {
  it('matches toISOString across second, minute, day and year boundaries, in any order', () => {
    const times: number[] = [];
    for (const boundary of ['2026-11-28T14:02:37.000Z', '2026-11-28T23:59:59.000Z', '2026-12-31T23:59:59.000Z', '2028-02-29T00:00:00.000Z', '1970-01-01T00:00:00.000Z']) {
      const at = Date.parse(boundary);
      for (const offset of [-1001, -1000, -999, -1, 0, 1, 7, 999, 1000, 1001, 59_999, 60_000]) times.push(at + offset);
    }
    // Forwards, backwards and interleaved: the cached second must never leak into another.
    for (const ms of [...times, ...[...times].reverse(), ...times.filter((_, i) => i % 3 === 0)]) expect(isoTime(ms)).toBe(iso(ms));
  });

  it('matches it for times before 1970 and past 9999, and for every millisecond of a second', () => {
    for (const ms of [-1, -999, -1000, -86_400_001, Date.parse('0001-01-01T00:00:00.000Z') + 5, Date.parse('+010000-01-01T00:00:00.000Z') + 123]) {
      expect(isoTime(ms)).toBe(iso(ms));
    }
    const second = Date.parse('2026-11-28T14:02:37.000Z');
    for (let ms = 0; ms < 1000; ms++) expect(isoTime(second + ms)).toBe(iso(second + ms));
  });

  it('falls back to toISOString for a fractional time, and throws as it does past its range', () => {
    expect(isoTime(1.5)).toBe(iso(1.5));
    expect(() => isoTime(8.64e15 + 1)).toThrow(RangeError);
    expect(() => isoTime(Number.NaN)).toThrow(RangeError);
  });
});
