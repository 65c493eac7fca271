// Built-in sample bodies for `send <type>` and the TUI's "send a test", one per catalogued
// type. ILLUSTRATIVE ONLY: the vendor does not publish per-type fields
// (../shared/coreone-webhooks.md), so these bodies are plausible inventions for a
// veterinary diagnostic lab, not CoreOne's real payloads. They exist so a receiver can be
// exercised end to end (routing on the type header, signature check, JSON parsing) before
// real traffic is captured as fixtures. The one documented exception is the shape of the
// two instrument-file types, whose contents the vendor does describe.
//
// The values are fixed (no clock, no randomness) so a sample's bytes, and so its hash
// under a given secret, are the same on every run.

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

const accession = {
  id: 88213,
  accession_number: 'A26-004512',
  status: 'In Progress',
  received_at: '2026-11-27T08:41:05Z',
  client_id: 1842,
  client_code: 'C01842',
  submitter: 'Dr. Maria Okafor',
  species: 'Bovine',
  lab_sections: ['Bacteriology', 'Serology'],
};

const client = {
  id: 1842,
  client_code: 'C01842',
  name: 'Riverbend Veterinary Clinic',
  client_type: 'Veterinary practice',
  email: 'lab-results@riverbend-vet.example',
  phone: '+1 555 010 4471',
  address: { street: '1200 County Road 9', city: 'Millbrook', state: 'WI', postal_code: '53000', country: 'US' },
  credit_status: 'Good',
};

const labSection = {
  id: 301877,
  accession_number: 'A26-004512',
  lab_section: 'Bacteriology',
  tests: [
    { code: 'BACT-AER', name: 'Aerobic culture', specimen: 'Lung tissue' },
    { code: 'BACT-SUS', name: 'Antimicrobial susceptibility (MIC)', specimen: 'Isolate' },
  ],
  assigned_to: 'J. Lindqvist',
};

const animal = {
  animal_id: 'Cow 217',
  species: 'Bovine',
  breed: 'Holstein',
  sex: 'Female',
  age: '4 years',
  owner: 'Hillside Dairy LLC',
  premises_id: '00A1B2C',
};

const clinicalHistory = {
  id: 55120,
  accession_number: 'A26-004512',
  animal,
  history:
    'Three lactating cows with fever, nasal discharge and reduced milk yield over five days; one died and was submitted for necropsy.',
  entered_by: 'Dr. Maria Okafor',
};

const comment = {
  id: 99041,
  accession_number: 'A26-004512',
  lab_section: 'Histopathology',
  author: 'Dr. Samuel Greer',
  text: 'Suppurative bronchopneumonia; correlate with bacterial culture.',
  internal: false,
};

const invoice = {
  id: 24017,
  invoice_number: 'INV-26-00391',
  client_id: 1842,
  client_code: 'C01842',
  accession_numbers: ['A26-004512'],
  currency: 'USD',
  total: '184.50',
  balance: '184.50',
  status: 'Open',
  lines: [
    { test_code: 'BACT-AER', description: 'Aerobic culture', quantity: 1, amount: '42.00' },
    { test_code: 'SERO-BVD', description: 'BVDV antigen ELISA', quantity: 3, amount: '67.50' },
    { test_code: 'NEC-ADULT', description: 'Necropsy, adult bovine', quantity: 1, amount: '75.00' },
  ],
};

const hl7 = {
  id: 71406,
  message_control_id: 'MSG00012345',
  message_type: 'ORU^R01',
  sending_facility: 'RIVERBEND_VET',
  receiving_facility: 'STATE_VDL',
  accession_number: 'A26-004512',
};

const instrumentMessage = {
  id: 38815,
  instrument: 'BioTek ELx808 Plate Reader',
  lab_section: 'Serology',
  file_name: 'ELX808_20261127_1015.txt',
  accession_numbers: ['A26-004512', 'A26-004513'],
  test_code: 'SERO-BVD',
};

const nahln = {
  id: 6120,
  transmission_id: 'NAHLN-26-000873',
  message_type: 'ORU^R01',
  accession_number: 'A26-004512',
  program: 'Avian Influenza Surveillance',
  test: 'Influenza A matrix gene rRT-PCR',
  species: 'Chicken',
  result: 'Not detected',
};

