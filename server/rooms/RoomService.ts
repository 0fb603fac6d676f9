/**
 * Runs rooms: load a room's log, run `decide`, append the events with compare-and-append,
 * fold them, tell subscribers. The commands of one room that wait together run as one batch
 * (group commit): decided in order, each on the state the one before made, their events
 * appended in one store write, then folded and acknowledged. A conflict with another process
 * (a shared store) reloads what it missed and decides the batch again.
 */
import { randomBytes } from 'node:crypto';
import { AppError, InvalidStateError, NotFoundError } from '../../signaling/errors.js';
import { applyAll, folder } from '../../signaling/room/apply.js';
import type { RoomCommand } from '../../signaling/room/commands.js';
import { decide, type CommandActor } from '../../signaling/room/decide.js';
import type { NewRoomEvent, RoomEvent } from '../../signaling/room/events.js';
import type { MicFact, SecretBallot } from '../../signaling/room/result.js';
import { nextDeadline } from '../../signaling/room/selectors.js';
import { emptyRoom, ROOM_STATE_SHAPE, type RecordingPart, type RecordingSummary, type RoomState } from '../../signaling/room/state.js';
import { lockContext } from '../store/recordHash.js';
import type { Logger } from '../log.js';
import type { BatchEntry, EventStore } from '../store/EventStore.js';
import type { DecideContext } from '../../signaling/room/result.js';
import { BallotBox, shuffled } from './BallotBox.js';
import { commentContext, type CommentReader } from './commentContext.js';
import { findChainBreak, hashEvent } from '../store/hashChain.js';

/** What a command did. */
export type Executed = { seq: number; events: RoomEvent[]; duplicate: boolean };

/** Called with every batch of new events of a room, in order. */
export type RoomListener = (events: RoomEvent[], state: RoomState) => void;

/** A command waiting in its room's queue, and how to answer it. */
type Pending = {
  command: RoomCommand;
  actor: CommandActor;
  commandId: string | undefined;
  answer: Promise<Executed>;
  resolve: (executed: Executed | Promise<Executed>) => void;
  reject: (error: unknown) => void;
};

/** What deciding did with one command of a batch. */
type Outcome =
  /** Its events are entry `entry` of the batch; `seq` is the last seq once they are in. */
  | { kind: 'events'; item: Pending; events: RoomEvent[]; seq: number; entry: number }
  /** Refused by the rules (`error`) or nothing to do (null), on the state at seq `seq`. */
  | { kind: 'refused'; item: Pending; error: AppError | null; seq: number }
  /** `decide` itself failed (a bug): only this command fails. */
  | { kind: 'failed'; item: Pending; error: unknown };

type LoadedRoom = {
  state: RoomState;
  /** Batches and catch-ups of this room, one after the other. */
  queue: Promise<unknown>;
  /** Commands not yet in a batch, in arrival order. */
  pending: Pending[];
  /** A batch is queued or running; it queues the next one while commands wait. */
  draining: boolean;
  /** When the last batch began (performance.now()): a room that just ran one is busy. */
  lastBatchAt: number;
  listeners: Set<RoomListener>;
  timer: NodeJS.Timeout | null;
  /** Events appended since the last snapshot. */
  sinceSnapshot: number;
  /** The store failed mid-append: the log may hold more than the state. */
  stale: boolean;
  /** Stops following the shared log (when following). */
  unfollow: (() => void) | null;
  /** The highest last seq another process announced; a catch-up runs until the state has it. */
  announcedSeq: number;
  /** A catch-up for announced events is queued or running. */
  catchingUp: boolean;
  /** Announcements may have been missed: read whatever the log holds. */
  readAnyway: boolean;
};

/**
 * Tells a RoomService that a room's shared log grew (server/cluster/). `appended` gets the
 * log's new last seq, or undefined when it may have missed announcements (after a lost
 * connection) and should read whatever is there.
 */
export type LogFollower = {
  follow(roomId: string, appended: (lastSeq: number | undefined) => void): () => void;
};

