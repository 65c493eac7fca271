// commander option parsers: each turns bad input into one sentence (exit 2).
import { InvalidArgumentError } from 'commander';
import { parseTargetUrl } from '../../server/delivery/target-url.js';

function wholeNumber(value: string, what: string, min: number, max: number): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`${what} must be a whole number from ${min} to ${max}.`);
  const number = Number(value);
  if (number < min || number > max) throw new InvalidArgumentError(`${what} must be from ${min} to ${max}.`);
  return number;
}

export const parsePort = (value: string): number => wholeNumber(value, 'A port', 0, 65535);

export const parseStatus = (value: string): number => wholeNumber(value, 'An HTTP status', 200, 599);

export const parseHistory = (value: string): number => wholeNumber(value, 'A history length', 1, 100_000);

export const parseMilliseconds = (value: string): number => wholeNumber(value, 'A time in milliseconds', 100, 3_600_000);

const SIZE_UNITS: Record<string, number> = { '': 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2 };

/** Bytes, with an optional k/KiB/m/MiB suffix (binary units). */
export function parseSize(value: string): number {
  const match = /^(\d+)\s*([a-z]*)$/i.exec(value.trim());
  const unit = match ? SIZE_UNITS[match[2]!.toLowerCase()] : undefined;
  if (!match || unit === undefined) throw new InvalidArgumentError('A size must be a number of bytes, optionally with k or m (for example 5m).');
  const bytes = Number(match[1]) * unit;
  if (bytes < 1 || bytes > 1024 ** 3) throw new InvalidArgumentError('A size must be from 1 byte to 1 GiB.');
  return bytes;
}

/** An http(s) URL, checked by the same rule the senders apply. */
export function parseHttpUrl(value: string): string {
  try {
    return parseTargetUrl(value).href;
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}