const samples: Readonly<Record<string, Json>> = {
  'accession/status_change': {
    accession: { ...accession, status: 'Finalized' },
    changes: { status: ['In Progress', 'Finalized'] },
    changed_by: 'J. Lindqvist',
    changed_at: '2026-11-28T14:02:37Z',
  },
  'accession/client_change': {
    accession: { ...accession, client_id: 1907, client_code: 'C01907' },
    changes: { client_id: [1842, 1907], client_code: ['C01842', 'C01907'] },
    changed_by: 'Front desk',
    changed_at: '2026-11-27T09:12:44Z',
  },
  'accession/receive': {
    accession: { ...accession, status: 'Received' },
    specimens: [
      { specimen: 'Lung tissue', container: 'Whirl-Pak bag', condition: 'Chilled', count: 1 },
      { specimen: 'Serum', container: 'Red-top tube', condition: 'Chilled', count: 3 },
    ],
    received_by: 'Receiving',
  },
  'accession_lab_section/create': { accession_lab_section: { ...labSection, status: 'Assigned' } },
  'accession_lab_section/destroy': {
    accession_lab_section: { ...labSection, lab_section: 'Virology', tests: [], status: 'Removed' },
    removed_by: 'J. Lindqvist',
  },
  'accession_lab_section/release': {
    accession_lab_section: { ...labSection, status: 'Released', released_by: 'Dr. Samuel Greer' },
    released_at: '2026-11-28T13:55:02Z',
  },
  'accession_lab_section/unrelease': {
    accession_lab_section: { ...labSection, status: 'In Progress' },
    unreleased_by: 'Dr. Samuel Greer',
    reason: 'Susceptibility panel added after review.',
  },
  'attachment/fail': {
    attachment: {
      id: 12007,
      accession_number: 'A26-004512',
      file_name: 'gross_lung_02.heic',
      content_type: 'image/heic',
      size: 3481920,
    },
    error: 'Unsupported file type.',
  },
  'attachment/process': {
    attachment: {
      id: 12006,
      accession_number: 'A26-004512',
      file_name: 'gross_lung_01.jpg',
      content_type: 'image/jpeg',
      size: 1204733,
      lab_section: 'Histopathology',
    },
  },
  'client/create': { client },
  'client/destroy': { client: { id: 1999, client_code: 'C01999', name: 'Duplicate - Riverbend Vet' } },
  'client/update': {
    client: { ...client, credit_status: 'On hold' },
    changes: { credit_status: ['Good', 'On hold'] },
  },
  'clinical_histories/create': { clinical_history: clinicalHistory },
  'clinical_histories/destroy': { clinical_history: { id: 55120, accession_number: 'A26-004512' } },
  'clinical_histories/update': {
    clinical_history: {
      ...clinicalHistory,
      history: `${clinicalHistory.history} Herd vaccinated for BVDV in March.`,
    },
    changes: { history: [clinicalHistory.history, `${clinicalHistory.history} Herd vaccinated for BVDV in March.`] },
  },
  'comment/create': { comment },
  'comment/destroy': { comment: { id: 99041, accession_number: 'A26-004512' } },
  'comment/update': {
    comment: { ...comment, text: 'Suppurative bronchopneumonia; Mannheimia haemolytica isolated (see Bacteriology).' },
    changes: { text: [comment.text, 'Suppurative bronchopneumonia; Mannheimia haemolytica isolated (see Bacteriology).'] },
  },
  'credit_note/create': {
    credit_note: {
      id: 803,
      credit_note_number: 'CN-26-00017',
      invoice_number: 'INV-26-00391',
      client_id: 1842,
      amount: '22.50',
      currency: 'USD',
      reason: 'Duplicate BVDV ELISA charge.',
    },
  },
  'hl7message/fail': { hl7message: { ...hl7, status: 'Failed' }, error: 'OBR-4 test code BVD-AG is not mapped.' },
  'hl7message/process': { hl7message: { ...hl7, status: 'Processed', results: 3 } },
  'instrument/fail': { instrument_message: { ...instrumentMessage, status: 'Failed' }, error: 'Plate well C7 has no sample id.' },
  // The vendor: "only the instrument name and filename of the generated order file".
  'instrument/generate_instrument_file': {
    instrument: 'Tecan Freedom EVO 150',
    file_name: 'EVO150_ORDERS_20261128_0932.csv',
  },
  'instrument/process': { instrument_message: { ...instrumentMessage, status: 'Processed', results: 2 } },
  // The vendor: "the exact parameters the user requested", for reuse with
  // POST /api/v1/instruments/generate_file. The parameter names are illustrative.
  'instrument/request_instrument_file': {
    endpoint: '/api/v1/instruments/generate_file',
    parameters: {
      instrument: 'Tecan Freedom EVO 150',
      lab_section: 'Molecular Diagnostics',
      test_code: 'PCR-AIV-M',
      accession_numbers: ['A26-004512', 'A26-004513', 'A26-004520'],
      plate_layout: '96-well, column-wise',
      include_controls: true,
    },
  },
  'invoice/client_change': {
    invoice: { ...invoice, client_id: 1907, client_code: 'C01907' },
    changes: { client_id: [1842, 1907] },
  },
  'invoice/close': { invoice: { ...invoice, status: 'Closed', balance: '0.00', closed_at: '2026-11-28T16:20:00Z' } },
  'invoice/create': { invoice },
  'leaf/fail': {
    leaf: { id: 5532, file_name: 'SCAN_20261128_0007.pdf', pages: 2, barcode: null, scanner: 'Receiving scanner 1' },
    error: 'No CoreOne barcode found on the scan.',
  },
  'leaf/match': {
    leaf: { id: 5531, file_name: 'SCAN_20261128_0006.pdf', pages: 1, barcode: 'A26-004512', scanner: 'Receiving scanner 1' },
    accession_number: 'A26-004512',
  },
  'nahln_transmission/fail': {
    nahln_transmission: { ...nahln, status: 'Failed' },
    error: 'Rejected by NAHLN: missing premises id (PID-11).',
  },
  'nahln_transmission/process': { nahln_transmission: { ...nahln, status: 'Processed', acknowledged_at: '2026-11-28T15:04:19Z' } },
  'payment/create': {
    payment: {
      id: 17342,
      invoice_number: 'INV-26-00391',
      client_id: 1842,
      amount: '184.50',
      currency: 'USD',
      method: 'Credit card',
      reference: 'AUTH 4F7K2Q',
      paid_at: '2026-11-28T16:19:41Z',
    },
  },
};

/** The types that have a built-in sample (all 33 catalogued ones; a test checks that). */
export const SAMPLE_TYPES: readonly string[] = Object.keys(samples);

/** The illustrative sample body for a type, as compact JSON bytes; null for a type without one. */
export function sampleBody(type: string): Buffer | null {
  if (!Object.hasOwn(samples, type)) return null;
  return Buffer.from(JSON.stringify(samples[type]), 'utf8');
}