/** How RoomService is made. */
export type RoomServiceOptions = {
  store: EventStore;
  logger: Logger;
  /** Seals secret ballots while their poll is open, opens them when it closes. */
  ballotBox: BallotBox;
  clock?: () => number;
  /** Retries after a conflict with another process before giving up with CONFLICT. */
  maxAttempts?: number;
  /** Save a snapshot every this many events (or every as many as the room has participants, if more). */
  snapshotEvery?: number;
  /**
   * When the store is shared with other processes: announces what the others appended, so
   * each loaded room's listeners and timers see every event. Absent by default (one process
   * owns the store and learns every event from its own appends).
   */
  follower?: LogFollower;
  /** The longest pause before retrying after a conflict, in ms (jittered; default 20). */
  conflictBackoffMs?: number;
  /**
   * The public comments beside the logs: what the chair puts on the stage, the counts at the
   * end and the summary at the lock are read from it. Absent: comment:stage finds nothing
   * (NOT_FOUND) and the record has no counts.
   */
  comments?: CommentReader;
  /**
   * When a room counts as busy (its last batch began less than `busyWithinMs` ago) and how long
   * a busy room's next batch waits for more commands. Defaults: BUSY_WITHIN_MS, GATHER_WINDOW_MS.
   */
  gathering?: { busyWithinMs: number; windowMs: number };
  /** Told how long each command took, answered or refused, in seconds (the metrics' histogram). */
  timeCommand?: (type: RoomCommand['type'], seconds: number) => void;
  /**
   * The microphones this process receives (server/media/MicActivity): what a roll call's
   * confirm records of the confirming participant's. Absent: nobody is heard.
   */
  mics?: { fact(roomId: string, participantId: string): Promise<MicFact> };
  /**
   * The recording's files (server/stream/RecordingFiles): read when the minutes are locked, so
   * the lock records each part's length, size and SHA-256. Absent: a room with parts in its log
   * cannot be locked (UNAVAILABLE), since the record would promise files nobody checked.
   */
  recordings?: RecordingReader;
};

/** Reads the recording's files of a room. */
export type RecordingReader = { read(roomId: string, parts: readonly RecordingPart[]): Promise<RecordingSummary> };

/** The rooms of this process, backed by the event store. */
export class RoomService {
  readonly #store: EventStore;
  readonly #ballotBox: BallotBox;
  readonly #logger: Logger;
  readonly #clock: () => number;
  readonly #maxAttempts: number;
  readonly #snapshotEvery: number;
  readonly #follower: LogFollower | undefined;
  readonly #conflictBackoffMs: number;
  readonly #gathering: { busyWithinMs: number; windowMs: number };
  readonly #comments: CommentReader | undefined;
  readonly #timeCommand: ((type: RoomCommand['type'], seconds: number) => void) | undefined;
  readonly #mics: RoomServiceOptions['mics'];
  readonly #recordings: RecordingReader | undefined;
  readonly #rooms = new Map<string, Promise<LoadedRoom | undefined>>();
  #closed = false;

  constructor({ store, logger, ballotBox, clock = Date.now, maxAttempts = 5, snapshotEvery = 200, follower, conflictBackoffMs = 20, comments, timeCommand, mics, recordings, gathering }: RoomServiceOptions) {
    this.#gathering = gathering ?? { busyWithinMs: BUSY_WITHIN_MS, windowMs: GATHER_WINDOW_MS };
    this.#mics = mics;
    this.#recordings = recordings;
    this.#timeCommand = timeCommand;
    this.#comments = comments;
    this.#ballotBox = ballotBox;
    this.#follower = follower;
    this.#conflictBackoffMs = conflictBackoffMs;
    this.#store = store;
    this.#logger = logger;
    this.#clock = clock;
    this.#maxAttempts = maxAttempts;
    this.#snapshotEvery = snapshotEvery;
  }

  /** Creates a room; answers its new id. */
  async create(input: Omit<Extract<RoomCommand, { type: 'system:create' }>, 'type'>): Promise<string> {
    const roomId = randomBytes(6).toString('base64url').replace(/[-_]/g, 'x');
    await this.execute(roomId, { type: 'system:create', ...input }, { kind: 'system' });
    return roomId;
  }

