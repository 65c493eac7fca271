// Wait for a condition instead of sleeping a fixed time.
export async function waitFor<T>(
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  {
    timeoutMs = 10_000,
    intervalMs = 10,
    what = 'the condition',
  }: {
    timeoutMs?: number;
    intervalMs?: number;
    /** What is awaited, for the timeout's message; a function is asked only then. */
    what?: string | (() => string);
  } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}.`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
