// Learnt shapes as TypeScript declarations: one exported interface per type, named from the
// type in PascalCase, and `CoreoneWebhook`, the union of `{ type; body }` over them. The
// declarations themselves come from json-schema-to-typescript, fed the JSON Schema of
// json-schema.ts: a well-kept library that already turns `required` into optional keys,
// quotes keys that are not identifiers and formats the result, so the two outputs of
// `schema` cannot disagree about a type.
import { compile } from 'json-schema-to-typescript';
import { typeSchema } from './json-schema.js';
import type { TypeShape } from './shape.js';

export const UNION_NAME = 'CoreoneWebhook';

/**
 * `accession/status_change` -> `AccessionStatusChange`: accents folded, every run of
 * characters other than ASCII letters and digits a word break, each word capitalised. A
 * name that would start with a digit or be empty gets a `Webhook` prefix.
 */
export function pascalCase(type: string): string {
  const words = type
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== '');
  const name = words.map((word) => word[0]!.toUpperCase() + word.slice(1)).join('');
  return name === '' || /^[0-9]/.test(name) ? `Webhook${name}` : name;
}

/**
 * The interface name of each type, in the order given: types whose PascalCase names
 * meet (`a/b` and `a_b`), or meet the union's name, are told apart by a number (`AB`, `AB2`).
 */
export function interfaceNames(types: readonly string[]): Map<string, string> {
  const taken = new Set([UNION_NAME]);
  const names = new Map<string, string>();
  for (const type of types) {
    const base = pascalCase(type);
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}${n}`;
    taken.add(name);
    names.set(type, name);
  }
  return names;
}

const HEADER = `// Webhook body types learnt by coreone-inspect from the events it received. CoreOne does
// not publish per-type fields: these say only what the traffic showed.
`;

export async function typescriptDeclarations(shapes: readonly TypeShape[]): Promise<string> {
  const names = interfaceNames(shapes.map((shape) => shape.type));
  const parts = [HEADER];
  for (const shape of shapes) {
    const name = names.get(shape.type)!;
    const schema = typeSchema(shape, name);
    // $schema and the comment are not types: the comment goes above as a plain comment.
    const { $schema: _draft, $comment: comment, ...declared } = schema;
    const code = await compile(declared as Parameters<typeof compile>[0], name, { bannerComment: '', additionalProperties: true, unknownAny: true });
    parts.push(`${comment === undefined ? '' : `// ${comment}\n`}// ${tsString(shape.type)}, from ${shape.events} event${shape.events === 1 ? '' : 's'}.\n${code.trim()}\n`);
  }
  const members = shapes.map((shape) => `  | { type: ${tsString(shape.type)}; body: ${names.get(shape.type)} }`);
  parts.push(`export type ${UNION_NAME} =\n${members.length === 0 ? '  never' : members.join('\n')};\n`);
  return parts.join('\n');
}

/** A string literal that stays one line: JSON's, with the two line separators JSON leaves bare escaped. */
function tsString(text: string): string {
  return JSON.stringify(text).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}
