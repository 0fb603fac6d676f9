/**
 * Socket.IO events for media: transports for admitted participants, producing, consuming.
 * Each handler parses its payload (through `handle`), finds the caller's peer and calls the
 * media room; the room state decides who may publish and be heard.
 */
import { AppError, ForbiddenError, InvalidStateError, NotFoundError } from '../../signaling/errors.js';
import type { MediaJoined } from '../../signaling/protocol.js';
import { mayPublishVideo } from '../../signaling/room/selectors.js';
import type { Role } from '../../signaling/room/state.js';
import type { RtpCapabilities } from '../../signaling/schemas.js';
import * as S from '../../signaling/schemas.js';
import { enforceMediaPolicy } from '../media/mediaPolicy.js';
import type { MediaRoom } from '../media/MediaRoom.js';
import type { Peer, PeerSink } from '../media/Peer.js';
import { withRelays } from '../media/turnCredentials.js';
import type { Membership, SignalingDeps, SocketContext } from './context.js';
import { viewerMedia } from './audience/audienceHandlers.js';
import { AfterAck, handle } from './withAck.js';

/**
 * Media transports for the socket's participant, who must be admitted, with consumers of every
 * track already in the room. Until `afterAck` runs, the peer's notifications are held: the
 * answer carries those consumers, and what happens to them (closed, paused) must come after it.
 * Call `afterAck` once the answer has gone out, or the join has failed.
 */
export async function joinMedia(
  ctx: SocketContext,
  deps: SignalingDeps,
  rtpCapabilities: RtpCapabilities,
): Promise<{ joined: MediaJoined; afterAck: () => void }> {
  const m = ctx.member();
  const state = await deps.rooms.state(m.roomId);
  const me = state?.participants[m.participantId];
  if (!state || !me || me.status !== 'admitted') throw new ForbiddenError('only admitted participants get media');
  if (state.ended) throw new InvalidStateError('the meeting has ended: the room is open for the minutes only', 'MEETING_ENDED');
  // A resume replaces the peer's transports: it needs no more room than it had.
  const existing = await deps.media.find(m.roomId);
  if (!existing?.peer(m.participantId)) requireMediaCapacity(deps, me.role);
  const held = heldSink(ctx);
  const room = await deps.media.get(m.roomId);
  try {
    const result = await room.join(m.participantId, me.name, rtpCapabilities, held.sink, {
      canSend: mayPublishVideo(state, m.participantId),
    });
    // NOTE: the consumers are made now, as soon as the receiving transport exists, and go in
    // the answer: the browser sets them all up in one offer/answer round instead of one per
    // track, and need not wait for anything sent after the answer. Before the media policy,
    // which gives those of the floor holder their priority.
    const consumers = await room.startConsuming(result.peer);
    // The policy decides before the first packet whether this peer's microphone may be heard.
    await enforceMediaPolicy(room, state, deps.logger);
    return {
      joined: {
        routerRtpCapabilities: room.router.rtpCapabilities,
        sendTransport: result.sendTransport && withRelays(result.sendTransport, deps.relays, m.participantId),
        recvTransport: withRelays(result.recvTransport, deps.relays, m.participantId),
        peers: result.peers,
        consumers,
      },
      afterAck: held.open,
    };
  } catch (error) {
    held.open();
    throw error;
  }
}

/**
 * A peer's notifications to this socket, held (in order) until `open`, then sent as they come.
 * Nothing is held once the socket is gone: the peer is detached then.
 */
function heldSink(ctx: SocketContext): { sink: PeerSink; open: () => void } {
  let held: Array<() => void> | null = [];
  const sink: PeerSink = (event, ...args) => {
    if (held === null) ctx.socket.emit(event, ...args);
    else if (ctx.socket.connected) held.push(() => ctx.socket.emit(event, ...args));
  };
  const open = (): void => {
    const queued = held ?? [];
    held = null;
    for (const send of queued) send();
  };
  return { sink, open };
}

/**
 * Refuses with CAPACITY when this process has no room for one more peer of `role`: any room
 * can place a peer on any worker (RoomRouters), so the least-loaded worker decides.
 */
export function requireMediaCapacity(deps: SignalingDeps, role: Role): void {
  // The public only watches: a receiving transport; everybody else one each way (see mayPublishVideo).
  const transports = role === 'public' ? 1 : 2;
  if (!deps.media.hasCapacity(transports)) {
    throw new AppError('CAPACITY', 'the media server is full; try again later');
  }
}

