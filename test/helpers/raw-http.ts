// Speaks HTTP by hand over a TCP socket, for requests no well-behaved client would send.
import { connect } from 'node:net';
import { createHmac } from 'node:crypto';

export function sign(body: string | Buffer, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

/** Sends raw bytes and resolves with everything the server answered before closing. */
export function rawRequest(port: number, bytes: Buffer | string, { host = '127.0.0.1', endAfterWrite = false } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, host);
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? resolve(answer) : reject(error)));
    socket.on('close', () => resolve(answer));
    socket.write(bytes, () => {
      if (endAfterWrite) socket.end();
    });
  });
}

/** The status code of the first response in a raw answer. */
export function statusOf(answer: string): number {
  return Number(/^HTTP\/1\.[01] (\d{3})/.exec(answer)?.[1] ?? NaN);
}

export function postBytes(path: string, headers: Record<string, string>, body: Buffer | string): Buffer {
  const payload = Buffer.isBuffer(body) ? body : Buffer.from(body);
  const head = [`POST ${path} HTTP/1.1`, 'Host: localhost', `Content-Length: ${payload.length}`, 'Connection: close']
    .concat(Object.entries(headers).map(([name, value]) => `${name}: ${value}`))
    .join('\r\n');
  return Buffer.concat([Buffer.from(`${head}\r\n\r\n`, 'latin1'), payload]);
}