  /** The current state of a room, or undefined if it does not exist. */
  async state(roomId: string): Promise<RoomState | undefined> {
    const room = await this.#load(roomId);
    return room?.state;
  }

  /** Runs a command; throws AppError when `decide` refuses it. */
  async execute(roomId: string, command: RoomCommand, actor: CommandActor, commandId?: string): Promise<Executed> {
    const time = this.#timeCommand;
    if (!time) return this.#execute(roomId, command, actor, commandId);
    // The time a participant waits: the room's queue, the decision and the append.
    const start = performance.now();
    try {
      return await this.#execute(roomId, command, actor, commandId);
    } finally {
      time(command.type, (performance.now() - start) / 1000);
    }
  }

  /** The rooms loaded in this process, as they are now (for the metrics). */
  async loaded(): Promise<RoomState[]> {
    const rooms = await Promise.all([...this.#rooms.values()].map((room) => room.catch(() => undefined)));
    return rooms.flatMap((room) => (room ? [room.state] : []));
  }

  async #execute(roomId: string, command: RoomCommand, actor: CommandActor, commandId?: string): Promise<Executed> {
    if (this.#closed) throw new AppError('UNAVAILABLE', 'server is shutting down');
    const creating = command.type === 'system:create';
    const room = creating ? await this.#loadOrNew(roomId) : await this.#load(roomId);
    if (!room) throw new NotFoundError(`no room ${roomId}`);
    let resolve: Pending['resolve'] = () => undefined;
    let reject: Pending['reject'] = () => undefined;
    const answer = new Promise<Executed>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    room.pending.push({ command, actor, commandId, answer, resolve, reject });
    if (!room.draining) this.#drainSoon(roomId, room);
    return answer;
  }

  /** Listens to a room's new events; answers the function that stops listening. */
  async subscribe(roomId: string, listener: RoomListener): Promise<() => void> {
    const room = await this.#load(roomId);
    if (!room) throw new NotFoundError(`no room ${roomId}`);
    room.listeners.add(listener);
    return () => room.listeners.delete(listener);
  }

  /** Events after `seq` (for a client catching up), read from the store. */
  async eventsSince(roomId: string, seq: number): Promise<RoomEvent[]> {
    return this.#store.read(roomId, seq);
  }

  /** Stops timers; the store stays open (its owner closes it). */
  async close(): Promise<void> {
    this.#closed = true;
    for (const pending of this.#rooms.values()) {
      const room = await pending.catch(() => undefined);
      if (room?.timer) clearTimeout(room.timer);
      room?.unfollow?.();
    }
    this.#rooms.clear();
  }

  /**
   * Queues the room's next batch. NOTE: it waits for the next turn of the event loop, so that
   * the commands that arrived together (many sockets' messages read in one turn) wait
   * together and go in one batch; with Redis, those that arrive while a batch is in flight
   * form the next one. The turn also lets other rooms, heartbeats and I/O run between batches
   * of a busy room, and a batch is at most MAX_BATCH commands long. A room whose last batch
   * began less than BUSY_WITHIN_MS ago waits GATHER_WINDOW_MS instead (see there).
   */
  #drainSoon(roomId: string, room: LoadedRoom): void {
    room.draining = true;
    const { busyWithinMs, windowMs } = this.#gathering;
    const busy = performance.now() - room.lastBatchAt < busyWithinMs;
    const run = room.queue
      .then(busy ? () => sleep(windowMs) : nextTurn)
      .then(() => {
        room.lastBatchAt = performance.now();
        return this.#runNextBatch(roomId, room);
      });
    room.queue = run.catch(() => undefined);
  }

  async #runNextBatch(roomId: string, room: LoadedRoom): Promise<void> {
    const batch = takeBatch(room.pending);
    try {
      await this.#runBatch(roomId, room, batch);
    } catch (error) {
      // The store failed (or a read a lone command needed): no command of the batch is known
      // to be recorded. Those already answered keep their answer.
      for (const item of batch) item.reject(error);
    } finally {
      if (room.pending.length > 0) this.#drainSoon(roomId, room);
      else room.draining = false;
    }
  }

