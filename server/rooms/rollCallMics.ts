/**
 * Joins the roll call to the microphones this process receives (server/media/MicActivity):
 * every room with media here is followed, so its microphones are heard while a roll call
 * runs, and a microphone heard is recorded (`system:micHeard`) when it changes someone's
 * answer (signaling/room/rollCall.ts, wantsMicHeard). With several processes each hears its
 * own peers and appends to the shared log.
 */
import { wantsMicHeard } from '../../signaling/room/rollCall.js';
import type { Logger } from '../log.js';
import type { MediaRoom } from '../media/MediaRoom.js';
import type { MediaRooms } from '../media/MediaRooms.js';
import type { MicActivity } from '../media/MicActivity.js';
import type { RoomService } from './RoomService.js';

/** Starts following; answers the function that stops. */
export function hearRollCalls({
  media,
  rooms,
  mics,
  logger,
}: {
  media: Pick<MediaRooms, 'on' | 'off'>;
  rooms: Pick<RoomService, 'subscribe' | 'state' | 'execute'>;
  mics: MicActivity;
  logger: Logger;
}): () => void {
  const onOpen = (room: MediaRoom): void => {
    const roomId = room.id;
    rooms
      .subscribe(roomId, (_events, state) => mics.follow(roomId, state))
      .then(async (unsubscribe) => {
        if (room.closed) {
          unsubscribe();
          return;
        }
        room.once('close', () => {
          unsubscribe();
          mics.forget(roomId);
        });
        // A roll call may be running already when the room's first peer arrives here.
        const state = await rooms.state(roomId);
        if (state && !room.closed) mics.follow(roomId, state);
      })
      .catch((error: unknown) => logger.warn('the roll call cannot hear this room', { roomId }, error));
  };
  const onHeard = (roomId: string, participantId: string): void => {
    rooms
      .state(roomId)
      .then((state) => {
        if (state && wantsMicHeard(state, participantId)) {
          return rooms.execute(roomId, { type: 'system:micHeard', participantId }, { kind: 'system' });
        }
        return undefined;
      })
      .catch((error: unknown) => logger.warn('a microphone heard could not be recorded', { roomId, participantId }, error));
  };
  media.on('roomopen', onOpen);
  mics.on('heard', onHeard);
  return () => {
    media.off('roomopen', onOpen);
    mics.off('heard', onHeard);
    mics.close();
  };
}