/** Closes the participant's media for good. */
export async function leaveMedia(deps: SignalingDeps, m: Membership): Promise<void> {
  const room = await deps.media.find(m.roomId);
  const peer = room?.peer(m.participantId);
  if (room && peer) room.leave(peer);
}

/** The connection dropped: close the media now, keep the peer for a resume. */
export function disconnectMedia(deps: SignalingDeps, m: Membership): void {
  deps.media.find(m.roomId).then(
    (room) => {
      const peer = room?.peer(m.participantId);
      if (room && peer) room.disconnect(peer);
    },
    (error: unknown) => deps.logger.warn('media room lookup failed', error),
  );
}

/** Registers the media events on one connection. */
export function registerMediaHandlers(ctx: SocketContext, deps: SignalingDeps): void {
  const { socket } = ctx;
  const { logger } = deps;

  const myPeer = async (): Promise<{ room: MediaRoom; peer: Peer }> => {
    const m = ctx.member();
    const room = await deps.media.find(m.roomId);
    const peer = room?.peer(m.participantId);
    if (!room || !peer || !peer.connected) throw new NotFoundError('no media yet: call media:join');
    return { room, peer };
  };

  handle(
    socket,
    'media:join',
    S.JoinMedia,
    async (req) => {
      const { joined, afterAck } = await joinMedia(ctx, deps, req.rtpCapabilities);
      return new AfterAck(joined, afterAck);
    },
    logger,
  );

  handle(
    socket,
    'transport:connect',
    S.ConnectTransport,
    async (req) => {
      // A viewer's transport is its program's (audience/), not a peer's.
      if (ctx.viewer) {
        await viewerMedia(ctx).connect(req.transportId, req.dtlsParameters);
        return null;
      }
      const { room, peer } = await myPeer();
      await room.connectTransport(peer, req.transportId, req.dtlsParameters);
      return null;
    },
    logger,
  );

  handle(
    socket,
    'transport:restartIce',
    S.RestartIce,
    async (req) => {
      const { room, peer } = await myPeer();
      const iceParameters = await room.restartIce(peer, req.transportId);
      // NOTE: the relay credentials handed at join may have expired since (a long meeting):
      // a restart after a failure gets fresh ones, or the relay would refuse the new attempt.
      const iceServers = deps.relays(peer.id);
      return iceServers === undefined ? { iceParameters } : { iceParameters, iceServers };
    },
    logger,
  );

  handle(
    socket,
    'media:produce',
    S.Produce,
    async (req) => {
      const m = ctx.member();
      const state = await deps.rooms.state(m.roomId);
      if (!state || !mayPublishVideo(state, m.participantId)) throw new ForbiddenError('you may not publish media');
      const { room, peer } = await myPeer();
      const producer = await room.produce(peer, req);
      return { producerId: producer.id };
    },
    logger,
  );

  for (const action of ['pause', 'resume', 'close'] as const) {
    handle(
      socket,
      `producer:${action}`,
      S.ProducerRef,
      async (req) => {
        const { room, peer } = await myPeer();
        await room.controlProducer(peer, req.producerId, action);
        return null;
      },
      logger,
    );
  }

  for (const action of ['pause', 'resume'] as const) {
    handle(
      socket,
      `consumer:${action}`,
      S.ConsumerRef,
      async (req) => {
        if (ctx.viewer && action === 'resume') {
          await viewerMedia(ctx).resume(req.consumerId);
          return null;
        }
        const { room, peer } = await myPeer();
        await room.controlConsumer(peer, req.consumerId, action);
        return null;
      },
      logger,
    );
  }

  handle(
    socket,
    'media:audioOnly',
    S.SetAudioOnly,
    async (req) => {
      const { room, peer } = await myPeer();
      await room.setAudioOnly(peer, req.on);
      return null;
    },
    logger,
  );

  handle(
    socket,
    'consumer:setLayers',
    S.SetConsumerLayers,
    async (req) => {
      const { room, peer } = await myPeer();
      await room.setConsumerLayers(peer, req.consumerId, req.spatialLayer, req.temporalLayer);
      return null;
    },
    logger,
  );
}
