// SPEC's two rules for a hash that several causes reproduce: the smallest change to the
// bytes is named (before likelihood), and when several serializers write the same bytes
// the message says what was done and names every one of them, and no other. The
// serializers are the real ones (node, python3, php), run over each body.
import { createHmac } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { verifySignature } from '../../../../server/signature/verify.js';

const SECRET = 'vdl-Kx7-webhook-secret';
const hmacHex = (message: string | Buffer): string => createHmac('sha256', SECRET).update(message).digest('hex');
const diagnosis = (body: string | Buffer, message: string | Buffer) => verifySignature(Buffer.from(body), hmacHex(message), SECRET).diagnosis;

describe('the smallest change to the bytes is named first', () => {
  const value = { id: 4711, status: 'received', client: 'Müller & Söhne' };
  const compact = JSON.stringify(value);
  const pretty = JSON.stringify(value, null, 2);
  // Each body and signed text is also written by a whole re-serialization of the body.
  const rows: Array<[string, string | Buffer, string, string[]]> = [
    ['a newline at the end of a compact body, signed without it', `${compact}\n`, compact, ['body-trailing-newline']],
    ['a pretty body saved with a final newline, signed without it', `${pretty}\n`, pretty, ['body-trailing-newline']],
    ['a pretty body with \\r\\n line endings, signed with \\n', pretty.replaceAll('\n', '\r\n'), pretty, ['body-line-endings']],
    ['a compact body with a byte-order mark, signed without it', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(compact)]), compact, ['body-encoding']],
    ['a compact body, signed with its non-ASCII escaped (no compaction happened)', compact, compact.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`), ['body-unicode-escaped']],
  ];
  it.each(rows)('%s: %j', (_title, body, signed, codes) => {
    expect(diagnosis(body, signed).map((d) => d.code)).toEqual(codes);
  });

  it('an in-place escape is described without a layout change it did not make', () => {
    const [cause] = diagnosis(compact, compact.replace('ü', '\\u00fc').replace('ö', '\\u00f6'));
    expect(cause?.message).not.toContain('compactly');
    expect(cause?.message).toContain('non-ASCII characters as \\uXXXX');
  });
});

// Real serializers, each named as the messages name it, each a program over the body on stdin.
const SERIALIZERS: Array<[name: string, command: string, args: string[]]> = [
  ["JavaScript's JSON.stringify", 'node', ['-e', "process.stdout.write(JSON.stringify(JSON.parse(require('fs').readFileSync(0, 'utf8'))))"]],
  ['JSON.stringify(value, null, 2)', 'node', ['-e', "process.stdout.write(JSON.stringify(JSON.parse(require('fs').readFileSync(0, 'utf8')), null, 2))"]],
  ["Python's json.dumps", 'python3', ['-c', 'import json,sys; sys.stdout.write(json.dumps(json.load(sys.stdin)))']],
  ["Python's json.dumps(separators=(',', ':'))", 'python3', ['-c', "import json,sys; sys.stdout.write(json.dumps(json.load(sys.stdin), separators=(',', ':')))"]],
  ["Python's json.dumps(indent=2)", 'python3', ['-c', 'import json,sys; sys.stdout.write(json.dumps(json.load(sys.stdin), indent=2))']],
  ["Python's json.dumps(indent=4)", 'python3', ['-c', 'import json,sys; sys.stdout.write(json.dumps(json.load(sys.stdin), indent=4))']],
  ["PHP's json_encode", 'php', ['-r', "echo json_encode(json_decode(file_get_contents('php://stdin')));"]],
  ["PHP's json_encode(JSON_PRETTY_PRINT)", 'php', ['-r', "echo json_encode(json_decode(file_get_contents('php://stdin')), JSON_PRETTY_PRINT);"]],
];

// Irregular spacing, so every serializer changes each body; each adds one thing that
// splits the serializers apart: a slash, non-ASCII, an integral float, a small float.
const BODIES = [
  '{"id":7, "status": "received","tags":["a", "b"]}',
  '{"id":7, "report": "lab/r/7","tags":["a", "b"]}',
  '{"id":7, "client": "Clinique vétérinaire","tags":[]}',
  '{"id":7, "client": "Clinique vétérinaire","report":"lab/r/7"}',
  '{"id":7, "dose": 1.0,"client":"Zürich"}',
  '{"id":7, "dose": 0.00001,"ratio":2.5}',
];

/** The variants are JSON.stringify's texts: a serializer that writes a number otherwise is not reproduced. */
const numbers = (text: string): string[] => text.replace(/"(?:[^"\\]|\\.)*"/g, '').match(/-?\d[\d.eE+-]*/g) ?? [];
const writesNumbersAsJavaScript = (body: string, output: string): boolean =>
  numbers(output).join() === numbers(JSON.stringify(JSON.parse(body))).join();

/** Whether `name` stands in the message as a name of its own (not inside a longer one). */
const names = (message: string, name: string): boolean => [',', ' and ', ' write'].some((after) => message.includes(`${name}${after}`));

describe('serializers that write the same bytes are all named, and only they', () => {
  const cases = BODIES.flatMap((body) => {
    const outputs = SERIALIZERS.map(([name, command, args]) => [name, execFileSync(command, args, { input: body }).toString()] as const);
    return outputs.map(([name, output]) => [body, name, output, outputs] as const);
  });
  it.each(cases)('%s signed as %s writes it', (body, _name, output, outputs) => {
    const found = diagnosis(body, output);
    if (!writesNumbersAsJavaScript(body, output)) {
      expect(found.map((d) => d.code)).toEqual(['no-match']);
      return;
    }
    expect(found.map((d) => d.code)).toContain('body-reserialized');
    const message = found.map((d) => d.message).join(' ');
    for (const [other, otherOutput] of outputs) expect([other, names(message, other)]).toEqual([other, otherOutput === output]);
  });

  it('the message says what was done to the bytes', () => {
    const body = BODIES[2] ?? '';
    const compactEscaped = execFileSync('python3', ['-c', "import json,sys; sys.stdout.write(json.dumps(json.load(sys.stdin), separators=(',', ':')))"], { input: body }).toString();
    const messages = diagnosis(body, compactEscaped).map((d) => d.message);
    expect(messages).toEqual([
      expect.stringContaining("re-serialized compactly (no whitespace between tokens) (as Python's json.dumps(separators=(',', ':')) and PHP's json_encode write it)"),
      expect.stringContaining('with non-ASCII characters as \\uXXXX, not over the bytes'),
    ]);
  });
});