  async #runBatch(roomId: string, room: LoadedRoom, batch: Pending[]): Promise<void> {
    if (room.stale) {
      await this.#catchUp(roomId, room);
      room.stale = false;
    }
    let open = this.#withoutRepeats(batch);
    // NOTE: a repeated command id is recognised by the append itself (answered `duplicate`);
    // the store is asked only when the rules refuse the command or find nothing to do, because
    // a repeat of a command that worked is often refused on the state it made ("already in the
    // queue") and must get the first answer.
    // One store round trip per command less, which a shared store (Redis) pays for every vote.
    for (let attempt = 1; attempt <= this.#maxAttempts; ) {
      const before = room.state;
      const { entries, outcomes, state, refill } = await this.#decideBatch(roomId, before, open);
      if (entries.length === 0) return this.#answer(roomId, room, outcomes);
      let appended: Awaited<ReturnType<EventStore['appendBatch']>>;
      try {
        appended = await this.#store.appendBatch(roomId, before.seq, entries);
      } catch (error) {
        // The append may have happened before the store stopped answering (a timeout): the
        // next batch reads the log again before it decides.
        room.stale = true;
        throw error;
      }
      if (appended.ok) {
        this.#fold(roomId, room, entries.flatMap((entry) => entry.events), state);
        if (refill) {
          // The sealed ballots of a closed poll are gone from the box; erase them from the files too.
          this.#store.compact().catch((error: unknown) => this.#logger.warn('the store could not compact after a secret poll closed', { roomId }, error));
        }
        return this.#answer(roomId, room, outcomes);
      }
      if (appended.reason === 'duplicate') {
        // Commands recorded before (a client's retry): answered with their first result; the
        // others are decided again without them (nothing was written, the state is the same).
        const repeated = new Set<Pending>();
        for (const { index, seqs } of appended.duplicates) {
          const outcome = outcomes.find((o) => o.kind === 'events' && o.entry === index);
          if (!outcome) throw new TypeError(`the store named entry ${index} of the batch a duplicate`);
          repeated.add(outcome.item);
          outcome.item.resolve(this.#duplicate(roomId, room, seqs));
        }
        open = open.filter((item) => !repeated.has(item));
        continue;
      }
      // Another process appended first: take its events and decide again on the new state.
      // NOTE: a short random pause lets the two processes fall out of step; without it they
      // can keep colliding on a busy room (a vote storm served by both).
      if (attempt > 1) await sleep(Math.random() * this.#conflictBackoffMs * Math.min(attempt, 4) / 4);
      await this.#catchUp(roomId, room);
      attempt++;
    }
    const busy = new AppError('CONFLICT', 'the room is busy; try again');
    for (const item of open) item.reject(busy);
  }

  /**
   * The batch without the commands that repeat an earlier one of it (same actor, same command
   * id): each repeat gets the first one's answer, as `duplicate` when it worked.
   */
  #withoutRepeats(batch: Pending[]): Pending[] {
    const firsts = new Map<string, Pending>();
    return batch.filter((item) => {
      if (item.commandId === undefined) return true;
      const key = JSON.stringify([actorKeyOf(item.actor), item.commandId]);
      const first = firsts.get(key);
      if (!first) {
        firsts.set(key, item);
        return true;
      }
      item.resolve(first.answer.then((executed) => ({ ...executed, duplicate: true })));
      return false;
    });
  }

