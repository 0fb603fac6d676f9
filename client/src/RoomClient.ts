/**
 * The one owner of the client's side effects: the Socket.IO connection, the invite, the room
 * replica, and (through MediaSession) the mediasoup Device, transports and every track. It
 * reports what happens to the store as serializable actions; components read the store and
 * call these methods. Entry (joining, resuming, the lobby) and RoomReplica (the event fold)
 * are its parts.
 */
import { io } from 'socket.io-client';
import type { CommentsChanged } from '../../signaling/audience.js';
import { RTP_CAPABILITIES_ROUTE } from '../../signaling/http/health.js';
import type { ClientCommandType } from '../../signaling/room/commands.js';
import { unpackEvents } from '../../signaling/room/eventsMessage.js';
import { mayBeHeard } from '../../signaling/room/selectors.js';
import type { RoomState } from '../../signaling/room/state.js';
import type { MediaSource } from '../../signaling/schemas.js';
import { Entry } from './Entry.js';
import { ClientError, errorCodeOf, type ClientErrorCode } from './errors.js';
import { Chime } from './media/chime.js';
import type { LayerView, SpatialLayer } from './media/layers.js';
import { MediaSession } from './media/MediaSession.js';
import { checkFields, newCommandId, sendWithRetry, type CommandFields } from './net/command.js';
import { fetchInviteInfo, type InviteInfo } from './net/inviteApi.js';
import { measureNetwork } from './net/networkCheck.js';
import { Signaling, type ProtocolSocket } from './net/Signaling.js';
import { myRole, takesPartInMinutes } from './roomSelectors.js';
import { noticesFor, rings } from './room/notices.js';
import { RoomReplica } from './room/RoomReplica.js';
import { browserSessionStorage, sessionStore, type SessionStore } from './session.js';
import type { Action, ExitReason, PanelTab, State, Store } from './store.js';
import { savedDrafts, type SavedDrafts } from './ui/minutes/savedDrafts.js';

const EXIT_LINGER_MS = 1_500;

/** Options for tests and unusual deployments. */
export type RoomClientOptions = {
  /** Defaults to a same-origin Socket.IO connection that is opened by `prepare()`. */
  socket?: ProtocolSocket;
  /** Where `GET /api/rtp-capabilities` lives; defaults to the page's origin. */
  capabilitiesUrl?: string;
  /** Where the resume token is kept; defaults to sessionStorage. */
  storage?: Storage | null;
  /** What the join page's network check times; defaults to the page's origin. */
  healthUrl?: string;
};

/** The browser end of a consultation room. */
export class RoomClient {
  readonly #store: Store;
  /** onComments' `resumed` listeners. */
  readonly #commentsResumed = new Set<() => void>();
  readonly #socket: ProtocolSocket;
  readonly #signaling: Signaling;
  readonly #media: MediaSession;
  readonly #replica: RoomReplica;
  readonly #entry: Entry;
  readonly #storage: Storage | null;
  readonly #healthUrl: string;
  #networkCheck: Promise<void> | null = null;
  #invite: string | null = null;
  #session: SessionStore | null = null;
  readonly #chime = new Chime();

