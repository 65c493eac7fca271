// Defaults that `--help` shows and the server falls back to. This module imports nothing,
// so the CLI can name them without loading the server.

/** How long a delivery may take, connection to last byte of the reply, unless told otherwise. */
export const DEFAULT_TIMEOUT_MS = 10_000;

/** How many past events are replayed to a new client unless --history says otherwise. */
export const DEFAULT_HISTORY_LIMIT = 1000;

/** The public localtunnel server, used unless --tunnel-host names another. */
export const DEFAULT_TUNNEL_HOST = 'https://localtunnel.me';

/**
 * The most events a client's view (the TUI, the web page) holds. The event log remembers
 * where each of that many recent events is, beyond the history it replays, so a view that
 * let a body go can ask for it again, and save or replay any event it shows.
 */
export const VIEW_EVENT_LIMIT = 20_000;
