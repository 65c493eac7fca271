// The drift definitions of SPEC.md "Schemas, drift and exports", one row each, thresholds
// included: "added" only once the type has an earlier JSON event, "removed" only when every
// earlier event had the path and there are at least two, "type-changed" with the kinds
// seen before joined by "|".
import { describe, expect, it } from 'vitest';
import { Shapes, type Change } from '../../../server/schema/drift.js';

const json = (value: unknown) => ({ value });

/** The drift of the last body after the earlier ones, all of one type. */
function driftAfter(earlier: unknown[], last: unknown): Change[] | null {
  const shapes = new Shapes();
  for (const body of earlier) shapes.observe('accession/status_change', json(body));
  return shapes.observe('accession/status_change', json(last));
}

describe('drift', () => {
  const rows: Array<{ name: string; earlier: unknown[]; last: unknown; changes: Change[] }> = [
    { name: 'the first event of a type has no drift', earlier: [], last: { a: 1 }, changes: [] },
    { name: 'added after one earlier event', earlier: [{ a: 1 }], last: { a: 1, b: 2 }, changes: [{ path: 'b', change: 'added' }] },
    {
      name: 'added names the path and every path under it',
      earlier: [{ a: 1 }],
      last: { a: 1, accession: { priority: 'high', tests: [{ code: 'X' }] } },
      changes: [
        { path: 'accession', change: 'added' },
        { path: 'accession.priority', change: 'added' },
        { path: 'accession.tests', change: 'added' },
        { path: 'accession.tests[]', change: 'added' },
        { path: 'accession.tests[].code', change: 'added' },
      ],
    },
    { name: 'a path some earlier event had is not added', earlier: [{ a: 1, b: 1 }, { a: 1 }], last: { a: 1, b: 1 }, changes: [] },
    { name: 'not removed after only one earlier event', earlier: [{ a: 1, b: 2 }], last: { a: 1 }, changes: [] },
    { name: 'removed after two earlier events that both had it', earlier: [{ a: 1, b: 2 }, { a: 1, b: 3 }], last: { a: 1 }, changes: [{ path: 'b', change: 'removed' }] },
    { name: 'not removed when one earlier event lacked it', earlier: [{ a: 1, b: 2 }, { a: 1 }, { a: 1, b: 2 }], last: { a: 1 }, changes: [] },
    {
      name: 'removed reaches nested paths every earlier event had',
      earlier: [{ client: { id: 1, name: 'x' } }, { client: { id: 2 } }],
      last: {},
      changes: [
        { path: 'client', change: 'removed' },
        { path: 'client.id', change: 'removed' },
      ],
    },
    { name: 'type-changed after one earlier event', earlier: [{ client: { id: 7 } }], last: { client: { id: '7' } }, changes: [{ path: 'client.id', change: 'type-changed', was: 'number', now: 'string' }] },
    {
      name: 'type-changed joins the kinds seen before with |, in a fixed order',
      earlier: [{ id: '7' }, { id: 7 }],
      last: { id: null },
      changes: [{ path: 'id', change: 'type-changed', was: 'string|number', now: 'null' }],
    },
    { name: 'a kind seen before is not a change', earlier: [{ id: '7' }, { id: 7 }], last: { id: 8 }, changes: [] },
    { name: 'array items are one path', earlier: [{ tests: [{ code: 'A' }] }], last: { tests: [{ code: 'B' }, { code: 1 }] }, changes: [{ path: 'tests[].code', change: 'type-changed', was: 'string', now: 'number' }] },
    { name: 'the body itself changing kind', earlier: [{ a: 1 }], last: [1], changes: [{ path: '', change: 'type-changed', was: 'object', now: 'array' }, { path: '[]', change: 'added' }] },
  ];
  for (const row of rows) {
    it(row.name, () => {
      expect(driftAfter(row.earlier, row.last)).toEqual(row.changes);
    });
  }

  it('gives no drift, and learns nothing, for a body that is not JSON or an event without a type', () => {
    const shapes = new Shapes();
    expect(shapes.observe('a/b', undefined)).toBeNull();
    expect(shapes.observe(null, json({ a: 1 }))).toBeNull();
    expect(shapes.all()).toEqual([]);
    shapes.observe('a/b', json({ a: 1 }));
    expect(shapes.observe('a/b', undefined)).toBeNull();
    // The non-JSON event did not count as an earlier event: still only one, so no "removed".
    expect(shapes.observe('a/b', json({}))).toEqual([]);
  });

  it('keeps types apart', () => {
    const shapes = new Shapes();
    shapes.observe('a/one', json({ a: 1 }));
    expect(shapes.observe('a/two', json({ b: 1 }))).toEqual([]);
    expect(shapes.all().map((shape) => shape.type)).toEqual(['a/one', 'a/two']);
  });
});
