// What `coreone-inspect [listen]` takes: its options as commander parses them.
import type { SecretOptions } from '../../options/secret.js';
import type { TunnelCliOptions } from '../../options/tunnel.js';

export const DEFAULT_MAX_BODY = 5 * 1024 * 1024;

export interface ListenOptions extends TunnelCliOptions, SecretOptions {
  port: number;
  host: string;
  inspectPort: number;
  forwardTo?: string;
  forwardTimeout: number;
  fixturesDir: string;
  saveAll?: boolean;
  log: string;
  history: number;
  respond: number;
  maxBody: number;
  requestTimeout: number;
  json?: boolean;
  ui: boolean;
  open?: boolean;
}
