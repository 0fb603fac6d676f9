/**
 * Builds rooms for tests of the model: a log made through `decide` and `apply` themselves,
 * with an injected clock, so tests read as a meeting's story.
 */
import type { CommentCounts, CommentsSummary, PublicComment } from '../comments/model.js';
import { apply } from './apply.js';
import type { RoomCommand } from './commands.js';
import { decide, type CommandActor } from './decide.js';
import type { RoomEvent } from './events.js';
import type { DecideContext, DecideResult, MicFact, SecretBallot } from './result.js';
import { emptyRoom, type RecordingSummary, type Role, type RoomState } from './state.js';

/** A room under test with its log, clock and ballot box. */
export class TestRoom {
  state: RoomState = emptyRoom('test-room');
  readonly log: RoomEvent[] = [];
  readonly ballots: SecretBallot[] = [];
  now = 1_700_000_000_000;
  /**
   * Stands in for the server's SHA-256 of the minutes record at `minutes:lock` (this module
   * hashes nothing); server tests lock through the real RoomService instead.
   */
  contentHash: (state: RoomState) => string = (state) => `content-of-seq-${state.seq}`;
  /** Stands in for the comment store: the comments by id, each in its moderation status. */
  readonly comments = new Map<string, PublicComment>();
  /** Stand-ins for the store's counts at `room:end` and its summary at `minutes:lock` (none: no store). */
  commentCounts: CommentCounts | undefined;
  commentsSummary: CommentsSummary | undefined;
  /** Stands in for the recording's files as the server reads them at `minutes:lock` (none: nothing recorded). */
  recordingSummary: RecordingSummary | undefined;
  /** Stands in for the server's media: each participant's microphone as observed (none: no microphone). */
  readonly mics = new Map<string, MicFact>();

  /** Runs a command; applies its events on success. */
  run(command: RoomCommand, actor: CommandActor | string): DecideResult {
    const who: CommandActor = typeof actor === 'string' ? { kind: 'participant', id: actor } : actor;
    const ctx: DecideContext = { now: this.now, secretBallots: this.#ballotsByPoll() };
    if (command.type === 'minutes:lock') ctx.minutesContentHash = this.contentHash(this.state);
    Object.assign(ctx, this.#commentContext(command));
    if (command.type === 'rollCall:confirm' && who.kind === 'participant') ctx.mic = this.mics.get(who.id) ?? { hasMic: false, heardAt: null };
    const result = decide(this.state, command, who, ctx);
    if (result.ok) {
      for (const e of result.events) {
        const event = { ...e, seq: this.state.seq + 1, at: this.now, actor: who.kind === 'system' ? 'system' : who.id, hash: `h${this.state.seq + 1}` } as RoomEvent;
        this.log.push(event);
        this.state = apply(this.state, event);
      }
      if (result.ballot) this.ballots.push(result.ballot);
    }
    return result;
  }

  /** Runs a command that must succeed. */
  ok(command: RoomCommand, actor: CommandActor | string): RoomEvent[] {
    const before = this.log.length;
    const result = this.run(command, actor);
    if (!result.ok) throw new Error(`${command.type} refused: ${result.error} ${result.detail}`);
    return this.log.slice(before);
  }

  /** The server hears `id`'s microphone now (as server/media/MicActivity reports it). */
  hear(id: string): RoomEvent[] {
    this.mics.set(id, { hasMic: true, heardAt: this.now });
    return this.ok({ type: 'system:micHeard', participantId: id }, { kind: 'system' });
  }

  /** Moves the clock. */
  advance(ms: number): void {
    this.now += ms;
  }

  /** A participant arrives (server-side join). */
  arrive(id: string, role: Role, venue = 'city', sector = ''): DecideResult {
    return this.run({ type: 'system:arrive', participantId: id, inviteId: `inv-${id}`, name: `name-${id}`, role, venue, sector }, { kind: 'system' });
  }

  /** What the server reads from the comment store for `command` (see RoomService). */
  #commentContext(command: RoomCommand): Partial<DecideContext> {
    const approved = (id: string | undefined): PublicComment | undefined => {
      const c = id === undefined ? undefined : this.comments.get(id);
      return c?.status === 'approved' ? c : undefined;
    };
    if (command.type === 'comment:stage') return { comment: approved(command.commentId) };
    if (command.type === 'comment:unstage') return { comment: approved(this.state.stage?.commentId) };
    if (command.type === 'room:end') return { commentCounts: this.commentCounts };
    if (command.type === 'minutes:lock') return { commentsSummary: this.commentsSummary, recordingSummary: this.recordingSummary };
    return {};
  }

  #ballotsByPoll(): Record<string, SecretBallot[]> {
    // As the server reads them: every open secret poll has a box, empty until someone votes.
    const out: Record<string, SecretBallot[]> = {};
    for (const poll of Object.values(this.state.polls)) if (poll.secret && poll.status === 'open') out[poll.id] = [];
    for (const b of this.ballots) (out[b.pollId] ??= []).push(b);
    return out;
  }
}