  /** Decides the commands in order, each on the state the ones before it made. */
  async #decideBatch(roomId: string, before: RoomState, items: Pending[]) {
    const entries: BatchEntry[] = [];
    const outcomes: Outcome[] = [];
    let state = before;
    // NOTE: one folder for the batch: a vote does not copy its poll's record of ballots (it
    // grows with the voters) but writes the batch's copy. Only the latest state is used (by the
    // next decision, then by #fold); `before` stays as it was, for a batch decided again.
    const foldBatch = folder(before);
    let refill = false;
    const lone = items.length === 1 && items[0] && runsAlone(items[0].command) ? await this.#readContext(roomId, before, items[0]) : undefined;
    const now = lone?.context.now ?? this.#clock();
    for (const item of items) {
      const actorKey = actorKeyOf(item.actor);
      try {
        const decision = decide(state, item.command, item.actor, lone?.context ?? { now });
        if (!decision.ok || decision.events.length === 0) {
          outcomes.push({ kind: 'refused', item, error: decision.ok ? null : new AppError(decision.error, decision.detail), seq: state.seq });
          continue;
        }
        const events = this.#number(state, decision.events, now, actorKey);
        const refillBallots = openedBoxes(state, events, lone?.secretBallots);
        const next = foldBatch(events);
        entries.push({
          events,
          options: {
            ...(item.commandId !== undefined ? { commandId: item.commandId, actor: actorKey } : {}),
            ...(decision.ballot ? { ballot: { pollId: decision.ballot.pollId, entry: this.#ballotBox.seal(roomId, decision.ballot) } } : {}),
            ...(refillBallots.length > 0 ? { refillBallots } : {}),
          },
        });
        outcomes.push({ kind: 'events', item, events, seq: next.seq, entry: entries.length - 1 });
        state = next;
        refill ||= refillBallots.length > 0;
      } catch (error) {
        outcomes.push({ kind: 'failed', item, error });
      }
    }
    return { entries, outcomes, state, refill };
  }

  /**
   * What `decide` needs of a command that reads more than the state (see runsAlone): read
   * before it decides, on the state it decides on.
   */
  async #readContext(roomId: string, before: RoomState, { command, actor }: Pending): Promise<{ context: DecideContext; secretBallots: Record<string, SecretBallot[]> | undefined }> {
    // The confirming participant's microphone, as the media heard it (never as the client
    // says); read before `now`, which it may not be later than.
    const mic = command.type === 'rollCall:confirm' && actor.kind === 'participant' ? await this.#mics?.fact(roomId, actor.id) : undefined;
    const now = this.#clock();
    const secretBallots = await this.#secretBallots(roomId, before, command);
    const comments = await commentContext(this.#comments, this.#logger, roomId, before, command);
    const recordingSummary = command.type === 'minutes:lock' ? await this.#readRecording(roomId, before) : undefined;
    const context: DecideContext = {
      now,
      secretBallots,
      ...comments,
      ...(recordingSummary ? { recordingSummary } : {}),
      ...lockContext(before, command, { comments: comments.commentsSummary, recording: recordingSummary }),
      ...(mic ? { mic } : {}),
    };
    return { context, secretBallots };
  }

  /** Answers the commands of a batch whose events (if any) are in the store. */
  async #answer(roomId: string, room: LoadedRoom, outcomes: Outcome[]): Promise<void> {
    for (const outcome of outcomes) {
      const { item } = outcome;
      if (outcome.kind === 'events') item.resolve({ seq: outcome.seq, events: outcome.events, duplicate: false });
      else if (outcome.kind === 'failed') item.reject(outcome.error);
    }
    for (const outcome of outcomes) {
      if (outcome.kind !== 'refused') continue;
      const { item, error, seq } = outcome;
      try {
        const seqs = item.commandId === undefined ? undefined : await this.#store.commandResult(roomId, actorKeyOf(item.actor), item.commandId);
        if (seqs) item.resolve(this.#duplicate(roomId, room, seqs));
        else if (error) item.reject(error);
        else item.resolve({ seq, events: [], duplicate: false });
      } catch (failure) {
        item.reject(failure);
      }
    }
  }

  /** The recording's files for a lock; undefined when nothing was recorded. */
  async #readRecording(roomId: string, state: RoomState): Promise<RecordingSummary | undefined> {
    const parts = state.recording.parts;
    if (parts.length === 0) return undefined;
    if (!this.#recordings) throw new AppError('UNAVAILABLE', 'this server reads no recordings: the minutes of a recorded meeting are locked where its recordings are');
    return this.#recordings.read(roomId, parts);
  }

  /** Numbers and hash-chains decided events after the state's last one. */
  #number(state: RoomState, decided: readonly NewRoomEvent[], at: number, actor: string): RoomEvent[] {
    let prev = state.hash;
    return decided.map((e, i) => {
      const numbered = { ...e, seq: state.seq + i + 1, at, actor };
      prev = hashEvent(prev, numbered);
      return { ...numbered, hash: prev };
    });
  }

  async #duplicate(roomId: string, room: LoadedRoom, seqs: number[]): Promise<Executed> {
    if (seqs.length === 0) return { seq: room.state.seq, events: [], duplicate: true };
    const first = Math.min(...seqs);
    const events = await this.#store.read(roomId, first - 1, seqs.length);
    return { seq: Math.max(...seqs), events, duplicate: true };
  }

