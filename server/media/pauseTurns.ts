/**
 * Brings a producer's or consumer's paused state to what is wanted, one change at a time per
 * producer or consumer.
 *
 * NOTE: mediasoup sets `paused` only once the worker has answered, so a change decided while
 * another is in flight reads the old flag and does nothing: a resume sent while a pause was in
 * flight left a tile frozen for good, and a floor revoked while the microphone's resume was in
 * flight left the microphone open. Here the changes of one producer or consumer take turns, and
 * each reads what is wanted when its turn comes, so the last word wins.
 */

/** A mediasoup producer or consumer, as far as pausing goes. */
export type Pausable = {
  readonly closed: boolean;
  readonly paused: boolean;
  pause(): Promise<void>;
  resume(): Promise<void>;
};

/** Each producer's or consumer's latest change, which the next one waits for. */
const lastTurn = new WeakMap<Pausable, Promise<void>>();

/** Pauses or resumes `target` as `shouldPause()` says when its turn comes; rejects as mediasoup does. */
export function alignPaused(target: Pausable, shouldPause: () => boolean): Promise<void> {
  const turn = (lastTurn.get(target) ?? Promise.resolve()).then(async () => {
    if (target.closed) return;
    const pause = shouldPause();
    if (pause && !target.paused) await target.pause();
    else if (!pause && target.paused) await target.resume();
  });
  // The next turn waits for this one to settle, whether it worked or not.
  lastTurn.set(
    target,
    turn.catch(() => undefined),
  );
  return turn;
}
