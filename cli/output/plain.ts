// `--no-ui` (and any stdout that is not a terminal): one readable line per event.
import type { InspectorEvent } from '../../server/events.js';
import type { ReadyRecord, SecretInfo, SignatureStatus, WebhookEvent } from '../../server/types.js';
import { formatBytes, safeText } from './terminal-text.js';
import { rejectedValidNote } from './forward-note.js';

const BADGES: Record<SignatureStatus, string> = {
  valid: '✓ valid',
  invalid: '✗ invalid',
  missing: '? missing',
  malformed: '! malformed',
  unchecked: '- unchecked',
};

export function eventLine(event: WebhookEvent): string {
  const time = event.receivedAt.slice(11, 19);
  const type = event.type === null ? '(no type)' : safeText(event.type) + (event.knownType ? '' : ' (unknown type)');
  const parts = [time, `#${event.seq}`, type, BADGES[event.signature.status], formatBytes(event.size)];
  if (event.rejected) parts.push(`(answered 400: ${safeText(event.rejected)})`);
  const first = event.signature.diagnosis[0];
  if (first) parts.push(`- ${first.message}`);
  else if (!event.json.ok && event.size > 0) parts.push(`(not JSON: ${safeText(event.json.error)})`);
  return parts.join('  ');
}

export function readyLines(record: ReadyRecord, secret: SecretInfo | null): string[] {
  return [
    `coreone-inspect ${record.version}: listening for CoreOne webhooks on ${record.webhookUrl}`,
    `  tunnel:    ${record.tunnelUrl ?? 'none (local only)'}`,
    `  secret:    ${secret ? `${secret.length} characters, fingerprint ${secret.fingerprint}` : 'none: events are shown as unchecked'}`,
    `  log:       ${record.logPath}`,
    `  inspector: ${record.inspectUrl}`,
    `  web:       ${record.uiUrl}`,
  ];
}

export function plainPrinter(out: NodeJS.WritableStream, err: NodeJS.WritableStream): (event: InspectorEvent) => void {
  return (event) => {
    switch (event.kind) {
      case 'ready':
        out.write(`${readyLines(event.record, event.secret).join('\n')}\n`);
        break;
      case 'event':
        out.write(`${eventLine(event.record.event)}\n`);
        break;
      case 'tunnel': {
        const { status, url, error, note, probe } = event.record;
        const checked = probe === 'ok' ? ' (checked: requests through it arrive here)' : '';
        const parts = [`tunnel ${status}${url ? `: ${url}` : ''}${checked}`, error, note].filter(Boolean);
        out.write(`${parts.join(': ')}\n`);
        break;
      }
      case 'forward': {
        const { id, url, status, ms, error, rejectedValid } = event.record;
        const outcome = (error ?? `${status} in ${ms} ms`) + (rejectedValid ? `: ${rejectedValidNote(url)}` : '');
        out.write(`  forwarded ${id} to ${url}: ${safeText(outcome)}\n`);
        break;
      }
      case 'saved':
        out.write(`  saved ${event.record.id} as ${event.record.path}\n`);
        break;
      case 'warning':
        err.write(`coreone-inspect: warning: ${event.message}\n`);
        break;
      case 'done':
        break;
    }
  };
}
