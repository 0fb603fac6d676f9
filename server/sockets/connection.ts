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
const AUDIENCE_EVENTS: ReadonlySet<string> = new Set(['audience:join', 'audience:watch', 'audience:comments']);

/** Attaches the signaling to a Socket.IO server. */
export function attachSignaling(io: AppServer, deps: SignalingDeps): void {
  const idle = new IdleConnections(deps.joinTimeoutMs);
  io.on('connection', (socket) => {
    const ctx = new SocketContext(socket);
    // Lines about this connection say whose it is (its room and participant, once joined).
    const logger = connectionLogger(deps.logger, ctx);
    // NOTE: the meeting's ~60 handlers (a listener and a closure each, ~13 KB a socket) are
    // registered on a connection's first event that is not the audience's: a public viewer,
    // who may be one of thousands, never carries them unless it watches over WebRTC.
    let meetingHandlers = false;
    const budget = deps.limits.eventBudget();
    socket.use(([event, ...args], next) => {
      const callback = args.at(-1);
      try {
        budget.spend();
      } catch (error) {
        // NOTE: told to wait, the client went on and on: answering every request would let one
        // connection keep a core busy. It is dropped (an honest client never gets here).
        if (error instanceof FloodError) {
          // Requests already on their way land here too: one line, one disconnect.
          if (socket.connected) logger.warn('connection dropped: it kept sending after RATE_LIMITED', { address: clientAddress(socket, deps.trustProxy) });
          socket.disconnect(true);
          return;
        }
        if (typeof callback === 'function') callback(toFailure(String(event), error, logger));
        return;
      }
      // A viewer is no participant: whatever else it sends is refused before any handler.
      if (ctx.viewer && !VIEWER_EVENTS.has(String(event))) {
        if (typeof callback === 'function') callback(ack.fail('FORBIDDEN', 'a viewer may only watch'));
        return;
      }
      if (!meetingHandlers && !AUDIENCE_EVENTS.has(String(event))) {
        meetingHandlers = true;
        const connection: SignalingDeps = { ...deps, logger };
        registerRoomHandlers(ctx, connection);
        registerMediaHandlers(ctx, connection);
      }
      // An event nobody handles still gets an answer, so a client is never left waiting.
      if (socket.listenerCount(event) > 0) next();
      else if (typeof callback === 'function') callback(ack.fail('BAD_REQUEST', `no such event: ${String(event).slice(0, 64)}`));
    });
    // NOTE: the join page connects before its button is pressed, to save that round trip; a
    // page that waits longer reconnects when it joins. What never joins is not kept.
    idle.add(ctx);
    registerAudienceHandlers(ctx, deps, logger);
  });
}

/**
 * Connections that have not joined yet, closed once their time to join (joinTimeoutMs) is up.
 * NOTE: one timer for all of them, not one per connection: a crowd arriving would otherwise
 * hold thousands of timers (and their closures) for the whole timeout. A connection is closed
 * at most SWEEP_MS after its time is up.
 */
class IdleConnections {
  /** Connections in the order they came, with the time (performance.now()) they must have joined by. */
  readonly #pending: Array<{ ctx: SocketContext; by: number }> = [];
  #first = 0;
  readonly #timeoutMs: number;
  #timer: NodeJS.Timeout | null = null;

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
  }

  add(ctx: SocketContext): void {
    this.#pending.push({ ctx, by: performance.now() + this.#timeoutMs });
    if (this.#timer) return;
    this.#timer = setInterval(() => this.#sweep(), Math.min(SWEEP_MS, this.#timeoutMs));
    this.#timer.unref();
  }

  #sweep(): void {
    const now = performance.now();
    // Every connection has the same timeout: they are due in the order they came.
    while (this.#first < this.#pending.length) {
      const entry = this.#pending[this.#first];
      if (!entry || entry.by > now) break;
      this.#first += 1;
      const { ctx } = entry;
      if (ctx.socket.connected && ctx.membership === null && ctx.viewer === null && !ctx.joining) ctx.socket.disconnect(true);
    }
    if (this.#first === this.#pending.length) {
      this.#pending.length = 0;
      this.#first = 0;
      if (this.#timer) clearInterval(this.#timer);
      this.#timer = null;
    } else if (this.#first > 1024 && this.#first * 2 > this.#pending.length) {
      this.#pending.splice(0, this.#first);
      this.#first = 0;
    }
  }
}

/** How often connections past their time to join are looked for, at most. */
const SWEEP_MS = 250;
