// What `coreone-inspect verify` takes.
import type { SecretOptions } from '../../options/secret.js';

export interface VerifyOptions extends SecretOptions {
  body?: string;
  hash?: string;
  json?: boolean;
}
