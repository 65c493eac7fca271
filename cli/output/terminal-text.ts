// The one sanitizer for text that came from a sender (types, paths, header values,
// bodies, error messages) on its way to a terminal, shared by the plain printer, the
// commands and the TUI: a control character written raw could drive the terminal (an
// OSC 52 in a body writes to the user's clipboard, ESC [2J clears the screen), so each is
// shown instead as a `\xNN` escape. Escapes rather than Unicode control pictures (␛):
// they name the exact byte for C1 as well as C0 (pictures stop at U+2421, leaving C1 to an
// anonymous U+FFFD), they are plain ASCII any font and any log shows, and they read the
// way the user would write the byte back (printf, curl --data $'...'). Tab and line feed
// are layout, not commands, and pass; the TUI expands tabs itself (cli/ui/view/text.ts).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export function safeText(text: string): string {
  return text.replace(CONTROL, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

const KiB = 1024;
const MiB = 1024 * KiB;

/**
 * Binary units, as --max-body's default is documented (5 MiB). One decimal under 10,
 * none from there (as `ls -h` does): three significant digits at most, so the TUI's size
 * column stays narrow ("3.4 KiB", "40 KiB", "1023 KiB").
 */
export function formatBytes(bytes: number): string {
  if (bytes < KiB) return `${bytes} B`;
  // MiB from where KiB would round to 1024.
  const [value, unit] = bytes < MiB - KiB / 2 ? [bytes / KiB, 'KiB'] : [bytes / MiB, 'MiB'];
  return `${value < 9.95 ? value.toFixed(1) : Math.round(value)} ${unit}`;
}