/** A public comment as the store would hold it (approved unless told otherwise). */
export function publicComment(id: string, fields: Partial<PublicComment> = {}): PublicComment {
  return {
    id,
    roomId: 'test-room',
    name: `留言人${id}`,
    place: '一区某街道',
    text: `关于加装电梯的留言 ${id}`,
    createdAt: 1_699_999_000_000,
    status: 'approved',
    upvotes: 0,
    themes: [],
    answer: null,
    ...fields,
  };
}

/** A created room with venues `city`, `d1` (district) and `d2`. */
export function createdRoom(settings: Partial<{ open: boolean; speechesPerVenue: number | null; quorumPercent: number | null }> = {}): TestRoom {
  const room = new TestRoom();
  room.ok(
    {
      type: 'system:create',
      topic: '老旧小区加装电梯',
      startsAt: null,
      endsAt: null,
      venues: [
        { id: 'city', name: '主会场', expectedMembers: 2 },
        { id: 'd1', name: '一区', expectedMembers: 2 },
        { id: 'd2', name: '二区', expectedMembers: 1 },
      ],
      settings,
    },
    { kind: 'system' },
  );
  return room;
}

/**
 * An open room of a host and members m1…mn with an open yes/no poll put to them (`secret`, or
 * open with every ballot final): the start of a vote storm.
 */
export function votingRoom(n: number, secret = false): { room: TestRoom; pollId: string } {
  const room = createdRoom({ open: true });
  room.arrive('host', 'host');
  for (let i = 1; i <= n; i += 1) room.arrive(`m${i}`, 'member');
  room.ok({ type: 'poll:create', question: '是否同意？', kind: 'yesno', options: [], secret, allowChange: false, quorumPercent: null, threshold: 'simple', durationSeconds: null }, 'host');
  const pollId = room.state.pollOrder.at(-1) ?? '';
  room.ok({ type: 'poll:open', pollId }, 'host');
  return { room, pollId };
}

/** One participant of every role, all admitted: host, sec, m1 (city), m2 (d1), v1 (d2 terminal), obs, dept, pub. */
export function fullRoom(settings: Parameters<typeof createdRoom>[0] = {}): TestRoom {
  const room = createdRoom(settings);
  room.arrive('host', 'host');
  room.arrive('sec', 'secretary');
  room.arrive('m1', 'member', 'city', '经济界');
  room.arrive('m2', 'member', 'd1', '教育界');
  room.arrive('v1', 'venue', 'd2');
  room.arrive('obs', 'observer');
  room.arrive('dept', 'department', 'city', '住建局');
  room.arrive('pub', 'public');
  room.ok({ type: 'lobby:admitAll' }, 'host');
  return room;
}

/** Every role, with the id `fullRoom` gives it. */
export const ROLE_IDS: Record<Role, string> = {
  host: 'host',
  secretary: 'sec',
  member: 'm1',
  venue: 'v1',
  observer: 'obs',
  department: 'dept',
  public: 'pub',
};
