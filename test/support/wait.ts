/**
 * Polls `probe` until it returns something truthy and returns that, for work that finishes in the background (a mail
 * sent after the transaction commits, a listening source's worker storing posts, a job the worker runs). Fails naming
 * `what` once `timeoutMs` has passed: generous by default because the machine running the tests may be busy.
 */
export async function waitFor<T>(what: string, probe: () => T | null | undefined | false | Promise<T | null | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
