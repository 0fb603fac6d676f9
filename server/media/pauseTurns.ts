/**
 * Brings a producer's or consumer's paused state (or a consumer's priority) to what is wanted,
 * one change at a time per producer or consumer.
 *
 * NOTE: mediasoup sets `paused` only once the worker has answered, so a change decided while
 * another is in flight reads the old flag and does nothing: a resume sent while a pause was in
 * flight left a tile frozen for good, and a floor revoked while the microphone's resume was in
 * flight left the microphone open. A consumer's priority has the same flag. Here the changes of
 * one producer or consumer take turns, and each compares with the flag when its turn comes, so
 * the last word wins.
 */

/** A mediasoup producer or consumer, as far as pausing goes. */
export type Pausable = {
  readonly closed: boolean;
  readonly paused: boolean;
  pause(): Promise<void>;
  resume(): Promise<void>;
};

/** Each producer's or consumer's latest change, which the next one waits for. */
const lastTurn = new WeakMap<object, Promise<void>>();

/** Runs `change` once every change of `target` asked for before it has settled; rejects as `change` does. */
export function inTurn(target: object, change: () => Promise<void>): Promise<void> {
  const turn = (lastTurn.get(target) ?? Promise.resolve()).then(change);
  // The next turn waits for this one to settle, whether it worked or not.
  lastTurn.set(
    target,
    turn.catch(() => undefined),
  );
  return turn;
}

/** Pauses or resumes `target` as `shouldPause()` says when its turn comes; rejects as mediasoup does. */
export function alignPaused(target: Pausable, shouldPause: () => boolean): Promise<void> {
  return inTurn(target, async () => {
    if (target.closed) return;
    const pause = shouldPause();
    if (pause && !target.paused) await target.pause();
    else if (!pause && target.paused) await target.resume();
  });
}
