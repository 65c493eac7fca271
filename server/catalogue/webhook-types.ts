// The 33 webhook types CoreOne for Labs sends (../shared/coreone-webhooks.md), with what
// fires each. The vendor does not publish per-type fields, so nothing here describes bodies.

export interface WebhookType {
  type: string;
  resource: string;
  firesWhen: string;
}

const table: ReadonlyArray<readonly [resource: string, type: string, firesWhen: string]> = [
  ['Accession', 'accession/status_change', "an accession's status changed"],
  ['Accession', 'accession/client_change', "an accession's client changed"],
  ['Accession', 'accession/receive', 'an accession was marked Received'],
  ['Accession lab section', 'accession_lab_section/create', 'a lab section was assigned to an accession'],
  ['Accession lab section', 'accession_lab_section/destroy', 'a lab section was removed from an accession'],
  ['Accession lab section', 'accession_lab_section/release', 'a lab section was released for review'],
  ['Accession lab section', 'accession_lab_section/unrelease', 'a lab section was unreleased'],
  ['Attachment', 'attachment/fail', 'processing an attachment failed'],
  ['Attachment', 'attachment/process', 'an attachment was processed'],
  ['Client', 'client/create', 'a client was created'],
  ['Client', 'client/destroy', 'a client was deleted'],
  ['Client', 'client/update', 'a client was updated (credit status changes included)'],
  ['Clinical history', 'clinical_histories/create', "an animal's clinical history was entered"],
  ['Clinical history', 'clinical_histories/destroy', "an animal's clinical history was deleted"],
  ['Clinical history', 'clinical_histories/update', "an animal's clinical history was edited"],
  ['Comment', 'comment/create', 'a comment was added to an accession'],
  ['Comment', 'comment/destroy', 'a comment was deleted from an accession'],
  ['Comment', 'comment/update', 'a comment was edited'],
  ['Credit note', 'credit_note/create', 'a credit note was created'],
  ['HL7 message', 'hl7message/fail', 'processing an HL7 message failed'],
  ['HL7 message', 'hl7message/process', 'an HL7 message was processed'],
  ['Instrument', 'instrument/fail', 'processing an instrument message failed'],
  [
    'Instrument',
    'instrument/generate_instrument_file',
    'a user generated an instrument file in the UI (payload: the instrument name and the generated file name)',
  ],
  ['Instrument', 'instrument/process', 'an instrument message was processed'],
  [
    'Instrument',
    'instrument/request_instrument_file',
    'a user generated an instrument file in the UI (payload: the parameters requested, for /api/v1/instruments/generate_file)',
  ],
  ['Invoice', 'invoice/client_change', "an invoice's client changed"],
  ['Invoice', 'invoice/close', 'an invoice was closed'],
  ['Invoice', 'invoice/create', 'an invoice was created'],
  ['Leaf (scans)', 'leaf/fail', 'an incoming scan was processed but not matched to an accession'],
  ['Leaf (scans)', 'leaf/match', 'an incoming scan was matched to an accession by its barcode'],
  ['NAHLN', 'nahln_transmission/fail', 'a NAHLN transmission failed'],
  ['NAHLN', 'nahln_transmission/process', 'a NAHLN transmission was processed'],
  ['Payment', 'payment/create', 'a payment was made'],
];

export const WEBHOOK_TYPES: readonly WebhookType[] = table.map(([resource, type, firesWhen]) => ({
  resource,
  type,
  firesWhen,
}));

const known = new Set(WEBHOOK_TYPES.map((t) => t.type));

export function isKnownType(type: string | null): boolean {
  return type !== null && known.has(type);
}
