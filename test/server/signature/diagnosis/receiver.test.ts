// `verify --computed` from the handler's side: for each code, the hash a handler making
// that mistake computes (written here the way such handlers write it, with node:crypto),
// diagnosed with the listener's code and a message that addresses the handler, never the
// sender.
import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { receiverDiagnosis, verifyComputed } from '../../../../server/signature/diagnosis/receiver.js';

const SECRET = 'whsec-receiver-0b7d';
const BODY = Buffer.from(JSON.stringify({ accession_number: 'A26-004512', submitter: 'Dr. Renée Okafor', status: 'Finalized' }));
const TEXT = BODY.toString('utf8');
const hmac = (key: string | Buffer, data: string | Buffer, algorithm = 'sha256') => createHmac(algorithm, key).update(data);

/** Each code, and the hash a handler computes when it makes that mistake. */
const MISTAKES: Array<[code: string, computed: () => string]> = [
  ['secret-whitespace', () => hmac(`${SECRET}\n`, BODY).digest('hex')],
  ['secret-quoted', () => hmac(`"${SECRET}"`, BODY).digest('hex')],
  ['secret-empty', () => hmac('', BODY).digest('hex')],
  ['body-reserialized', () => hmac(SECRET, JSON.stringify(JSON.parse(TEXT), null, 2)).digest('hex')],
  ['body-unicode-escaped', () => hmac(SECRET, TEXT.replace('é', '\\u00e9')).digest('hex')],
  ['body-trailing-newline', () => hmac(SECRET, `${TEXT}\n`).digest('hex')],
  ['body-encoding', () => hmac(SECRET, Buffer.from(TEXT, 'latin1')).digest('hex')],
  ['empty-body-signed', () => hmac(SECRET, '').digest('hex')],
  ['wrong-algorithm', () => hmac(SECRET, BODY, 'sha1').digest('hex')],
  ['unkeyed-digest', () => createHash('sha256').update(BODY).digest('hex')],
  ['naive-keyed-digest', () => createHash('sha256').update(SECRET).update(BODY).digest('hex')],
  ['key-message-swapped', () => hmac(BODY, SECRET).digest('hex')],
  ['hash-encoding', () => hmac(SECRET, BODY).digest('base64')],
  ['no-match', () => hmac('another-secret', BODY).digest('hex')],
  ['malformed-hash', () => 'not-a-digest'],
];

/** Words that would turn the message into advice to the sending side. */
const SENDER_WORDS = /\bsender\b|\bsending\b|make CoreOne|switch the sender|sign (exactly|the|only)/i;

describe('verify --computed: the receiving side', () => {
  it('says valid, with no diagnosis, for the right hash in either hex case', () => {
    const right = hmac(SECRET, BODY).digest('hex');
    for (const computed of [right, right.toUpperCase()]) {
      expect(verifyComputed(BODY, computed, SECRET)).toEqual({ status: 'valid', received: computed, expected: right, diagnosis: [], side: 'receiver' });
    }
  });

  it.each(MISTAKES)('names %s as the handler\'s mistake, in words for the handler', (code, computed) => {
    const hash = computed();
    const signature = verifyComputed(BODY, hash, SECRET);
    expect(signature.side).toBe('receiver');
    expect(signature.received).toBe(hash);
    expect(signature.status).not.toBe('valid');
    expect(signature.diagnosis.map((d) => d.code)).toContain(code);
    for (const { message } of signature.diagnosis) {
      expect(message).toMatch(/^(Your handler|The hash your handler computed)\b/);
      expect(message).not.toMatch(SENDER_WORDS);
      expect(message).not.toContain(SECRET);
    }
  });

  it('names the hex- or base64-decoded secret for a handler that decodes it', () => {
    const hexSecret = '9f2c4a7be013d8e6a5f1c0b7d2e49a3c';
    const signature = verifyComputed(BODY, hmac(Buffer.from(hexSecret, 'hex'), BODY).digest('hex'), hexSecret);
    expect(signature.diagnosis).toEqual([expect.objectContaining({ code: 'secret-decoded', message: expect.stringMatching(/^Your handler keys the HMAC with the secret decoded/) })]);
  });

  it('keeps the codes and their order, and words a code it has no sentence for without advice to the sender', () => {
    const words = receiverDiagnosis([
      { code: 'body-reserialized', message: 'sender text' },
      { code: 'some-future-code', message: 'The sender should...' },
    ]);
    expect(words.map((d) => d.code)).toEqual(['body-reserialized', 'some-future-code']);
    expect(words[0]!.message).toContain("express.raw({ type: 'application/json' })");
    expect(words[1]!.message).toMatch(/^Your handler's hash matches the known mistake some-future-code: /);
    for (const { message } of words) expect(message).not.toMatch(SENDER_WORDS);
  });
});
