// What each detail tab shows for one event, as lines of styled segments. Pure functions:
// the App memoises them per selected event, so only the selection's content is built.
import type { ForwardRecord, WebhookEvent } from '../../../server/types.js';
import { formatBytes } from '../../output/terminal-text.js';
import { base64Bytes } from '../../../server/record/body-bytes.js';
import { rejectedValidNote } from '../../output/forward-note.js';
import { diffBodies, formatChange, MAX_BODY_CHARS, type DiffLineKind } from '../model/diff.js';
import { prettyJsonLines } from '../model/json-pretty.js';
import { formatDrift } from '../model/drift.js';
import type { Change } from '../../../server/schema/drift.js';
import type { Tab } from '../model/state.js';
import type { BodyGap } from '../model/held-bodies.js';
import { VERDICTS, type Colour } from './theme.js';
import { formatTime, plain, paneText, seg, type Line } from './text.js';

/** Longest body shown, in lines: beyond this the pane says where the rest is. */
export const MAX_BODY_LINES = 5000;

const HEX_BYTES_PER_LINE = 16;
/** Changed paths listed above the diff before "and N more". */
const MAX_SUMMARY_CHANGES = 12;

const BLANK: Line = [];

export function typeLabel(event: WebhookEvent): string {
  return event.type === null ? '(no type header)' : paneText(event.type);
}

/** The line above the tabs: which event this is, and what happened to it. */
export function titleLine(event: WebhookEvent, forward?: ForwardRecord, savedPath?: string): Line {
  const line = [
    seg(`#${event.seq} `, { bold: true }),
    seg(typeLabel(event), { bold: true, colour: event.knownType ? undefined : 'yellow' }),
    ...(event.knownType || event.type === null ? [] : [seg(' (unknown type)', { colour: 'yellow' })]),
    seg(`  ${paneText(event.method)} ${paneText(event.path)}  ${formatBytes(event.size)}  ${formatTime(event.receivedAt)}`, {
      dim: true,
    }),
  ];
  // What the sender was told, when it was not a plain 200 (--respond, 413, 408, 400).
  if (event.responseStatus !== undefined && event.responseStatus !== 200) {
    line.push(seg(`  answered ${event.responseStatus}`, { colour: 'yellow' }));
  }
  if (forward) line.push(seg(`  forward ${forwardLabel(forward)}`, { colour: forward.error || forward.rejectedValid ? 'red' : 'cyan' }));
  if (savedPath) line.push(seg(`  saved ${paneText(savedPath)}`, { colour: 'cyan' }));
  return line;
}

export function forwardLabel(forward: ForwardRecord): string {
  if (forward.error) return `failed: ${paneText(forward.error)}`;
  if (forward.status === undefined) return '…';
  const answer = `→${forward.status}${forward.ms === undefined ? '' : ` ${forward.ms}ms`}`;
  return forward.rejectedValid ? `${answer}: ${paneText(rejectedValidNote(forward.url))}` : answer;
}

export function headerLines(event: WebhookEvent): Line[] {
  const names = Object.keys(event.headers);
  const ordered = [...names.filter((n) => n.startsWith('x-coreone-')), ...names.filter((n) => !n.startsWith('x-coreone-'))];
  const lines: Line[] = [];
  if (event.rejected) lines.push([seg(`Refused by the HTTP layer (answered 400): ${paneText(event.rejected)}`, { colour: 'yellow' })], BLANK);
  lines.push(plain(`${names.length} headers, CoreOne's first:`), BLANK);
  for (const name of ordered) {
    const coreone = name.startsWith('x-coreone-');
    lines.push([seg(`${paneText(name)}: `, { colour: 'cyan', bold: coreone }), seg(paneText(event.headers[name] ?? ''))]);
  }
  return lines;
}

