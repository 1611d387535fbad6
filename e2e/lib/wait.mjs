// Waiting on conditions with a deadline: the only way the e2e suite waits (never a bare sleep).

/**
 * Polls `probe` until it returns a truthy value, then returns that value.
 * Throws after `timeout` ms with `message` and the last value or error seen, so a failure says
 * what was expected and what was there instead. An error with `fatal: true` ends the wait at once.
 * @template T
 * @param {() => T | Promise<T>} probe
 * @param {{ timeout?: number, interval?: number, message?: string }} [options]
 * @returns {Promise<NonNullable<T>>}
 */
export async function waitFor(probe, { timeout = 10_000, interval = 100, message = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  let lastError;
  for (;;) {
    try {
      last = await probe();
      lastError = undefined;
      if (last) return last;
    } catch (/** @type {any} */ error) {
      if (error?.fatal) throw error;
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const seen = lastError ? `last error: ${lastError.message ?? lastError}` : `last value: ${JSON.stringify(last)}`;
      throw new Error(`Timed out after ${timeout} ms waiting for ${message} (${seen})`);
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

/** Resolves when `child` exits, or returns false after `timeout` ms. */
export function waitForExit(child, timeout) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeout);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
