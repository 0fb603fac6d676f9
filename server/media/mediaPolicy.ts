/**
 * Floor → media policy, driven by the room log. Whoever may not be heard (not on the floor
 * under floor-only speaking, muted by the host) has their microphone paused on the server, so
 * a modified client cannot keep talking; whoever gets the floor is unmuted (unless they muted
 * themselves) and spotlit: their consumers get top priority, and their camera the top
 * simulcast layer on every page.
 */
import { mayBeHeard, holdsFloor } from '../../signaling/room/selectors.js';
import type { RoomState } from '../../signaling/room/state.js';
import type { Logger } from '../log.js';
import type { MediaRoom } from './MediaRoom.js';
import type { Peer } from './Peer.js';
import { alignPaused, inTurn } from './pauseTurns.js';
import { producerShouldPause } from './stageLayers.js';

/** Consumer priorities: the floor's streams win bandwidth when it is short. */
const SPOTLIGHT_PRIORITY = 255;
const NORMAL_PRIORITY = 1;

/** Brings every peer's producers and consumers in line with the room state. */
export async function enforceMediaPolicy(room: MediaRoom, state: RoomState, logger: Logger): Promise<void> {
  const peers = room.peers();
  const spotlit = new Set(peers.filter((p) => holdsFloor(state, p.id)).map((p) => p.id));
  // The floor holders' cameras go to the top layer for everybody (see MediaRoom.setStage); a
  // holder may send from another process, so the holders come from the state, not the peers.
  const holders = new Set(Object.keys(state.participants).filter((id) => holdsFloor(state, id)));
  const tasks: Array<Promise<void>> = [room.setStage(holders)];
  for (const peer of peers) {
    tasks.push(alignMicrophones(peer, mayBeHeard(state, peer.id)));
    for (const consumer of peer.consumers.values()) {
      const priority = spotlit.has(consumer.appData.peerId) ? SPOTLIGHT_PRIORITY : NORMAL_PRIORITY;
      // In turn with the consumer's other changes: mediasoup updates `priority` only once the worker answers (pauseTurns.ts).
      tasks.push(
        inTurn(consumer, async () => {
          if (consumer.priority !== priority && !consumer.closed) await consumer.setPriority(priority);
        }),
      );
    }
  }
  const results = await Promise.allSettled(tasks);
  for (const r of results) {
    // A producer or consumer that closed meanwhile is expected; anything else is worth a line.
    if (r.status === 'rejected') logger.debug('media policy step skipped', r.reason);
  }
}

/** Pauses or resumes a peer's microphones to match the policy and the peer's own mute. */
async function alignMicrophones(peer: Peer, allowed: boolean): Promise<void> {
  peer.audioAllowed = allowed;
  for (const producer of peer.producers.values()) {
    if (producer.kind !== 'audio' || producer.closed) continue;
    await alignPaused(producer, () => producerShouldPause(peer, producer));
  }
}
