/**
 * Socket.IO events for joining a room and exchanging media. Each handler parses its payload
 * (through `handle`), finds the caller's peer and calls the media room.
 */
import { randomUUID } from 'node:crypto';
import type { Server, Socket } from 'socket.io';
import { AppError, InvalidStateError } from '../../signaling/errors.js';
import { PROTOCOL_VERSION, type ClientToServerEvents, type ServerToClientEvents } from '../../signaling/protocol.js';
import * as S from '../../signaling/schemas.js';
import type { Logger } from '../log.js';
import type { MediaRoom } from '../media/MediaRoom.js';
import type { MediaRooms } from '../media/MediaRooms.js';
import type { Peer, PeerSink } from '../media/Peer.js';
import type { Session, Sessions } from './sessions.js';
import { AfterAck, handle } from './withAck.js';

/** What the media handlers need. */
export type MediaSignalingDeps = {
  rooms: MediaRooms;
  sessions: Sessions;
  resumeGraceMs: number;
  logger: Logger;
};

type AppServer = Server<ClientToServerEvents, ServerToClientEvents>;
type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

/** The room a socket has joined. */
type Membership = { room: MediaRoom; peer: Peer; session: Session };

/** Registers the media events on every new connection. */
export function attachMediaSignaling(io: AppServer, deps: MediaSignalingDeps): void {
  io.on('connection', (socket) => registerSocket(socket, deps));
}

function registerSocket(socket: AppSocket, deps: MediaSignalingDeps): void {
  const { rooms, sessions, logger } = deps;
  let membership: Membership | null = null;
  let joining = false;

  const sink: PeerSink = (event, ...args) => {
    socket.emit(event, ...args);
  };

  const joined = (): Membership => {
    if (!membership) throw new AppError('NOT_JOINED', 'join a room first');
    return membership;
  };

  const drop = (m: Membership): void => {
    if (membership === m) membership = null;
  };

  handle(
    socket,
    'room:join',
    S.JoinRoom,
    async (req) => {
      if (req.protocolVersion !== PROTOCOL_VERSION) {
        throw new AppError('UNSUPPORTED_PROTOCOL', `server speaks protocol ${PROTOCOL_VERSION}`);
      }
      if (joining) throw new InvalidStateError('a join is already in progress');
      const resuming = req.resumeToken === undefined ? undefined : sessions.take(req.resumeToken, req.roomId);
      // Rejoining on the same socket is how a client recovers its media (worker restart).
      if (membership && membership.session !== resuming) {
        throw new AppError('ALREADY_JOINED', `already in room ${membership.room.id}`);
      }
      joining = true;
      try {
        const session = resuming ?? sessions.create(req.roomId, randomUUID());
        // A newer connection takes the session over from an older one not yet gone.
        if (session.release && membership?.session !== session) session.release();
        const room = await rooms.get(req.roomId);
        const result = await room.join(session.peerId, req.displayName, req.rtpCapabilities, sink);
        const m: Membership = { room, peer: result.peer, session };
        membership = m;
        session.release = () => {
          drop(m);
          socket.disconnect(true);
        };
        if (socket.disconnected) {
          // The connection went away while the join was in flight.
          onDisconnect();
          throw new InvalidStateError('disconnected during join');
        }
        return new AfterAck(
          {
            peerId: result.peer.id,
            resumeToken: session.token,
            resumed: result.resumed,
            routerRtpCapabilities: room.router.rtpCapabilities,
            sendTransport: result.sendTransport,
            recvTransport: result.recvTransport,
            peers: result.peers,
          },
          // NOTE: consumers are pushed only after the ack, when the client has its transports.
          () => room.startConsuming(result.peer),
        );
      } finally {
        joining = false;
      }
    },
    logger,
  );

  handle(
    socket,
    'room:leave',
    S.Empty,
    () => {
      const m = joined();
      drop(m);
      sessions.end(m.session);
      m.room.leave(m.peer);
      return null;
    },
    logger,
  );

  handle(
    socket,
    'transport:connect',
    S.ConnectTransport,
    async (req) => {
      const { room, peer } = joined();
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
      const { room, peer } = joined();
      return { iceParameters: await room.restartIce(peer, req.transportId) };
    },
    logger,
  );

  handle(
    socket,
    'media:produce',
    S.Produce,
    async (req) => {
      const { room, peer } = joined();
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
        const { room, peer } = joined();
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
        const { room, peer } = joined();
        await room.controlConsumer(peer, req.consumerId, action);
        return null;
      },
      logger,
    );
  }

  handle(
    socket,
    'consumer:setLayers',
    S.SetConsumerLayers,
    async (req) => {
      const { room, peer } = joined();
      await room.setConsumerLayers(peer, req.consumerId, req.spatialLayer, req.temporalLayer);
      return null;
    },
    logger,
  );

  function onDisconnect(): void {
    const m = membership;
    if (!m) return;
    membership = null;
    m.room.disconnect(m.peer);
    sessions.startGrace(m.session, deps.resumeGraceMs, () => m.room.leave(m.peer));
  }
  socket.on('disconnect', onDisconnect);
}
