// The one owner of an ending: whoever asks first starts it, everyone awaits the same promise.
// Free of the `vscode` import so it is unit-tested in node.

/**
 * Returns a function that runs `stop`, then `release` once `stop` has settled, exactly once however often it is
 * called: what `stop` still uses (a log, event emitters) is released only after it.
 */
export function endOnce(stop: () => Promise<void>, release: () => void): () => Promise<void> {
  let ended: Promise<void> | undefined;
  return () => {
    ended ??= stop().finally(release);
    return ended;
  };
}