  async #catchUp(roomId: string, room: LoadedRoom): Promise<void> {
    const missed = await this.#store.read(roomId, room.state.seq);
    if (missed.length > 0) this.#fold(roomId, room, missed);
  }

  /**
   * Applies appended events (or takes `state`, the state they make, when the caller folded
   * them already), tells listeners, reschedules timers, snapshots now and then.
   */
  #fold(roomId: string, room: LoadedRoom, events: RoomEvent[], state = applyAll(room.state, events)): void {
    room.state = state;
    room.sinceSnapshot += events.length;
    for (const listener of room.listeners) {
      try {
        listener(events, room.state);
      } catch (error) {
        this.#logger.error('a listener failed', { roomId }, error);
      }
    }
    this.#schedule(roomId, room);
    // NOTE: every snapshotEvery events, or every as many events as the room has participants if
    // that is more: a snapshot serialises the whole state (~5 ms for a room of 1,000, on the
    // event loop), and loading replays at most that many events after it.
    if (room.sinceSnapshot >= this.#snapshotEvery && room.sinceSnapshot >= Object.keys(room.state.participants).length) {
      room.sinceSnapshot = 0;
      const snapshot = { seq: room.state.seq, state: JSON.stringify({ shape: ROOM_STATE_SHAPE, state: room.state }) };
      this.#store.saveSnapshot(roomId, snapshot).catch((error: unknown) => {
        this.#logger.warn('snapshot failed (the log is intact)', { roomId }, error);
      });
    }
  }

  /** Sets one timer for the next thing that happens by itself (floor end, poll close). */
  #schedule(roomId: string, room: LoadedRoom): void {
    if (room.timer) clearTimeout(room.timer);
    room.timer = null;
    if (this.#closed) return;
    const now = this.#clock();
    const at = nextDeadline(room.state, now);
    if (at === null) return;
    room.timer = setTimeout(() => {
      room.timer = null;
      this.execute(roomId, { type: 'system:tick' }, { kind: 'system' }).catch((error: unknown) => {
        this.#logger.error('timer failed', { roomId }, error);
      });
    }, Math.max(0, at - now) + 5);
    room.timer.unref();
  }

  /** Reads what other processes appended whenever the follower announces it. */
  #follow(roomId: string, room: LoadedRoom): void {
    if (!this.#follower) return;
    room.unfollow = this.#follower.follow(roomId, (lastSeq) => {
      // Unknown (announcements may have been lost): read once, whatever the log holds.
      if (lastSeq === undefined) room.readAnyway = true;
      else room.announcedSeq = Math.max(room.announcedSeq, lastSeq);
      if (room.readAnyway || room.announcedSeq > room.state.seq) this.#readAnnounced(roomId, room);
    });
  }

  /**
   * One catch-up at a time per room, in the room's queue (never in the middle of a command).
   * NOTE: an announcement that arrives while a read is under way may be for events that read
   * did not see; another read follows until the state has every announced seq. Otherwise the
   * last event of a burst could wait for the next announcement, which a quiet room never makes.
   */
  #readAnnounced(roomId: string, room: LoadedRoom): void {
    if (room.catchingUp || this.#closed) return;
    room.catchingUp = true;
    room.readAnyway = false;
    const target = room.announcedSeq;
    const read = room.queue.then(() => this.#catchUp(roomId, room));
    room.queue = read.catch(() => undefined);
    read.then(
      () => {
        room.catchingUp = false;
        if (room.state.seq < target) {
          // Announced before this read began, yet not in the log: Redis lost writes (a crash
          // with `appendfsync everysec`). The log is the truth; stop waiting for them.
          this.#logger.warn(`seq ${target} was announced but the log ends at ${room.state.seq}`, { roomId });
          room.announcedSeq = room.state.seq;
        }
        if (room.readAnyway || room.announcedSeq > room.state.seq) this.#readAnnounced(roomId, room);
      },
      (error: unknown) => {
        room.catchingUp = false;
        room.readAnyway = true;
        // Redis away is reported once by the store; here one line per room is enough.
        if (error instanceof AppError && error.code === 'UNAVAILABLE') this.#logger.warn(`could not read the shared log: ${error.message}`, { roomId });
        else this.#logger.warn('could not read the shared log', { roomId }, error);
        // Tried again in a moment (and at once when the follower reconnects to Redis).
        setTimeout(() => this.#readAnnounced(roomId, room), FOLLOW_RETRY_MS).unref();
      },
    );
  }

  /**
   * The ballots of the open secret polls, opened and in a random order (nothing of the order
   * they were cast in reaches decide, the result or the box written back); read only when a
   * command may close a secret poll.
   */
  async #secretBallots(roomId: string, state: RoomState, command: RoomCommand): Promise<Record<string, SecretBallot[]> | undefined> {
    if (command.type !== 'poll:close' && command.type !== 'system:tick') return undefined;
    const out: Record<string, SecretBallot[]> = {};
    for (const poll of Object.values(state.polls)) {
      if (!poll.secret || poll.status !== 'open') continue;
      const entries = await this.#store.ballots(roomId, poll.id);
      out[poll.id] = shuffled(entries.map((entry) => this.#ballotBox.open(roomId, poll.id, entry)));
    }
    return out;
  }

  #load(roomId: string): Promise<LoadedRoom | undefined> {
    let pending = this.#rooms.get(roomId);
    if (!pending) {
      pending = this.#read(roomId).then((room) => {
        if (!room) this.#rooms.delete(roomId);
        return room;
      });
      this.#rooms.set(roomId, pending);
    }
    return pending;
  }

  async #loadOrNew(roomId: string): Promise<LoadedRoom> {
    const existing = await this.#load(roomId);
    if (existing) throw new InvalidStateError(`room ${roomId} exists`);
    const room = newLoaded(emptyRoom(roomId));
    this.#rooms.set(roomId, Promise.resolve(room));
    this.#follow(roomId, room);
    return room;
  }

  /**
   * Loads a room: its whole log, checked link by link (a room whose log was altered is not
   * served, and the operator is told which event breaks the chain), then folded, from the
   * latest snapshot when that snapshot matches the log.
   */
  async #read(roomId: string): Promise<LoadedRoom | undefined> {
    const events = await this.#store.read(roomId, 0);
    if (events.length === 0) return undefined;
    const broken = findChainBreak(events);
    if (broken) {
      this.#logger.error(`the room's log was altered at event ${broken.seq} (${broken.reason}); the room is not served until the log is restored`, { roomId });
      throw new AppError('UNAVAILABLE', `the record of room ${roomId} failed its integrity check`);
    }
    const snapshot = await this.#store.loadSnapshot(roomId);
    const saved = snapshot ? parseSnapshot(snapshot.state, roomId) : undefined;
    // A snapshot is only a shortcut through the fold: it counts when it sits on the chain.
    const start = saved !== undefined && saved.seq <= events.length && events[saved.seq - 1]?.hash === saved.hash ? saved : emptyRoom(roomId);
    const state = applyAll(start, events.slice(start.seq));
    const room = newLoaded(state);
    this.#schedule(roomId, room);
    this.#follow(roomId, room);
    return room;
  }
}

