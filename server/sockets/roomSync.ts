/**
 * What a (re)joining or catching-up connection is sent of its room, by its participant's status.
 */
import { AppError, ForbiddenError } from '../../signaling/errors.js';
import type { RoomSync } from '../../signaling/protocol.js';
import type { RoomState } from '../../signaling/room/state.js';
import { accessOf, eventForViewer, lobbyView, stateForViewer, type Viewer } from '../../signaling/room/visibility.js';
import type { SignalingDeps } from './context.js';

/** A client further behind than this gets the whole state instead of the events. */
const MAX_CATCH_UP_EVENTS = 1000;

/** The room's state; NOT_FOUND when there is no such room. */
export async function requireState(deps: SignalingDeps, roomId: string): Promise<RoomState> {
  const state = await deps.rooms.state(roomId);
  if (!state) throw new AppError('NOT_FOUND', `no room ${roomId}`);
  return state;
}

/**
 * What a (re)joining or catching-up client may have, by its participant's status: the events
 * it missed (or the whole state it may see) when admitted, the lobby view while waiting,
 * nothing once turned away.
 */
export async function syncFor(deps: SignalingDeps, roomId: string, state: RoomState, viewer: Viewer, lastSeq?: number): Promise<RoomSync> {
  switch (accessOf(state, viewer.participantId)) {
    case 'none':
      throw new ForbiddenError('you are no longer in this meeting');
    case 'lobby':
      return { kind: 'lobby', state: lobbyView(state, viewer.participantId) };
    case 'full':
      break;
  }
  if (lastSeq !== undefined && lastSeq > 0 && lastSeq <= state.seq && state.seq - lastSeq <= MAX_CATCH_UP_EVENTS) {
    const events = await deps.rooms.eventsSince(roomId, lastSeq);
    return { kind: 'events', events: events.map((e) => eventForViewer(e, viewer)) };
  }
  return { kind: 'snapshot', state: stateForViewer(state, viewer) };
}
