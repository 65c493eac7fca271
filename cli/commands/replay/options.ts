// What `coreone-inspect replay` takes.
import type { DeliveryOptions } from '../send/options.js';

export interface ReplayOptions extends DeliveryOptions {
  keepHash?: boolean;
  edit?: boolean;
}
