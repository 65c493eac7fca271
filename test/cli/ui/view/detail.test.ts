// What each detail tab says for the awkward cases: binary, over-size, refused and
// unchecked events, the first of a type.
import { describe, expect, it } from 'vitest';
import { makeEvent } from '../../../helpers/inspector-feed.js';
import { bodyLines, diffLines, headerLines, signatureLines, titleLine } from '../../../../cli/ui/view/detail.js';
import { lineText, type Line } from '../../../../cli/ui/view/text.js';
import type { WebhookEvent } from '../../../../server/types.js';

const text = (lines: Line[]) => lines.map(lineText).join('\n');

describe('Body tab', () => {
  it('shows a non-UTF-8 body as a hex dump under the parse error', () => {
    const bytes = Buffer.from([0x7b, 0xff, 0x00, 0x41]);
    const event: WebhookEvent = {
      ...makeEvent({ seq: 1 }),
      body: bytes.toString('base64'),
      bodyEncoding: 'base64',
      size: 4,
      json: { ok: false, error: 'Unexpected token' },
    };
    expect(text(bodyLines(event))).toBe(
      ['Not JSON: Unexpected token', 'Not UTF-8 text either: 4 bytes shown as hex.', '', `00000000  7b ff 00 41${' '.repeat(37)} |{..A|`].join('\n'),
    );
  });

  it('says when the body was over --max-body and not kept', () => {
    const event: WebhookEvent = { ...makeEvent({ seq: 1 }), body: '', truncated: true, size: 6_000_000 };
    expect(text(bodyLines(event))).toBe('Body not kept: 5.7 MiB is over --max-body.');
  });

  it('cuts a very long body and says where the rest is', () => {
    const event = makeEvent({ seq: 1, body: JSON.stringify(Array.from({ length: 6000 }, (_, i) => i)) });
    const lines = bodyLines(event);
    expect(lines.length).toBe(5002);
    expect(lineText(lines.at(-1) ?? [])).toBe('… 1002 more lines not shown here; the durable log has the whole body.');
  });
});

describe('Headers tab and title', () => {
  it("puts CoreOne's headers first and says why the HTTP layer refused a request", () => {
    const event: WebhookEvent = { ...makeEvent({ seq: 1 }), rejected: 'Invalid header value char', responseStatus: 400 };
    const lines = text(headerLines(event)).split('\n');
    expect(lines[0]).toBe('Refused by the HTTP layer (answered 400): Invalid header value char');
    const names = lines.filter((l) => l.includes(': ') && !l.startsWith('Refused')).map((l) => l.split(':')[0]);
    expect(names.slice(0, 2)).toEqual(['x-coreone-webhook-type', 'x-coreone-webhook-hash']);
    expect(lineText(titleLine(event))).toContain('answered 400');
    expect(lineText(titleLine(makeEvent({ seq: 2 })))).not.toContain('answered');
  });

  it('marks an unknown type in the title', () => {
    expect(lineText(titleLine(makeEvent({ seq: 1, type: 'lab/custom' })))).toMatch(/^#1 lab\/custom \(unknown type\)/);
  });
});

describe('Signature tab', () => {
  it('says why an event was not checked', () => {
    expect(text(signatureLines(makeEvent({ seq: 1, status: 'unchecked' })))).toContain('Not checked: the listener has no secret.');
    const big: WebhookEvent = { ...makeEvent({ seq: 1, status: 'unchecked' }), truncated: true };
    expect(text(signatureLines(big))).toContain('Not checked: the body was over --max-body and was not kept.');
    expect(text(signatureLines(makeEvent({ seq: 1, status: 'missing' })))).toContain('received (X-Coreone-Webhook-Hash)\n(no header)');
  });
});

describe('Diff tab', () => {
  it('says the first event of a type has nothing to compare yet', () => {
    expect(text(diffLines(makeEvent({ seq: 1, type: 'invoice/close' }), null))).toBe(
      'The first invoice/close event of this session: nothing to compare yet.',
    );
  });

  it('says when two bodies are the same', () => {
    const body = '{"a":1}';
    expect(text(diffLines(makeEvent({ seq: 2, body }), makeEvent({ seq: 1, body })))).toMatch(/Same body as #1\.$/);
  });
});

describe('bodies too large to draw whole', () => {
  const huge = JSON.stringify({ pad: 'x'.repeat(300 * 1024) });

  it('Body shows only the start, unformatted, and says where the rest is', () => {
    const lines = bodyLines(makeEvent({ seq: 1, body: huge }));
    expect(lineText(lines[0]!)).toMatch(/^Showing the first 256 KiB of .+, unformatted; the durable log has the whole body\.$/);
    expect(text(lines).length).toBeLessThan(260 * 1024);
  });

  it('Diff says it does not diff them', () => {
    const lines = diffLines(makeEvent({ seq: 2, body: huge }), makeEvent({ seq: 1, body: '{}' }));
    expect(text(lines)).toContain('No line diff: the body of #2 is over 256 KiB; compare saved fixtures instead.');
  });
});
