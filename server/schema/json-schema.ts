// A learnt shape as a JSON Schema (draft 2020-12): `type` (the kinds seen), `properties`
// and `required` (the keys every object there had), `items`. Nothing the traffic did not
// show is claimed: objects stay open to keys not seen yet. A bound the learning hit is
// said in the type's `$comment`.
import { kindsOf, type ShapeNode, type TypeShape } from './shape.js';

export const DRAFT_2020_12 = 'https://json-schema.org/draft/2020-12/schema';

export interface JsonSchema {
  $schema?: string;
  $comment?: string;
  title?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
}

export function typeSchema(shape: TypeShape, title: string = shape.type): JsonSchema {
  const schema: JsonSchema = { $schema: DRAFT_2020_12, title };
  const comment = limitsComment(shape);
  if (comment !== null) schema.$comment = comment;
  return { ...schema, ...nodeSchema(shape.root) };
}

/** One sentence naming the bounds the learning of a type hit, or null. */
export function limitsComment(shape: TypeShape): string | null {
  if (shape.limits.size === 0) return null;
  return `coreone-inspect learnt this type within its bounds: ${[...shape.limits].join('; ')}.`;
}

function nodeSchema(node: ShapeNode): JsonSchema {
  const kinds = kindsOf(node);
  const schema: JsonSchema = { type: kinds.length === 1 ? kinds[0]! : kinds };
  if (node.objectEvents > 0) {
    // fromEntries, not assignment: a key named "__proto__" must stay a key.
    schema.properties = Object.fromEntries([...node.props].map(([key, child]) => [key, nodeSchema(child)]));
    const required = [...node.props].filter(([, child]) => child.alwaysPresent).map(([key]) => key);
    if (required.length > 0) schema.required = required;
  }
  if (node.items !== null) schema.items = nodeSchema(node.items);
  return schema;
}
