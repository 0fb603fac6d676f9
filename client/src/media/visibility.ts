/**
 * Which received tracks are worth forwarding: video nobody can see (its tile scrolled out of
 * view) is paused on the server and resumed when the tile comes back. Audio is never paused:
 * people listen to everybody, seen or not. The floor holder's camera is never paused either,
 * because the stage shows it even when its gallery tile is off-screen.
 */
import { cameraConsumerOf, floorView } from '../roomSelectors.js';
import type { State } from '../store.js';

/** What the decision needs to know of a consumer. */
export type ConsumerKind = { id: string; kind: 'audio' | 'video' };

/**
 * The consumers to keep paused: video whose tile reported itself off-screen, unless it is
 * shown on the stage. A consumer without a report (no tile yet) counts as visible.
 */
export function consumersToPause(
  consumers: Iterable<ConsumerKind>,
  offscreen: ReadonlySet<string>,
  onStage: ReadonlySet<string>,
): Set<string> {
  const out = new Set<string>();
  for (const c of consumers) {
    if (c.kind === 'video' && offscreen.has(c.id) && !onStage.has(c.id)) out.add(c.id);
  }
  return out;
}

/** Consumers shown on the stage: the floor holder's camera and any screen share. */
export function stageConsumers(state: State): Set<string> {
  const out = new Set<string>();
  const floor = state.room?.floor;
  if (floor != null) {
    const { cameraOf } = floorView(state, floor.holder);
    const id = cameraOf === null ? null : cameraConsumerOf(state, cameraOf);
    if (id !== null) out.add(id);
  }
  for (const c of Object.values(state.consumers)) if (c.source === 'screen' && c.kind === 'video') out.add(c.id);
  return out;
}

/** What to ask the server: pause what should be paused and is not, resume the reverse. */
export function pauseChanges(paused: ReadonlySet<string>, wanted: ReadonlySet<string>): { pause: string[]; resume: string[] } {
  return {
    pause: [...wanted].filter((id) => !paused.has(id)),
    resume: [...paused].filter((id) => !wanted.has(id)),
  };
}
