/** The Socket.IO client socket typed with the protocol's event maps (signaling/protocol.ts). */
import type { Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../signaling/protocol.js';

/** The socket with the protocol's event maps. */
export type ProtocolSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
