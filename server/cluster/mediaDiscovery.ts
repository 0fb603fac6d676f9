/**
 * Finds the other processes with media for the same room and has MediaPipes join their routers
 * with this one's. A process that opens a room's media adds itself to the room's media set in
 * Redis and reads who else is there. Of each pair, the process with the smaller id makes the
 * link: it links at once when it is the one that opened later, and on the other's `hello` when
 * it was there first. Whichever order two processes open in, each pair is linked once.
 */
import { z } from 'zod';
import type { Logger } from '../log.js';
import type { MediaRoom } from '../media/MediaRoom.js';
import type { MediaRooms } from '../media/MediaRooms.js';
import type { Cluster } from './Cluster.js';
import { MediaPipes } from './MediaPipes.js';
import type { PipeBus } from './pipeBus.js';
import type { RtcListenOptions } from '../media/transports.js';

/** How often each room with media here looks again for other processes to link with. */
const REANNOUNCE_MS = 10_000;

const Hello = z.object({ type: z.literal('hello'), roomId: z.string().min(1).max(128) });

/** Joins this process's media rooms with the other processes' ones; answers how to stop. */
export function joinMediaAcrossProcesses(deps: {
  cluster: Cluster;
  media: MediaRooms;
  listen: RtcListenOptions;
  logger: Logger;
}): { pipes: MediaPipes; close(): void } {
  const { cluster, media, logger } = deps;
  const bus: PipeBus = {
    self: cluster.processId,
    send: (to, message) => cluster.send(to, 'pipe', message),
    onMessage: (handler) => cluster.onMessage('pipe', handler),
  };
  const pipes = new MediaPipes({ bus, rooms: media, listen: deps.listen, logger });

  const introduce = (roomId: string, other: string): void => {
    if (cluster.processId < other) pipes.link(roomId, other);
    else cluster.send(other, 'media', { type: 'hello', roomId });
  };
  const open = new Set<string>();
  const announce = (roomId: string): void => {
    cluster
      .mediaOpened(roomId)
      .then((others) => {
        for (const other of others) introduce(roomId, other);
      })
      .catch((error: unknown) => logger.warn('could not find the other processes with media of the room', { roomId }, error));
  };
  const onOpen = (room: MediaRoom): void => {
    open.add(room.id);
    announce(room.id);
  };
  // NOTE: messages between processes are at most once. A lost hello, offer or answer leaves a
  // pair unlinked; announcing again now and then links it (link() ignores links that exist).
  const again = setInterval(() => {
    for (const roomId of open) announce(roomId);
  }, REANNOUNCE_MS);
  again.unref();
  const onClose = (roomId: string): void => {
    open.delete(roomId);
    // MediaPipes has told the linked processes already; this only keeps newcomers from trying.
    cluster.mediaClosed(roomId).catch((error: unknown) => logger.debug('media set not updated', { roomId }, error));
  };
  const stopHello = cluster.onMessage('media', (from, message) => {
    const hello = Hello.safeParse(message);
    if (!hello.success) {
      logger.warn('dropped an unreadable media message', { from });
      return;
    }
    // Only rooms with media here; the sender linked to nobody, so the smaller id links now.
    const { roomId } = hello.data;
    if (cluster.processId >= from) return;
    media
      .find(roomId)
      .then((room) => {
        if (room && !room.closed) pipes.link(roomId, from);
      })
      .catch((error: unknown) => logger.warn(`no link to process ${from}`, { roomId, from }, error));
  });
  const onGone = (processId: string): void => pipes.processGone(processId);

  media.on('roomopen', onOpen);
  media.on('roomclose', onClose);
  cluster.on('processGone', onGone);
  return {
    pipes,
    close: () => {
      clearInterval(again);
      media.off('roomopen', onOpen);
      media.off('roomclose', onClose);
      cluster.off('processGone', onGone);
      stopHello();
      pipes.close();
    },
  };
}
