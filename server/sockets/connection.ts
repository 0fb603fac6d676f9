/**
 * Every new Socket.IO connection gets its context and the room and media handlers, behind the
 * connection's limits: a budget of events per socket (anything beyond it is answered
 * RATE_LIMITED without reaching a handler), and a few seconds to join a room before the
 * connection is closed.
 */
import { ack } from '../../signaling/protocol.js';
import { FloodError } from '../limits/Limits.js';
import type { AppServer } from './channels.js';
import { clientAddress, SocketContext, type SignalingDeps } from './context.js';
import { connectionLogger } from './connectionLogger.js';
import { registerAudienceHandlers, VIEWER_EVENTS } from './audience/audienceHandlers.js';
import { registerMediaHandlers } from './mediaHandlers.js';
import { registerRoomHandlers } from './roomHandlers.js';
import { toFailure } from './withAck.js';

/** The events a public viewer sends before (or instead of) any media: no meeting handler needed. */
const AUDIENCE_EVENTS: ReadonlySet<string> = new Set(['audience:join', 'audience:watch']);

/** Attaches the signaling to a Socket.IO server. */
export function attachSignaling(io: AppServer, deps: SignalingDeps): void {
  io.on('connection', (socket) => {
    const ctx = new SocketContext(socket);
    // Lines about this connection say whose it is (its room and participant, once joined).
    const logger = connectionLogger(deps.logger, ctx);
    const connection: SignalingDeps = { ...deps, logger };
    // NOTE: the meeting's ~60 handlers (a listener and a closure each, ~13 KB a socket) are
    // registered on a connection's first event that is not the audience's: a public viewer,
    // who may be one of thousands, never carries them unless it watches over WebRTC.
    let meetingHandlers = false;
    socket.use(([event, ...args], next) => {
      const callback = args.at(-1);
      deps.limits.socketEvent(socket.id).then(
        () => {
          // A viewer is no participant: whatever else it sends is refused before any handler.
          if (ctx.viewer && !VIEWER_EVENTS.has(String(event))) {
            if (typeof callback === 'function') callback(ack.fail('FORBIDDEN', 'a viewer may only watch'));
          } else {
            if (!meetingHandlers && !AUDIENCE_EVENTS.has(String(event))) {
              meetingHandlers = true;
              registerRoomHandlers(ctx, connection);
              registerMediaHandlers(ctx, connection);
            }
            // An event nobody handles still gets an answer, so a client is never left waiting.
            if (socket.listenerCount(event) > 0) next();
            else if (typeof callback === 'function') callback(ack.fail('BAD_REQUEST', `no such event: ${String(event).slice(0, 64)}`));
          }
        },
        (error: unknown) => {
          // NOTE: told to wait, the client went on and on: answering every request would let one
          // connection keep a core busy. It is dropped (an honest client never gets here).
          if (error instanceof FloodError) {
            // Requests already on their way land here too: one line, one disconnect.
            if (socket.connected) logger.warn('connection dropped: it kept sending after RATE_LIMITED', { address: clientAddress(socket, deps.trustProxy) });
            socket.disconnect(true);
            return;
          }
          if (typeof callback === 'function') callback(toFailure(String(event), error, logger));
        },
      );
    });
    // NOTE: the join page connects before its button is pressed, to save that round trip; a
    // page that waits longer reconnects when it joins. What never joins is not kept.
    const idle = setTimeout(() => {
      if (ctx.membership === null && ctx.viewer === null && !ctx.joining) socket.disconnect(true);
    }, deps.joinTimeoutMs);
    idle.unref();
    socket.once('disconnect', () => clearTimeout(idle));
    registerAudienceHandlers(ctx, connection);
  });
}
