// The tunnel's command-line options, shared by every command that opens a tunnel.
// Both values are checked here, before anything asks a server, so a typo costs one clear
// sentence instead of a tunnel that retries forever.
import { type Command, InvalidArgumentError, Option } from 'commander';
import { UsageError } from '../errors.js';
import { DEFAULT_TUNNEL_HOST } from '../../server/defaults.js';
import { parseHttpUrl } from './parsers.js';

export interface TunnelCliOptions {
  /** false under --no-tunnel. */
  tunnel: boolean;
  /** An origin such as `https://localtunnel.me`, without a trailing slash. */
  tunnelHost: string;
  subdomain?: string;
  /** A URL the user's own tunnel or proxy forwards to the listener; no localtunnel is started. */
  publicUrl?: string;
}

export function addTunnelOptions(cmd: Command): Command {
  return cmd
    .option('--no-tunnel', 'local only: no public URL')
    .option('--tunnel-host <url>', 'a self-hosted localtunnel server instead of the public one', parseTunnelHost, DEFAULT_TUNNEL_HOST)
    .option('--subdomain <name>', 'ask the tunnel server for this subdomain (4-63 of a-z, 0-9, -)', parseSubdomain)
    .addOption(
      // The three others configure the localtunnel this option replaces; commander counts
      // only options given on the command line, not defaults, as conflicting.
      new Option('--public-url <url>', 'the URL your own tunnel or proxy (ngrok, cloudflared...) forwards to the listener; no localtunnel is started')
        .argParser(parseHttpUrl)
        .conflicts(['tunnel', 'tunnelHost', 'subdomain']),
    );
}

/** The client appends `/<subdomain>` to this, so only a bare http(s) origin works. */
export function parseTunnelHost(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--tunnel-host "${value}" is not a URL; give one like https://tunnel.example.com.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--tunnel-host "${value}" must be an http:// or https:// URL.`);
  }
  if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
    throw new UsageError(`--tunnel-host "${value}" must be just a server address, like ${url.origin}, without a path, query or credentials.`);
  }
  return url.origin;
}

/** A DNS label the localtunnel server accepts: 4-63 of [a-z0-9-], not starting or ending with `-`. */
export function parseSubdomain(value: string): string {
  if (!/^[a-z0-9-]{4,63}$/.test(value)) {
    throw new InvalidArgumentError('A subdomain is 4 to 63 characters of a-z, 0-9 and -.');
  }
  if (value.startsWith('-') || value.endsWith('-')) {
    throw new InvalidArgumentError('A subdomain cannot start or end with -.');
  }
  return value;
}
