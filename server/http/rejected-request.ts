// Reads what it can of a request that Node's HTTP parser refused, so a bad POST is still
// recorded (SPEC.md: every POST that reaches the listener ends up in the log). Lenient on
// purpose: this runs only on bytes the strict parser already rejected.
import type { ReceivedRequest } from '../record/summarize.js';

const PARSER_REASONS: Record<string, string> = {
  HPE_INVALID_HEADER_TOKEN: 'a header has characters HTTP does not allow',
  HPE_INVALID_CHUNK_SIZE: 'a chunk size of the chunked body is not valid',
  HPE_HEADER_OVERFLOW: 'its headers are larger than the 16 KiB Node accepts',
  HPE_UNEXPECTED_CONTENT_LENGTH: 'it has both Content-Length and Transfer-Encoding',
  HPE_INVALID_CONTENT_LENGTH: 'its Content-Length is not valid',
  HPE_INVALID_TRANSFER_ENCODING: 'its Transfer-Encoding is not valid',
  HPE_CR_EXPECTED: 'a line does not end in CRLF',
  HPE_LF_EXPECTED: 'a line does not end in CRLF',
  ERR_HTTP_REQUEST_TIMEOUT: 'it did not arrive in time',
  ERR_HTTP_HEADERS_TIMEOUT: 'its headers did not arrive in time',
};

export function parserReason(error: NodeJS.ErrnoException & { reason?: string }): string {
  return (error.code && PARSER_REASONS[error.code]) ?? error.reason ?? error.code ?? error.message;
}

/** A POST rebuilt from raw bytes, or null when the bytes are not a POST's start. */
export function parseRejectedRequest(
  raw: Buffer,
  remoteAddress: string,
  error: NodeJS.ErrnoException & { reason?: string },
  responseStatus: number,
): ReceivedRequest | null {
  const text = raw.toString('latin1');
  const lineEnd = text.indexOf('\n');
  const requestLine = (lineEnd === -1 ? text : text.slice(0, lineEnd)).replace(/\r$/, '');
  const match = /^POST (\S+)(?: HTTP\/\d(?:\.\d)?)?$/.exec(requestLine);
  if (!match) return null;

  let headerEnd = text.indexOf('\r\n\r\n');
  let separator = 4;
  if (headerEnd === -1) {
    headerEnd = text.indexOf('\n\n');
    separator = 2;
  }
  const headerBlock = headerEnd === -1 ? text.slice(lineEnd + 1) : text.slice(lineEnd + 1, headerEnd);
  const headers: Record<string, string> = {};
  for (const line of headerBlock.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    // Read as latin1, as Node's parser presents header bytes; the event record decodes them.
    const value = line.slice(colon + 1).trim();
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
  }
  const body = headerEnd === -1 ? Buffer.alloc(0) : raw.subarray(headerEnd + separator);
  // The raw packet may hold the whole body; then its signature can still be checked.
  const declared = Number(headers['content-length'] ?? 0);
  const whole = headerEnd !== -1 && !('transfer-encoding' in headers) && body.length === declared;
  return {
    method: 'POST',
    path: match[1]!,
    remoteAddress,
    headers,
    body: Buffer.from(body),
    size: body.length,
    truncated: false,
    responseStatus,
    rejected:
      responseStatus === 408
        ? `The request's headers did not arrive in time.`
        : `The HTTP parser refused the request because ${parserReason(error)}.`,
    problem: whole ? undefined : `Only ${body.length} bytes of the body could be read from the refused request`,
  };
}
