/**
 * Resume tokens: a participant whose connection drops may come back as the same participant
 * (same peer id, and later the same queue place and vote) within a grace period.
 */
import { randomBytes } from 'node:crypto';

/** One participant's session in one room. */
export type Session = {
  token: string;
  roomId: string;
  peerId: string;
  /** Ends the current connection's hold on the session (a newer connection takes over). */
  release: (() => void) | null;
  graceTimer: NodeJS.Timeout | null;
};

/** The sessions of this process by resume token. */
export class Sessions {
  readonly #byToken = new Map<string, Session>();

  /** Starts a session for a new participant. */
  create(roomId: string, peerId: string): Session {
    const session: Session = { token: randomBytes(24).toString('base64url'), roomId, peerId, release: null, graceTimer: null };
    this.#byToken.set(session.token, session);
    return session;
  }

  /** The live session for a token in a room, if any; stops its grace countdown. */
  take(token: string, roomId: string): Session | undefined {
    const session = this.#byToken.get(token);
    if (!session || session.roomId !== roomId) return undefined;
    if (session.graceTimer) clearTimeout(session.graceTimer);
    session.graceTimer = null;
    return session;
  }

  /** The connection dropped: end the session after `ms` unless it is taken back. */
  startGrace(session: Session, ms: number, expire: () => void): void {
    session.release = null;
    if (session.graceTimer) clearTimeout(session.graceTimer);
    session.graceTimer = setTimeout(() => {
      this.#byToken.delete(session.token);
      expire();
    }, ms);
    session.graceTimer.unref();
  }

  /** Ends a session now. */
  end(session: Session): void {
    if (session.graceTimer) clearTimeout(session.graceTimer);
    this.#byToken.delete(session.token);
  }

  /** Ends every session's timer (server shutdown). */
  clear(): void {
    for (const s of this.#byToken.values()) if (s.graceTimer) clearTimeout(s.graceTimer);
    this.#byToken.clear();
  }
}
