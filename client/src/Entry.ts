/**
 * Getting into the room and staying in: `room:join` with the invite (and, after a dropped
 * connection or a reload, the resume token and last seq), the lobby, `media:join` once
 * admitted, and retries. Part of RoomClient's side effects, kept apart to stay readable.
 */
import { PROTOCOL_VERSION, type Joined } from '../../signaling/protocol.js';
import { ClientError, errorCodeOf, type ClientErrorCode } from './errors.js';
import type { MediaSession } from './media/MediaSession.js';
import { toWireCapabilities } from './media/wire.js';
import type { ProtocolSocket, Signaling } from './net/Signaling.js';
import { clockOffset } from './room/countdown.js';
import type { RoomReplica } from './room/RoomReplica.js';
import type { SessionStore } from './session.js';
import type { Action, ExitReason, State } from './store.js';

/** Errors after which trying the same rejoin again a little later can succeed. */
export const RETRYABLE: ReadonlySet<ClientErrorCode> = new Set(['TIMEOUT', 'INTERNAL', 'DISCONNECTED', 'MEDIA', 'CONFLICT', 'UNAVAILABLE']);
const REJOIN_RETRY_MS = 2_000;
const CONNECT_TIMEOUT_MS = 10_000;
/**
 * A join the server asks to repeat shortly (RATE_LIMITED: a hall full of people scanning the
 * same code at once) is repeated by itself, this many times, when the wait is this short.
 */
const JOIN_RETRIES = 3;
const JOIN_RETRY_MAX_WAIT_MS = 5_000;

/** What Entry needs from RoomClient. */
export type EntryDeps = {
  socket: ProtocolSocket;
  signaling: Signaling;
  media: MediaSession;
  replica: RoomReplica;
  dispatch(action: Action): void;
  state(): State;
  run(task: Promise<unknown>): void;
  invite(): string | null;
  session(): SessionStore | null;
  exit(reason: ExitReason): void;
  teardown(error?: ClientErrorCode): void;
};

