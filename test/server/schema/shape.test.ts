// What a shape keeps beyond drift: the counts per path and kind, which keys are required
// (every object there had them, array items included), and the bound on paths per type.
import { describe, expect, it } from 'vitest';
import { Shapes } from '../../../server/schema/drift.js';
import { typeSchema } from '../../../server/schema/json-schema.js';
import { MAX_KEYS, MAX_PATHS } from '../../../server/schema/shape.js';

function learnt(bodies: unknown[]) {
  const shapes = new Shapes();
  for (const value of bodies) shapes.observe('lab/result', { value });
  return shapes.all()[0]!;
}

describe('shapes', () => {
  it('count, per path, in how many events each kind was seen', () => {
    const shape = learnt([{ id: 1 }, { id: 'x' }, { id: 2, tags: [] }]);
    const id = shape.root.props.get('id')!;
    expect(shape.events).toBe(3);
    expect(Object.fromEntries(id.kinds)).toEqual({ number: 2, string: 1 });
    expect(id.events).toBe(3);
    expect(shape.root.props.get('tags')!.events).toBe(1);
  });

  it('require a key of array items only when every item of every event had it', () => {
    const shape = learnt([{ tests: [{ code: 'A', result: 1 }, { code: 'B' }] }, { tests: [{ code: 'C', result: 2 }] }]);
    expect(typeSchema(shape).properties!.tests!.items).toEqual({
      type: 'object',
      properties: { code: { type: 'string' }, result: { type: 'number' } },
      required: ['code'],
    });
  });

  it(`keep at most ${MAX_PATHS} paths per type and say so`, () => {
    const wide = (event: number) => Object.fromEntries(Array.from({ length: MAX_KEYS }, (_, i) => [`k${event}_${i}`, i]));
    const shape = learnt(Array.from({ length: Math.ceil(MAX_PATHS / MAX_KEYS) + 1 }, (_, event) => wide(event)));
    expect(shape.paths).toBe(MAX_PATHS);
    expect([...shape.limits]).toEqual([`only the first ${MAX_PATHS} paths of the type were learnt`]);
  });
});
