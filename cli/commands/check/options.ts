// What `coreone-inspect check` takes.
import type { SecretOptions } from '../../options/secret.js';

export interface CheckOptions extends SecretOptions {
  to: string;
  json?: boolean;
  timeout: number;
  cases?: string[];
}