/**
 * The ballot boxes a batch of events closes: each secret poll that closes gets its ballots back
 * in the clear, in the random order decide saw them in.
 */
function openedBoxes(
  before: RoomState,
  events: readonly RoomEvent[],
  secretBallots: Record<string, SecretBallot[]> | undefined,
): Array<{ pollId: string; entries: string[] }> {
  return events.flatMap((e) => {
    if (e.type !== 'poll.closed' || before.polls[e.data.pollId]?.secret !== true) return [];
    const ballots = secretBallots?.[e.data.pollId];
    if (ballots === undefined) throw new TypeError(`poll ${e.data.pollId} closed without its ballots read`);
    return [{ pollId: e.data.pollId, entries: ballots.map((b) => BallotBox.opened(b)) }];
  });
}

/** How soon a follower's failed read of the shared log is tried again, ms. */
const FOLLOW_RETRY_MS = 1000;

/**
 * The most commands in one batch, so that one batch cannot hold the event loop for long: in a
 * room of 1,000 a vote took about 0.25 ms to decide and fold on average and up to ~0.8 ms
 * late in the poll when each vote's fold copied the poll's record of who chose what
 * (bench/vote-storm.ts, profiled); a batch now copies it once (`folder`, signaling/room/apply.ts),
 * and the cap keeps a batch's hold on the event loop short; the next batch waits for the next turn.
 */
