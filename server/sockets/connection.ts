/**
 * Every new Socket.IO connection gets its context and the room and media handlers.
 */
import type { AppServer, SignalingDeps } from './context.js';
import { SocketContext } from './context.js';
import { registerMediaHandlers } from './mediaHandlers.js';
import { registerRoomHandlers } from './roomHandlers.js';

/** Attaches the signaling to a Socket.IO server. */
export function attachSignaling(io: AppServer, deps: SignalingDeps): void {
  io.on('connection', (socket) => {
    const ctx = new SocketContext(socket);
    registerRoomHandlers(ctx, deps);
    registerMediaHandlers(ctx, deps);
  });
}
