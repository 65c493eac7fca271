// A recorded body's bytes without Node's Buffer, for code that also runs in the web
// inspector's page (the hex view, copy as curl). Node's own paths (delivery, fixtures)
// keep Buffer.from, which is faster there.

/** The bytes a body recorded as UTF-8 text or base64 stands for. */
export function bodyBytes(recorded: { body: string; bodyEncoding: 'utf8' | 'base64' }): Uint8Array {
  return recorded.bodyEncoding === 'base64' ? base64Bytes(recorded.body) : new TextEncoder().encode(recorded.body);
}

export function base64Bytes(text: string): Uint8Array {
  return latin1Bytes(atob(text));
}

/** Each character as the byte of its code (header values, as node:http hands them over). */
export function latin1Bytes(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
}