export const MAX_BATCH = 64;

/**
 * Commands that read more than the room's state before they are decided (the microphone of a
 * roll call, the ballots of the secret polls a close or a tick may close, the comments, the
 * recording at the lock) or make the room: each is a batch of its own, decided on a state the
 * store holds, so what it read is what the state it decides on had.
 */
function runsAlone(command: RoomCommand): boolean {
  switch (command.type) {
    case 'system:create':
    case 'system:tick':
    case 'poll:close':
    case 'rollCall:confirm':
    case 'minutes:lock':
    case 'comment:stage':
    case 'comment:unstage':
    case 'room:end':
      return true;
    default:
      return false;
  }
}

/** The next batch from the front of the queue: one command that runs alone, or up to MAX_BATCH others. */
function takeBatch(pending: Pending[]): Pending[] {
  const first = pending[0];
  if (first && runsAlone(first.command)) return pending.splice(0, 1);
  let n = 0;
  for (const item of pending) {
    if (n === MAX_BATCH || runsAlone(item.command)) break;
    n++;
  }
  return pending.splice(0, n);
}

function actorKeyOf(actor: CommandActor): string {
  return actor.kind === 'system' ? 'system' : actor.id;
}

/**
 * A room is busy when its last batch began this recently: its next batch waits GATHER_WINDOW_MS
 * for more commands, not just a turn of the event loop.
 */
const BUSY_WITHIN_MS = 5;

/**
 * How long a busy room's next batch waits for more commands (group commit's window, as
 * PostgreSQL's commit_delay). A vote storm sends a vote about every millisecond, one per turn
 * of the event loop, so without it each batch was one or two commands, each with its own
 * commit synced to the disk and its own copy of the poll's record of choices (a 500-key
 * object costs ~250 µs to copy). The price is at most this long on each answer while the
 * room is busy; a quiet room's command (a chair's, seconds after the last) does not wait.
 */
const GATHER_WINDOW_MS = 2;

/** A turn of the event loop: I/O that arrived meanwhile (more commands) is read first. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function newLoaded(state: RoomState): LoadedRoom {
  return {
    state,
    queue: Promise.resolve(),
    pending: [],
    draining: false,
    lastBatchAt: -Infinity,
    listeners: new Set(),
    timer: null,
    sinceSnapshot: 0,
    stale: false,
    unfollow: null,
    announcedSeq: 0,
    catchingUp: false,
    readAnyway: false,
  };
}

/**
 * A snapshot of another shape of RoomState (an older release) is ignored: the log rebuilds the
 * state. Snapshots are our own writes; a corrupt one is an operator problem, reported loudly.
 */
function parseSnapshot(text: string, roomId: string): RoomState | undefined {
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null || !('shape' in value) || value.shape !== ROOM_STATE_SHAPE) return undefined;
  const state = 'state' in value ? value.state : undefined;
  if (typeof state !== 'object' || state === null || !('seq' in state) || !('id' in state) || state.id !== roomId) {
    throw new Error(`snapshot of room ${roomId} is corrupt`);
  }
  return state as RoomState;
}
