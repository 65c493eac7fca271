// What `coreone-inspect send` takes (and, for delivery, `replay` too).
import type { SecretOptions } from '../../options/secret.js';

export interface DeliveryOptions extends SecretOptions {
  to: string;
  unsigned?: boolean;
  timeout: number;
}

export interface SendOptions extends DeliveryOptions {
  data?: string;
}