function hexDump(base64: string): Line[] {
  const bytes = base64Bytes(base64);
  const lines: Line[] = [];
  const shown = Math.min(bytes.length, MAX_BODY_LINES * HEX_BYTES_PER_LINE);
  for (let offset = 0; offset < shown; offset += HEX_BYTES_PER_LINE) {
    const chunk = bytes.subarray(offset, offset + HEX_BYTES_PER_LINE);
    const hex = Array.from(chunk, (b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = Array.from(chunk, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push([
      seg(offset.toString(16).padStart(8, '0') + '  ', { dim: true }),
      seg(hex.padEnd(HEX_BYTES_PER_LINE * 3)),
      seg(` |${ascii}|`, { dim: true }),
    ]);
  }
  if (shown < bytes.length) lines.push(plain(`… ${bytes.length - shown} more bytes not shown.`));
  return lines;
}

function capped(lines: Line[]): Line[] {
  if (lines.length <= MAX_BODY_LINES) return lines;
  const rest = lines.length - MAX_BODY_LINES;
  return [...lines.slice(0, MAX_BODY_LINES), BLANK, plain(`… ${rest} more lines not shown here; the durable log has the whole body.`)];
}

export function bodyLines(event: WebhookEvent): Line[] {
  if (event.truncated) {
    return [[seg(`Body not kept: ${formatBytes(event.size)} is over --max-body.`, { colour: 'yellow' })]];
  }
  if (event.body.length > MAX_BODY_CHARS) {
    const start = event.body.slice(0, MAX_BODY_CHARS).split(/\r?\n/).map((l) => plain(paneText(l)));
    const note: Line = [
      seg(`Showing the first ${MAX_BODY_CHARS / 1024} KiB of ${formatBytes(event.size)}, unformatted; the durable log has the whole body.`, {
        colour: 'yellow',
      }),
    ];
    return [note, BLANK, ...capped(start)];
  }
  if (event.json.ok) return capped(prettyJsonLines(event.body));
  const why: Line = [seg(`Not JSON: ${paneText(event.json.error)}`, { colour: 'yellow' })];
  if (event.bodyEncoding === 'base64') {
    return [why, plain(`Not UTF-8 text either: ${event.size} bytes shown as hex.`), BLANK, ...hexDump(event.body)];
  }
  if (event.body === '') return [why, BLANK, plain('(empty body)')];
  return [why, BLANK, ...capped(event.body.split(/\r?\n/).map((l) => plain(paneText(l))))];
}

const DIFF_STYLE: Record<DiffLineKind, { colour?: Colour }> = {
  hunk: { colour: 'cyan' },
  add: { colour: 'green' },
  del: { colour: 'red' },
  context: {},
};

/** The shape's drift against every earlier event of the type, above the diff with the previous one. */
function driftLines(drift: readonly Change[] | undefined): Line[] {
  if (drift === undefined) return [];
  const shown = drift.slice(0, MAX_SUMMARY_CHANGES);
  const lines: Line[] = [[seg(`Shape drift against the earlier events of this type (${drift.length}):`, { bold: true, colour: 'magenta' })]];
  for (const change of shown) lines.push([seg('  ' + paneText(formatDrift(change)), { colour: 'magenta' })]);
  if (drift.length > shown.length) lines.push(plain(`  … and ${drift.length - shown.length} more (coreone-inspect schema --drift lists them all)`));
  lines.push(BLANK);
  return lines;
}

export function diffLines(event: WebhookEvent, previous: WebhookEvent | null, drift?: readonly Change[]): Line[] {
  return [...driftLines(drift), ...previousDiffLines(event, previous)];
}

function previousDiffLines(event: WebhookEvent, previous: WebhookEvent | null): Line[] {
  const type = typeLabel(event);
  if (!previous) return [plain(`The first ${type} event of this session: nothing to compare yet.`)];
  const against = plain(`Against #${previous.seq} (${formatTime(previous.receivedAt)}), the previous ${type} event.`);
  const result = diffBodies(previous, event);
  if (result.kind === 'identical') return [against, BLANK, plain(`Same body as #${previous.seq}.`)];
  if (result.kind === 'unavailable') return [against, BLANK, [seg(result.reason, { colour: 'yellow' })]];
  const lines: Line[] = [against, BLANK];
  if (result.changes) {
    const shown = result.changes.slice(0, MAX_SUMMARY_CHANGES);
    lines.push([seg(`Changed (${result.changes.length}):`, { bold: true })]);
    for (const change of shown) lines.push([seg('  ' + paneText(formatChange(change)), { colour: 'yellow' })]);
    if (result.changes.length > shown.length) lines.push(plain(`  … and ${result.changes.length - shown.length} more`));
    lines.push(BLANK);
  }
  for (const l of result.lines) lines.push([seg(l.text === '' ? ' ' : l.text, DIFF_STYLE[l.kind])]);
  return lines;
}

function statusSentence(event: WebhookEvent): string {
  switch (event.signature.status) {
    case 'valid':
      return 'The hash matches the HMAC-SHA256 of the raw body with the secret.';
    case 'invalid':
      return 'The hash is a well-formed hex digest that does not match the body and the secret.';
    case 'missing':
      return 'There is no X-Coreone-Webhook-Hash header.';
    case 'malformed':
      return 'The X-Coreone-Webhook-Hash header is not a 64-digit hex digest.';
    case 'unchecked':
      return event.truncated
        ? 'Not checked: the body was over --max-body and was not kept.'
        : 'Not checked: the listener has no secret.';
  }
}

export function signatureLines(event: WebhookEvent): Line[] {
  const sig = event.signature;
  const style = VERDICTS[sig.status];
  const lines: Line[] = [
    [seg('Verdict   '), seg(`${style.symbol} ${sig.status}`, { colour: style.colour, bold: true })],
    plain(statusSentence(event)),
  ];
  // What to fix comes before the evidence: the diagnosis, then the two hashes.
  if (sig.diagnosis.length > 0) {
    lines.push(BLANK, [seg('Diagnosis', { bold: true })]);
    for (const d of sig.diagnosis) {
      lines.push([seg(`• ${paneText(d.code)}: `, { bold: true, colour: 'yellow' }), seg(paneText(d.message))]);
    }
  }
  lines.push(
    BLANK,
    // Each hash on a line of its own, one above the other, so they compare at a glance.
    [seg('received', { bold: true }), seg(' (X-Coreone-Webhook-Hash)', { dim: true })],
    plain(sig.received === null ? '(no header)' : paneText(sig.received)),
    [seg('expected', { bold: true }), seg(' (HMAC-SHA256 of the raw body with the secret)', { dim: true })],
    plain(sig.expected ?? '(not computed)'),
  );
  return lines;
}

/** The Body and Diff tabs while a body they need is still to come, or cannot come. */
const BODY_GAP: Record<BodyGap, Line[]> = {
  coming: [[seg("The body is on its way: the history's bodies follow its list, and a body let go is asked for again.", { colour: 'yellow' })]],
  lost: [
    [seg('The inspector no longer has this body: it restarted since, and knows only the events of its own history.', { colour: 'yellow' })],
    [seg('The body is still in the event log file.', { dim: true })],
  ],
};

/** `gap`: the event's body (or, for the Diff tab, the previous one's) is not there (held-bodies.ts). */
export function tabLines(tab: Tab, event: WebhookEvent, previous: WebhookEvent | null, drift?: readonly Change[], gap: BodyGap | null = null): Line[] {
  switch (tab) {
    case 'headers':
      return headerLines(event);
    case 'body':
      return gap ? BODY_GAP[gap] : bodyLines(event);
    case 'diff':
      return gap ? BODY_GAP[gap] : diffLines(event, previous, drift);
    case 'signature':
      return signatureLines(event);
  }
}