  constructor(store: Store, options: RoomClientOptions = {}) {
    this.#store = store;
    this.#socket =
      options.socket ??
      io({
        autoConnect: false,
        // WebSocket first saves the polling round trips before the first request; polling
        // stays as the fallback for networks that block WebSockets.
        transports: ['websocket', 'polling'],
        tryAllTransports: true,
        // The first reconnect after 150–450 ms (Socket.IO's default: 500–1500 ms), then twice as
        // long each time up to 5 s: when a server process dies, its pages are back on another
        // one through the entry that much sooner (bench/failover.ts).
        reconnectionDelay: 300,
      });
    this.#signaling = new Signaling(this.#socket);
    // The socket is in the room's channels again once the rejoin is answered (reconnecting ends
    // in the meeting): the comments' news comes again from then on.
    let reconnecting = store.getState().reconnecting;
    store.subscribe(() => {
      const state = store.getState();
      const resumed = reconnecting && !state.reconnecting && state.phase === 'joined';
      reconnecting = state.reconnecting;
      if (resumed) for (const listener of this.#commentsResumed) listener();
    });
    this.#storage = options.storage === undefined ? browserSessionStorage() : options.storage;
    this.#healthUrl = options.healthUrl ?? '/healthz';
    const base = {
      signaling: this.#signaling,
      dispatch: (action: Action) => this.#dispatch(action),
      state: () => this.#state(),
      run: (task: Promise<unknown>) => this.#run(task),
    };
    this.#media = new MediaSession({
      ...base,
      report: (error) => this.#report(error),
      online: () => this.#socket.connected && !this.#state().reconnecting && !this.#entry.entering,
      capabilitiesUrl: options.capabilitiesUrl ?? RTP_CAPABILITIES_ROUTE.path(),
    });
    this.#replica = new RoomReplica({
      sync: (lastSeq) => this.#signaling.sync(lastSeq === undefined ? {} : { lastSeq }),
      online: () => this.#socket.connected,
      roomId: () => this.#state().roomId,
      changed: (previous, next) => this.#onRoomChanged(previous, next),
      run: base.run,
    });
    this.#entry = new Entry({
      ...base,
      socket: this.#socket,
      media: this.#media,
      replica: this.#replica,
      invite: () => this.#invite,
      session: () => this.#session,
      exit: (reason) => this.#exit(reason),
      teardown: (error) => this.#teardown(error),
    });
    this.#listen();
    if (typeof window !== 'undefined') window.addEventListener('offline', () => this.#onOffline());
  }

  /** The store this client reports to. */
  get store(): Store {
    return this.#store;
  }

  /** My own track of a source, for previews and the level meter. */
  getLocalTrack(source: MediaSource): MediaStreamTrack | null {
    return this.#media.local.get(source);
  }

  /** The track of a consumer listed in the state. */
  getRemoteTrack(consumerId: string): MediaStreamTrack | null {
    return this.#media.consumers.track(consumerId);
  }

  /**
   * Everything the join page needs before the user clicks: what the invite grants, the
   * socket, the Device, and, while the meeting is on, the network check and (unless the
   * invite is for the public) a camera/microphone preview. Safe to call repeatedly.
   */
  prepare(invite: string | null): void {
    if (invite === null) {
      this.#dispatch({ type: 'invite', invite: { kind: 'failed', token: null, error: 'UNAUTHORIZED' } });
      return;
    }
    if (!this.#socket.active) this.#socket.connect();
    // The join call sends the Device's receive capabilities, also when joining only for the minutes.
    this.#run(this.#media.loadDevice());
    if (this.#invite === invite && this.#state().invite.kind !== 'failed') {
      this.#prepareMedia();
      return;
    }
    this.#invite = invite;
    this.#session = sessionStore(this.#storage, invite);
    this.#dispatch({ type: 'invite', invite: { kind: 'loading', token: invite } });
    this.#run(this.#loadInvite(invite));
  }

  /**
   * This tab was in the room with this invite before the page was reloaded: the name typed
   * then (the form asks for it again), or null when there is no session to resume.
   */
  rememberedSession(): { name: string } | null {
    const session = this.#session?.read() ?? null;
    return session === null ? null : { name: session.name ?? '' };
  }

  /** Times a few round trips to the server for the join page's network line; one check at a time. */
  checkNetwork(): void {
    if (this.#networkCheck !== null) return;
    this.#dispatch({ type: 'network', network: { state: 'checking' } });
    this.#networkCheck = measureNetwork(this.#healthUrl)
      .then((network) => this.#dispatch({ type: 'network', network }))
      .finally(() => {
        this.#networkCheck = null;
      });
    this.#run(this.#networkCheck);
  }

  /** Enter the room with the invite (and a name if the invite has none). Failures end up in `state.error`. */
  join(name: string | null): void {
    const { phase, invite } = this.#state();
    if (phase === 'joining' || phase === 'joined' || phase === 'lobby' || invite.kind !== 'ready') return;
    const displayName = invite.info.invite.name ?? name?.trim() ?? '';
    this.#dispatch({ type: 'joining', roomId: invite.info.room.roomId, displayName });
    this.#run(this.#entry.join());
  }

  /** Leave the room for good, stop every track and go back to the join page. */
  leave(): void {
    this.#run(this.#leave());
  }

  /**
   * The chair's 移交主持后离开: hand the chair to a member present, then leave. If the server
   * refuses (that member left meanwhile), the chair stays, and is told why.
   */
  handOverAndLeave(participantId: string): void {
    this.#run(this.command('room:handOver', { participantId }).then(() => this.#leave()));
  }

  /** Microphone: mute, unmute, or open it if it never was. */
  toggleMic(): void {
    this.#run(this.#media.toggleMic());
  }

  /** Camera: on, off, or open it if it never was. */
  toggleCamera(): void {
    this.#run(this.#media.toggleCamera());
  }

  /** Start or stop sharing the screen. */
  toggleScreen(): void {
    this.#run(this.#media.toggleScreen());
  }

  /** Switch the microphone or camera to another device. */
  selectDevice(kind: 'mic' | 'camera', deviceId: string): void {
    this.#dispatch({ type: 'deviceSelected', kind, deviceId });
    this.#run(this.#media.switchDevice(kind));
  }

  /** A tile's or the stage's size changed: ask the server for the simulcast layer it needs. */
  setPreferredLayer(consumerId: string, spatialLayer: SpatialLayer, view: LayerView = 'tile'): void {
    this.#media.consumers.setPreferredLayer(consumerId, spatialLayer, view);
  }

  /** A view of a video is gone (the stage after the floor moved on). */
  dropLayerView(consumerId: string, view: LayerView): void {
    this.#media.consumers.dropLayerView(consumerId, view);
  }

  /** Audio-only on or off (a weak link): no video sent, none received but the stage's. */
  setAudioOnly(on: boolean): void {
    this.#run(this.#media.setAudioOnly(on));
  }

  /** Video back on after audio-only (the camera too, if it was off). */
  videoBack(): void {
    this.#run(this.#media.videoBack());
  }

  /** "Not now" to the proposal of audio-only on a weak link. */
  declineAudioOnly(): void {
    this.#dispatch({ type: 'weakLinkAnswered', declined: true });
  }

  /** A video tile scrolled into or out of view (null: the tile is gone). */
  setConsumerVisible(consumerId: string, visible: boolean | null): void {
    this.#media.consumers.setVisible(consumerId, visible);
  }

  /** An <audio> element could not start without a user gesture. */
  reportAudioBlocked(): void {
    this.#dispatch({ type: 'audioBlocked', blocked: true });
  }

  /** The user clicked to allow sound; audio elements retry playing. */
  unblockAudio(): void {
    this.#dispatch({ type: 'audioBlocked', blocked: false });
  }

  /** The host chose the speaking time to give with the floor. */
  chooseSpeechSeconds(seconds: number): void {
    this.#dispatch({ type: 'speechSeconds', seconds });
  }

  /** Where the minutes editor keeps a room's unsaved typing across a reload (this tab only). */
  savedMinutesDrafts(roomId: string): SavedDrafts {
    return savedDrafts(this.#storage, roomId);
  }

  /**
   * Ring the chime for something the room's events do not bring by themselves: the clock of a
   * speech reaching its warning tells the next speaker to get ready (ui/notices/OnDeck.tsx).
   */
  ring(): void {
    this.#chime.play();
  }

  /** Hide a notice (a person waiting, a hand, a ballot, my floor). */
  dismissNotice(id: string): void {
    this.#dispatch({ type: 'noticeDismissed', id });
  }

  /** Show a tab of the meeting panel (and open the phone's sheet), or close the sheet. */
  showPanel(tab: PanelTab, open = true): void {
    this.#dispatch({ type: 'panel', tab, open });
  }

  /**
   * The server's news of public comments for this meeting: `comments:pending` (the moderation
   * queue's size, sent to staff) and `comments:changed` (comments published or changed).
   * Comments are not part of the room's state, so the panels that show them listen here and
   * fetch what they need; answers the unsubscribe.
   */
  onComments(listeners: {
    pending?: (data: { roomId: string; pending: number }) => void;
    changed?: (data: CommentsChanged) => void;
    /** Back in the meeting after a dropped connection: the news comes again, what happened meanwhile did not. */
    resumed?: () => void;
  }): () => void {
    const { pending, changed, resumed } = listeners;
    if (pending) this.#socket.on('comments:pending', pending);
    if (changed) this.#socket.on('comments:changed', changed);
    if (resumed) this.#commentsResumed.add(resumed);
    return () => {
      if (pending) this.#socket.off('comments:pending', pending);
      if (changed) this.#socket.off('comments:changed', changed);
      if (resumed) this.#commentsResumed.delete(resumed);
    };
  }

  /** Hide the current error message. */
  dismissError(): void {
    this.#dispatch({ type: 'errorDismissed' });
  }

  /** Hide the explanation of why a camera, microphone or screen could not be opened. */
  dismissMediaError(source: MediaSource): void {
    this.#dispatch({ type: 'mediaError', source, error: null });
  }

  /**
   * Sends a room command with a fresh commandId; after a timeout sends it once more with the
   * same id (the server answers a repeat with the first result). Resolves with the ack or
   * rejects with a ClientError carrying the code.
   */
  command<T extends ClientCommandType>(type: T, fields: CommandFields<T>): Promise<{ seq: number }> {
    checkFields(type, fields);
    const commandId = newCommandId();
    return sendWithRetry({ ...fields, commandId }, (payload) => this.#signaling.command(type, payload));
  }

  /**
   * `command()` for buttons: a refusal is shown as the current error. Resolves true when the
   * room accepted it (forms close then), false when it was refused and reported.
   */
  act<T extends ClientCommandType>(type: T, fields: CommandFields<T>): Promise<boolean> {
    return Promise.resolve()
      .then(() => this.command(type, fields))
      .then(
        () => true,
        (error: unknown) => {
          this.#report(error);
          return false;
        },
      );
  }

  async #loadInvite(token: string): Promise<void> {
    let info: InviteInfo;
    try {
      info = await fetchInviteInfo(token);
    } catch (error) {
      console.warn('invite refused', error);
      this.#dispatch({ type: 'invite', invite: { kind: 'failed', token, error: errorCodeOf(error) } });
      return;
    }
    this.#dispatch({ type: 'invite', invite: { kind: 'ready', token, info } });
    this.#prepareMedia();
  }

  /**
   * The network check and the camera/microphone preview, once the invite is known. An ended
   * meeting has no media (those who come back only work on the minutes): no check, and above
   * all no camera permission prompt.
   */
  #prepareMedia(): void {
    const { invite, network } = this.#state();
    if (invite.kind !== 'ready' || invite.info.room.ended) return;
    if (network.state === 'checking') this.checkNetwork();
    this.#startPreviewIfPublishing();
  }

  #startPreviewIfPublishing(): void {
    const invite = this.#state().invite;
    if (invite.kind === 'ready' && !invite.info.room.ended && invite.info.invite.role !== 'public') this.#media.local.startPreview();
  }

  async #leave(): Promise<void> {
    try {
      if (this.#entry.me !== null && this.#socket.connected) await this.#signaling.leave();
    } catch (error) {
      // Leaving goes on regardless: the server drops a silent participant after its grace period.
      console.warn('room:leave failed', error);
    } finally {
      this.#session?.clear();
      this.#teardown();
    }
  }

  #listen(): void {
    const s = this.#socket;
    s.on('connect', () => {
      if ((this.#inRoom() || this.#reviewing()) && this.#entry.resumeToken !== null) this.#run(this.#entry.rejoin());
    });
    s.on('disconnect', (reason) => {
      if (!this.#inRoom() || reason === 'io client disconnect') return;
      if (reason === 'io server disconnect') {
        // The server closed us on purpose (a newer tab took this participant over) and
        // Socket.IO will not reconnect by itself.
        this.#teardown('SERVER_CLOSED');
        return;
      }
      this.#dispatch({ type: 'connectionLost' });
    });
    s.on('room:events', (message) => this.#replica.receive(unpackEvents(message)));
    s.on('session:closed', ({ reason }) => {
      // The server disconnects right after: removed and denied end the stay as the room's own
      // events would have; 'replaced' means this invite is in the meeting elsewhere now, and
      // this page must not reconnect and take it back by itself.
      if (reason === 'replaced') {
        this.#session?.clear();
        this.#teardown('REPLACED');
      } else {
        this.#exit(reason);
      }
    });
    s.on('media:reconnect', ({ reason }) => {
      console.warn('media:reconnect', reason);
      this.#media.closeTransports();
      this.#dispatch({ type: 'transportsReset' });
      if (this.#state().phase === 'joined') this.#run(this.#entry.joinMedia());
    });
    this.#media.listen(s, () => this.#entry.me);
  }

  #inRoom(): boolean {
    const { phase } = this.#state();
    return phase === 'joined' || phase === 'lobby';
  }

  /** The meeting ended and I stay to finish the minutes (see #exit). */
  #reviewing(): boolean {
    return this.#state().exit === 'ended' && this.#entry.me !== null;
  }

  #onOffline(): void {
    if (!this.#inRoom()) return;
    // Socket.IO would notice only at its ping timeout (up to ~45 s); the browser knows now.
    // Cycling the socket shows the banner at once and resumes as soon as the network is back.
    this.#dispatch({ type: 'connectionLost' });
    this.#socket.disconnect().connect();
  }

  /** What a change of the room means for me: leaving, entering media, being heard. */
  #onRoomChanged(previous: RoomState | null, next: RoomState): void {
    this.#dispatch({ type: 'room', room: next });
    // The floor holder's camera is on the stage: it must flow even if its tile is off-screen.
    if ((previous?.floor ?? null) !== next.floor) this.#media.consumers.reconcileVisibility();
    const token = this.#entry.resumeToken;
    const name = this.#state().displayName;
    if (token !== null) this.#session?.write({ resumeToken: token, lastSeq: next.seq, ...(name === '' ? {} : { name }) });
    const me = this.#entry.me;
    if (me === null) return;
    const status = next.participants[me]?.status;
    if (next.ended) return this.#exit('ended');
    if (status === 'removed' || status === 'denied') return this.#exit(status);
    // The chair came to me or went from me: what I may see changed with it.
    if (previous !== null && previous.participants[me]?.role !== next.participants[me]?.role) this.#replica.refresh();
    this.#entry.checkAdmission();
    this.#notice(previous, next, me);
    const heardBefore = previous !== null && mayBeHeard(previous, me);
    if (mayBeHeard(next, me) && !heardBefore && this.#state().phase === 'joined' && !this.#media.starting) {
      this.#run(this.#media.producers.mayBeHeardAgain());
    }
  }

  /** Keeps what I should notice in the store, and rings for what asks me to act. */
  #notice(previous: RoomState | null, next: RoomState, me: string): void {
    const known = new Set(this.#state().notices.map((n) => n.id));
    const fresh = noticesFor(previous, next, me).filter((n) => !known.has(n.id));
    if (fresh.length === 0) return;
    this.#dispatch({ type: 'notices', notices: fresh });
    // The ballot comes to the voter: the 表决 tab (on a phone, the sheet) opens by itself.
    if (fresh.some((n) => n.kind === 'pollOpened')) this.showPanel('polls');
    const ringing = fresh.filter(rings);
    if (ringing.length > 0) this.#chime.play(ringing.some((n) => n.kind === 'handRaised' && n.type === 'order'));
  }

  /**
   * The meeting is over for me: stop media, forget the session, show why. When it ended and I
   * have a part in the minutes (keeping them, confirming my passages, a written statement),
   * the connection stays: the minutes are finished after the meeting, on the end screen.
   */
  #exit(reason: ExitReason): void {
    if (this.#state().exit !== null) return;
    const review = reason === 'ended' && takesPartInMinutes(myRole(this.#state()));
    // A removed or denied participant keeps the session, so that coming back with the same
    // invite is recognised (and refused) rather than knocking at the lobby as someone new.
    if (reason === 'ended' && !review) this.#session?.clear();
    if (!review) this.#entry.reset();
    this.#media.stop();
    this.#dispatch({ type: 'exited', reason });
    // NOTE: a reviewer keeps the session and the socket; a dropped connection rejoins the
    // ended room, which lets those with a part in the minutes back in without media.
    if (review) return;
    // NOTE: the socket lingers a moment so that acks already on their way (the host's own
    // room:end arrives as an event before its ack) are answered instead of timing out.
    setTimeout(() => {
      if (this.#state().exit !== null) this.#socket.disconnect();
    }, EXIT_LINGER_MS);
  }

  /** Stop everything and show the join page again (with an error if one ended the session). */
  #teardown(error?: ClientErrorCode): void {
    this.#entry.reset();
    this.#replica.reset();
    this.#media.stop();
    this.#dispatch(error === undefined ? { type: 'left' } : { type: 'left', error });
    // A fresh connection for the next join; prepare() opens it.
    this.#socket.disconnect();
  }

  #state(): State {
    return this.#store.getState();
  }

  #dispatch(action: Action): void {
    this.#store.dispatch(action);
  }

  /** Runs a task nobody awaits; its failure is shown to the user, never dropped. */
  #run(task: Promise<unknown>): void {
    task.catch((error: unknown) => this.#report(error));
  }

  #report(error: unknown): void {
    const code = errorCodeOf(error);
    if (this.#state().exit !== null && !this.#reviewing()) {
      // The meeting is over for me and the socket is closed: requests still in flight fail.
      console.warn('request ended with the meeting', error);
      return;
    }
    if (code === 'DISCONNECTED' && this.#state().reconnecting) {
      // The banner already says so, and the rejoin will resync.
      console.warn('request while disconnected', error);
      return;
    }
    console.error(error);
    const retryAfterMs = error instanceof ClientError ? error.retryAfterMs : undefined;
    this.#dispatch(retryAfterMs === undefined ? { type: 'failed', error: code } : { type: 'failed', error: code, retryAfterMs });
  }
}
