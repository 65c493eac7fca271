// An event's drift: how its body departs from the earlier events of its type, oldest
// first (../shared/SPEC.md "Schemas, drift and exports"):
//   added         a path no earlier event had, once the type has an earlier JSON event;
//   removed       a path every earlier event had, once there are at least two of them;
//   type-changed  a path whose kind this event has for the first time (was: the kinds
//                 seen before, joined by "|"; now: this one).
// `Shapes` keeps one shape per type and is fed events in log order: each event's drift
// is computed once, against the shape before it, and the event is then learnt. Bodies
// that are not JSON (and events without a type) have no shape and no drift.
import { childPath, itemsPath, kindsOf, learn, newShape, seeBody, type Seen, type ShapeNode, type TypeShape } from './shape.js';
import type { WebhookEvent } from '../types.js';

export interface Change {
  path: string;
  change: 'added' | 'removed' | 'type-changed';
  was?: string;
  now?: string;
}

/** The drift of a body (its tree) against a shape learnt from the earlier events. */
export function driftOf(shape: TypeShape, seen: Seen): Change[] {
  const changes: Change[] = [];
  if (shape.events > 0) compare(shape, shape.root, seen, '', changes);
  return changes;
}

function compare(shape: TypeShape, node: ShapeNode, seen: Seen, path: string, changes: Change[]): void {
  for (const kind of seen.kinds) {
    if (!node.kinds.has(kind)) changes.push({ path, change: 'type-changed', was: kindsOf(node).join('|'), now: kind });
  }
  for (const [key, prop] of seen.props) {
    const child = node.props.get(key);
    const at = childPath(path, key);
    if (child === undefined) added(prop, at, changes);
    else compare(shape, child, prop, at, changes);
  }
  if (seen.items !== null) {
    if (node.items === null) added(seen.items, itemsPath(path), changes);
    else compare(shape, node.items, seen.items, itemsPath(path), changes);
  }
  if (shape.events < 2) return;
  for (const [key, child] of node.props) if (!seen.props.has(key)) removed(shape, child, childPath(path, key), changes);
  if (node.items !== null && seen.items === null) removed(shape, node.items, itemsPath(path), changes);
}

/** A new path, and every path under it: all are new. */
function added(seen: Seen, path: string, changes: Change[]): void {
  changes.push({ path, change: 'added' });
  for (const [key, prop] of seen.props) added(prop, childPath(path, key), changes);
  if (seen.items !== null) added(seen.items, itemsPath(path), changes);
}

/** A missing path, if every earlier event had it, and those under it that every one had too. */
function removed(shape: TypeShape, node: ShapeNode, path: string, changes: Change[]): void {
  if (node.events !== shape.events) return;
  changes.push({ path, change: 'removed' });
  for (const [key, child] of node.props) removed(shape, child, childPath(path, key), changes);
  if (node.items !== null) removed(shape, node.items, itemsPath(path), changes);
}

/** The JSON value of an event's or fixture's body, or undefined when it has none (not JSON, not kept). */
export function jsonBody(recorded: Pick<WebhookEvent, 'body' | 'bodyEncoding'> & Partial<Pick<WebhookEvent, 'json' | 'truncated'>>): { value: unknown } | undefined {
  if (recorded.truncated === true || recorded.json?.ok === false || recorded.bodyEncoding !== 'utf8') return undefined;
  try {
    return { value: JSON.parse(recorded.body) as unknown };
  } catch {
    return undefined;
  }
}

/** One shape per type, learnt event by event in log order. */
export class Shapes {
  readonly #byType = new Map<string, TypeShape>();

  /**
   * Learns one event and returns its drift against the earlier events of its type: null
   * when it has no shape (no type, or a body that is not JSON), else the changes (maybe none).
   */
  observe(type: string | null, body: { value: unknown } | undefined): Change[] | null {
    if (type === null || body === undefined) return null;
    let shape = this.#byType.get(type);
    if (shape === undefined) {
      shape = newShape(type);
      this.#byType.set(type, shape);
    }
    const { seen, limits } = seeBody(body.value);
    const changes = driftOf(shape, seen);
    learn(shape, seen, limits);
    return changes;
  }

  /** The shapes learnt so far, by type name. */
  all(): TypeShape[] {
    return [...this.#byType.values()].sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
  }
}
