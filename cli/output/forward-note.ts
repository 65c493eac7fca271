// What `--no-ui` and the TUI say when the app behind --forward-to answered 4xx to an event
// whose signature is valid: the bug is in the app's verification, and `check` finds it.

export function rejectedValidNote(url: string): string {
  return `your app rejected a correctly signed event: run coreone-inspect check --to ${url} to see why`;
}
