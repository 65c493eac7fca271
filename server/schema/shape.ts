// The shape of a webhook type, learnt from the JSON bodies of its events (../shared/SPEC.md
// "Schemas, drift and exports"): every path, the JSON kinds seen at it and in how many
// events. Pure and incremental: one body is walked once into a small tree of what it
// holds (`Seen`), which drift.ts compares with the shape so far and `learn` then merges
// in. It serves the `schema` command and the TUI's model, never the listener: a request
// is acknowledged without anyone walking its body.
//
// A body is untrusted and may be built to hurt: the walk is bounded (MAX_DEPTH,
// MAX_KEYS) and so is a shape (MAX_PATHS); whatever a bound cuts off is named in the
// shape's `limits`, which every output carries.

export type Kind = 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array';

/** The order kinds are listed in (`was: "number|string"`), whatever order they came in. */
export const KINDS: readonly Kind[] = ['string', 'number', 'boolean', 'null', 'object', 'array'];

/** Levels of nesting walked; deeper values are not looked into. */
export const MAX_DEPTH = 64;
/** Keys of one object walked, in the body's order; the rest are not looked at. */
export const MAX_KEYS = 1000;
/** Paths one type's shape holds; paths first seen after that are not learnt. */
export const MAX_PATHS = 5000;

/** What one body holds at one place: the kinds there and, below it, keys and array items. */
export interface Seen {
  kinds: Set<Kind>;
  /** Object occurrences here (array items make several in one body). */
  objects: number;
  props: Map<string, SeenProp>;
  items: Seen | null;
}

interface SeenProp extends Seen {
  /** In how many of the parent's object occurrences the key was there. */
  presentIn: number;
}

/** A place in a type's shape, over all the events learnt. */
export interface ShapeNode {
  /** In how many events each kind was seen here. */
  kinds: Map<Kind, number>;
  /** In how many events this path was there at all. */
  events: number;
  /** In how many events this path held an object. */
  objectEvents: number;
  /** False once some object here lacked the key (in any event): the key is optional. */
  alwaysPresent: boolean;
  props: Map<string, ShapeNode>;
  items: ShapeNode | null;
}

export interface TypeShape {
  type: string;
  /** JSON events learnt. */
  events: number;
  root: ShapeNode;
  paths: number;
  /** One sentence per bound that cut something off, in the order first hit. */
  limits: Set<string>;
}

export function newShape(type: string): TypeShape {
  return { type, events: 0, root: newNode(), paths: 1, limits: new Set() };
}

function newNode(): ShapeNode {
  return { kinds: new Map(), events: 0, objectEvents: 0, alwaysPresent: true, props: new Map(), items: null };
}

function newSeen(): Seen {
  return { kinds: new Set(), objects: 0, props: new Map(), items: null };
}

export function kindOf(value: unknown): Kind {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const kind = typeof value;
  return kind === 'string' || kind === 'number' || kind === 'boolean' ? kind : 'object';
}

/** One body's tree, and the sentences of any bound the walk hit. */
export function seeBody(value: unknown): { seen: Seen; limits: string[] } {
  const limits = new Set<string>();
  const seen = newSeen();
  see(value, seen, 0, limits);
  return { seen, limits: [...limits] };
}

function see(value: unknown, into: Seen, depth: number, limits: Set<string>): void {
  const kind = kindOf(value);
  into.kinds.add(kind);
  if (kind !== 'object' && kind !== 'array') return;
  if (depth >= MAX_DEPTH) {
    limits.add(`values nested deeper than ${MAX_DEPTH} levels were not looked into`);
    return;
  }
  if (kind === 'array') {
    const items = value as unknown[];
    if (items.length === 0) return;
    into.items ??= newSeen();
    for (const item of items) see(item, into.items, depth + 1, limits);
    return;
  }
  into.objects++;
  let taken = 0;
  for (const key in value as Record<string, unknown>) {
    if (taken++ === MAX_KEYS) {
      limits.add(`objects were looked at up to their first ${MAX_KEYS} keys`);
      break;
    }
    let prop = into.props.get(key);
    if (prop === undefined) {
      prop = { kinds: new Set(), objects: 0, props: new Map(), items: null, presentIn: 0 };
      into.props.set(key, prop);
    }
    prop.presentIn++;
    see((value as Record<string, unknown>)[key], prop, depth + 1, limits);
  }
}

/** Merges one event's tree into its type's shape. */
export function learn(shape: TypeShape, seen: Seen, limits: readonly string[]): void {
  shape.events++;
  for (const limit of limits) shape.limits.add(limit);
  merge(shape, shape.root, seen);
}

function merge(shape: TypeShape, node: ShapeNode, seen: Seen): void {
  node.events++;
  for (const kind of seen.kinds) node.kinds.set(kind, (node.kinds.get(kind) ?? 0) + 1);
  if (seen.objects > 0) {
    // A key this event's objects lacked (all of them or some) is optional from now on.
    for (const [key, child] of node.props) {
      const prop = seen.props.get(key);
      if (prop === undefined || prop.presentIn < seen.objects) child.alwaysPresent = false;
    }
    // A key new to an object seen before is optional too.
    const seenBefore = node.objectEvents > 0;
    node.objectEvents++;
    for (const [key, prop] of seen.props) {
      let child: ShapeNode | null = node.props.get(key) ?? null;
      if (child === null) {
        child = grow(shape);
        if (child === null) continue;
        child.alwaysPresent = !seenBefore && prop.presentIn === seen.objects;
        node.props.set(key, child);
      }
      merge(shape, child, prop);
    }
  }
  if (seen.items !== null) {
    node.items ??= grow(shape);
    if (node.items !== null) merge(shape, node.items, seen.items);
  }
}

/** A new path, unless the shape is full (then null, and the shape says so). */
function grow(shape: TypeShape): ShapeNode | null {
  if (shape.paths >= MAX_PATHS) {
    shape.limits.add(`only the first ${MAX_PATHS} paths of the type were learnt`);
    return null;
  }
  shape.paths++;
  return newNode();
}

/** A key's path under its parent's (`accession.tests[].code`); the body itself is "". */
export function childPath(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

export function itemsPath(parent: string): string {
  return `${parent}[]`;
}

/** The kinds of a node in KINDS order. */
export function kindsOf(node: { kinds: Map<Kind, number> } | { kinds: Set<Kind> }): Kind[] {
  return KINDS.filter((kind) => node.kinds.has(kind));
}
