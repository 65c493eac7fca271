// What `coreone-inspect verify` takes.
import type { SecretOptions } from '../../options/secret.js';

export interface VerifyOptions extends SecretOptions {
  body?: string;
  hash?: string;
  /** The hash the user's own handler computed for the body (the receiving side). */
  computed?: string;
  json?: boolean;
}