/** One participant's way into the room. */
export class Entry {
  readonly #deps: EntryDeps;
  #me: string | null = null;
  #resumeToken: string | null = null;
  #entering = false;
  #mediaJoining = false;
  #retryTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(deps: EntryDeps) {
    this.#deps = deps;
  }

  /** My participant id once the room answered. */
  get me(): string | null {
    return this.#me;
  }

  /** The token that brings this participant back. */
  get resumeToken(): string | null {
    return this.#resumeToken;
  }

  /** A room:join is in flight. */
  get entering(): boolean {
    return this.#entering;
  }

  /** First join from the join page. */
  async join(): Promise<void> {
    const { socket, media, signaling, session, dispatch } = this.#deps;
    try {
      if (!socket.active) socket.connect();
      await Promise.all([media.loadDevice(), this.#connected()]);
      await this.#enterPatiently();
    } catch (error) {
      console.error('join failed', error);
      media.closeTransports();
      if (this.#resumeToken !== null && socket.connected) {
        // The server took us in before something on our side failed: let it go of us, so the
        // next attempt on this socket is not ALREADY_JOINED.
        this.#resumeToken = null;
        await signaling.leave().catch((leaveError: unknown) => console.warn('room:leave failed', leaveError));
      }
      const code = errorCodeOf(error);
      // NOTE: the session is kept after FORBIDDEN: it is what makes the room recognise a removed
      // participant; without it the same invite would simply knock at the lobby again.
      if (code === 'MEETING_ENDED') session()?.clear();
      dispatch({ type: 'joinFailed', error: code });
    }
  }

  /** The socket came back: resume as the same participant and catch up. */
  async rejoin(): Promise<void> {
    if (this.#entering) return;
    this.clearRetry();
    try {
      await this.#enter();
    } catch (error) {
      const code = errorCodeOf(error);
      console.error('rejoin failed', error);
      const { socket, dispatch, run, exit, session, teardown } = this.#deps;
      if (code === 'ALREADY_JOINED') {
        // The server still holds this socket as someone: cycle it, 'connect' rejoins.
        dispatch({ type: 'connectionLost' });
        socket.disconnect().connect();
      } else if (RETRYABLE.has(code)) {
        this.#retryTimer = setTimeout(() => {
          this.#retryTimer = null;
          if (socket.connected) run(this.rejoin());
        }, REJOIN_RETRY_MS);
      } else if (code === 'MEETING_ENDED') {
        exit('ended');
      } else if (code === 'FORBIDDEN') {
        exit('removed');
      } else {
        // Anything else ends this stay; the next join starts afresh.
        session()?.clear();
        teardown(code);
      }
    }
  }

  /** Admitted (or media restarted): ask for transports and start media. */
  async joinMedia(): Promise<void> {
    const me = this.#me;
    const { media, signaling } = this.#deps;
    if (me === null || this.#mediaJoining) return;
    this.#mediaJoining = true;
    media.hold();
    try {
      const device = await media.loadDevice();
      const joined = await signaling.joinMedia({ rtpCapabilities: toWireCapabilities(device.recvRtpCapabilities) });
      await media.start(joined, me, this.publishes());
    } finally {
      this.#mediaJoining = false;
      media.release();
    }
  }

  /** In the lobby and the room now says I am admitted: start media. */
  checkAdmission(): void {
    const me = this.#me;
    const room = this.#deps.replica.state;
    if (me === null || room === null || this.#deps.state().phase !== 'lobby' || this.#entering) return;
    if (room.participants[me]?.status === 'admitted') this.#deps.run(this.joinMedia());
  }

  /** Public participants only watch: no camera, no microphone. */
  publishes(): boolean {
    const me = this.#me;
    const role = me === null ? undefined : this.#deps.replica.state?.participants[me]?.role;
    const invite = this.#deps.state().invite;
    return (role ?? (invite.kind === 'ready' ? invite.info.invite.role : 'public')) !== 'public';
  }

  /** Stops a pending rejoin retry. */
  clearRetry(): void {
    if (this.#retryTimer !== null) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
  }

  /** Forgets the participant (left, or the meeting is over). */
  reset(): void {
    this.clearRetry();
    this.#me = null;
    this.#resumeToken = null;
  }

  /** #enter, repeated after a short RATE_LIMITED wait (see JOIN_RETRIES). */
  async #enterPatiently(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.#enter();
        return;
      } catch (error) {
        const wait = error instanceof ClientError && error.code === 'RATE_LIMITED' ? error.retryAfterMs : undefined;
        if (wait === undefined || wait > JOIN_RETRY_MAX_WAIT_MS || attempt >= JOIN_RETRIES) throw error;
        await new Promise((resolve) => setTimeout(resolve, wait + Math.random() * 250));
      }
    }
  }

  #connected(): Promise<void> {
    const { socket } = this.#deps;
    if (socket.connected) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.off('connect', onConnect);
        reject(new ClientError('TIMEOUT', 'socket did not connect'));
      }, CONNECT_TIMEOUT_MS);
      const onConnect = (): void => {
        clearTimeout(timer);
        resolve();
      };
      socket.once('connect', onConnect);
    });
  }

  async #enter(): Promise<void> {
    const { media, signaling, dispatch, replica } = this.#deps;
    const invite = this.#deps.invite();
    if (invite === null) throw new ClientError('UNAUTHORIZED', 'no invite');
    const device = await media.loadDevice();
    const { displayName, invite: status } = this.#deps.state();
    const named = status.kind === 'ready' && status.info.invite.name !== undefined;
    const resumeToken = this.#resumeToken ?? this.#deps.session()?.read()?.resumeToken;
    // NOTE: lastSeq goes only with the state it refers to; after a page reload we hold none,
    // and the server then answers with a snapshot.
    const lastSeq = replica.lastSeq;
    this.#entering = true;
    media.hold();
    try {
      const sentAt = Date.now();
      const joined = await signaling.join({
        protocolVersion: PROTOCOL_VERSION,
        invite,
        ...(named || displayName === '' ? {} : { name: displayName }),
        rtpCapabilities: toWireCapabilities(device.recvRtpCapabilities),
        ...(resumeToken === undefined ? {} : { resumeToken }),
        ...(lastSeq === undefined ? {} : { lastSeq }),
      });
      dispatch({ type: 'clock', offsetMs: clockOffset(sentAt, Date.now(), joined.serverTime) });
      await this.#entered(joined);
    } finally {
      this.#entering = false;
      media.release();
    }
    this.checkAdmission();
  }

  async #entered(joined: Joined): Promise<void> {
    const { media, dispatch, replica } = this.#deps;
    this.#me = joined.participantId;
    this.#resumeToken = joined.resumeToken;
    if (joined.media === null) {
      // In the lobby (or back in it): no transports until admitted.
      media.closeTransports();
      dispatch({ type: 'lobby', peerId: joined.participantId });
    }
    replica.apply(joined.room);
    if (this.#deps.state().exit !== null) return;
    if (joined.media !== null) await media.start(joined.media, joined.participantId, this.publishes());
  }
}
