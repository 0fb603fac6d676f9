/**
 * The meeting's invariants under random use, against the real server (SQLite, one mediasoup
 * worker, real sockets, no media produced). Each run is one room: a cast of random roles, then
 * random commands from random participants — hands, the floor and its clock, polls named and
 * secret with valid, invalid and repeated ballots, mutes, the lobby, the same invite opened
 * again in a new tab, a public link tried as a seat (refused: the public watches). Commands the rules refuse are
 * part of the game. After every step, on the server's state and on what each socket received:
 * - one floor at most: a person holding it is an admitted speaker, no longer in the queue;
 * - the log is contiguous and folds to the server's state; every client folded it without a
 *   gap and, caught up, holds exactly the room as its participant may see it;
 * - no poll counts more voters than it has eligible, nor a voter who was not eligible;
 * - a personal invite is one participant, and a public link none (it is watched: audience:join);
 * - a socket waiting in the lobby has been sent nothing of the meeting, and a sync answers it
 *   the lobby's view: the topic and its own entry;
 * - a refused command records nothing; nobody is answered INTERNAL.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { RunningServer } from '../server/app.js';
import type { ErrorCode } from '../signaling/errors.js';
import type { SessionClosedReason } from '../signaling/protocol.js';
import { applyAll } from '../signaling/room/apply.js';
import type { RoomEvent } from '../signaling/room/events.js';
import { unpackEvents } from '../signaling/room/eventsMessage.js';
import { holdsFloor, pollsInOrder } from '../signaling/room/selectors.js';
import { emptyRoom, SPEECH_TYPES, type Participant, type PollStatus, type Role, type RoomState, type SpeechType } from '../signaling/room/state.js';
import { lobbyView, stateForViewer } from '../signaling/room/visibility.js';
import { createRoom, invite } from './helpers/rooms.js';
import { startTestServer } from './helpers/server.js';

// Written from the meeting's rules, not read from the code's table (roles.ts).
/** Those who ask for the floor and speak (a department, 部门, speaks as an observer does). */
const SPEAKING_ROLES: readonly Role[] = ['member', 'venue', 'observer', 'department'];
/** Those who vote. */
const VOTING_ROLES: readonly Role[] = ['member', 'venue'];
import { RequestError, TestPeer } from './helpers/TestPeer.js';

let server: RunningServer;

beforeAll(async () => {
  // The test sends hundreds of commands and opens dozens of tabs from one address within
  // seconds: the limits would answer RATE_LIMITED long before the rules are exercised. Limits
  // are tested in their own file (limits.test.ts, as hostile.test.ts says); here they are out of the way.
  server = await startTestServer({
    LIMIT_COMMANDS_PER_10S: '100000',
    LIMIT_SOCKET_EVENTS_PER_10S: '100000',
    LIMIT_JOINS_PER_SECOND_PER_INVITE: '100000',
    LIMIT_JOINS_PER_MINUTE_PER_PERSONAL_INVITE: '100000',
    LIMIT_JOINS_PER_MINUTE_PER_ADDRESS: '100000',
  });
});

afterAll(async () => {
  await server.close();
});

const VENUES = ['city', 'd1', 'd2'] as const;
const SPEAKER_ROLES = ['member', 'venue', 'observer', 'department'] as const;
const NAMES = ['赵委员', '钱委员', '孙委员', '李委员'];
/** Public tabs per run at most: enough for a shared link, few enough to keep a run quick. */
/** No speech runs out during a run: the floor changes only by command. */
const SPEECH_SECONDS = 600;
const WAIT_MS = 5_000;

/** Refusals the rules give; anything else (INTERNAL, RATE_LIMITED, CONFLICT…) fails the run. */
const REFUSALS: readonly ErrorCode[] = [
  'BAD_REQUEST',
  'NOT_FOUND',
  'FORBIDDEN',
  'INVALID_STATE',
  'IN_LOBBY',
  'QUEUE_CLOSED',
  'SPEECH_LIMIT',
  'NOT_ELIGIBLE',
  'ALREADY_VOTED',
];

type PollKindTried = 'yesno' | 'consensus' | 'single';

/** Who sits in the room before the first step (besides the host), and the poll open from the start, if any. */
type Cast = {
  secretary: boolean;
  speakers: Array<{ role: (typeof SPEAKER_ROLES)[number]; venue: (typeof VENUES)[number]; admitted: boolean }>;
  poll: { pollKind: PollKindTried; secret: boolean } | null;
};

/**
 * Whom (or which poll) a step picks: the n-th, modulo their number, of those it fits (a lobby
 * participant for an admission, a raised hand for a withdrawal, an open poll for a ballot), or
 * of all of them when `stray` or when none fits. Most steps take effect; the rest try what the
 * rules refuse.
 */
type Pick = { n: number; stray: boolean };

/** One step. */
type Action =
  | { kind: 'raise'; by: Pick; speechType: SpeechType }
  | { kind: 'withdraw'; by: Pick }
  | { kind: 'yield'; by: Pick }
  | { kind: 'grant'; target: { kind: 'next' } | { kind: 'participant'; who: Pick } | { kind: 'venue'; venue: string } }
  | { kind: 'revoke' }
  /** Stop the speaker's clock if it runs, restart it if stopped (the other way round when `stray`). */
  | { kind: 'clock'; stray: boolean }
  /** `open`: and open it at once, so that ballots have somewhere to go. */
  | { kind: 'createPoll'; pollKind: PollKindTried; secret: boolean; allowChange: boolean; open: boolean }
  | { kind: 'openPoll'; poll: Pick }
  | { kind: 'closePoll'; poll: Pick }
  | { kind: 'publishPoll'; poll: Pick }
  | { kind: 'vote'; by: Pick; poll: Pick; choices: number[]; reason: boolean; twice: boolean }
  | { kind: 'forceMute'; who: Pick; floor: 'end' | 'pause' | null }
  | { kind: 'muteAll'; floor: 'end' | 'pause' | null }
  | { kind: 'allowUnmute' }
  | { kind: 'admit'; who: Pick }
  | { kind: 'admitAll' }
  | { kind: 'deny'; who: Pick }
  | { kind: 'remove'; who: Pick }
  | { kind: 'reopen'; seat: number }
  | { kind: 'openPublic' };

const castArb: fc.Arbitrary<Cast> = fc.record({
  secretary: fc.boolean(),
  speakers: fc.array(
    fc.record({
      role: fc.constantFrom(...SPEAKER_ROLES),
      venue: fc.constantFrom(...VENUES),
      // Most start admitted, so that the meeting has speakers and voters from the first step.
      admitted: fc.oneof({ arbitrary: fc.constant(true), weight: 2 }, { arbitrary: fc.constant(false), weight: 1 }),
    }),
    { minLength: 2, maxLength: 4 },
  ),
  poll: fc.option(fc.record({ pollKind: fc.constantFrom<PollKindTried>('yesno', 'consensus', 'single'), secret: fc.boolean() }), {
    nil: null,
    freq: 4,
  }),
});

const rarely = fc.oneof({ weight: 6, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) });
const pick: fc.Arbitrary<Pick> = fc.record({ n: fc.nat({ max: 7 }), stray: rarely });
const floorChoice = fc.constantFrom('end' as const, 'pause' as const, null);
/** Mostly one of the first three options (valid on every poll here), sometimes two, or one past the end. */
const choices = fc.oneof(
  { weight: 3, arbitrary: fc.nat({ max: 2 }).map((c) => [c]) },
  { weight: 1, arbitrary: fc.array(fc.nat({ max: 4 }), { minLength: 1, maxLength: 2 }) },
);

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('raise' as const), by: pick, speechType: fc.constantFrom(...SPEECH_TYPES) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('withdraw' as const), by: pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('yield' as const), by: pick }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('grant' as const),
      target: fc.oneof(
        { weight: 2, arbitrary: fc.constant({ kind: 'next' as const }) },
        { weight: 2, arbitrary: fc.record({ kind: fc.constant('participant' as const), who: pick }) },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant('venue' as const), venue: fc.constantFrom(...VENUES) }) },
      ),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'revoke' as const }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('clock' as const), stray: rarely }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('createPoll' as const),
      pollKind: fc.constantFrom<PollKindTried>('yesno', 'consensus', 'single'),
      secret: fc.boolean(),
      allowChange: fc.boolean(),
      open: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('openPoll' as const), poll: pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('closePoll' as const), poll: pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('publishPoll' as const), poll: pick }) },
  {
    weight: 6,
    arbitrary: fc.record({ kind: fc.constant('vote' as const), by: pick, poll: pick, choices, reason: rarely, twice: fc.boolean() }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('forceMute' as const), who: pick, floor: floorChoice }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('muteAll' as const), floor: floorChoice }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'allowUnmute' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('admit' as const), who: pick }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'admitAll' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deny' as const), who: pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('remove' as const), who: pick }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('reopen' as const), seat: fc.nat({ max: 7 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'openPublic' as const }) },
);

/** An admitted member, venue terminal or observer. */
const speaker = (p: Participant): boolean => p.status === 'admitted' && SPEAKING_ROLES.includes(p.role);
const queued = (p: Participant, s: RoomState): boolean => s.queue.entries.some((q) => q.participantId === p.id);
/** The one speaking now, as a person, with the clock running. */
const speakingNow = (s: RoomState): string | null =>
  s.floor?.holder.kind === 'participant' && s.floor.pausedAt === null ? s.floor.holder.participantId : null;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves when `probe` holds (the events the test waits for, never a fixed time). */
async function until(probe: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** One socket of a run, with what it was sent as sent (TestPeer folds the same events). */
type Tab = {
  peer: TestPeer;
  participantId: string;
  sent: RoomEvent[];
  /** The reason `session:closed` gave, once it came. */
  closed: SessionClosedReason | null;
};

/** A personal invite and the tab that speaks for it now. */
type Seat = { invite: string; role: Role; tab: Tab };

/** What an action came to, for the run's log. */
type Outcome = { ok: boolean; text: string };

/** One room of one run, driven through real sockets. */
class Meeting {
  readonly seats: Seat[] = [];
  /** Every tab opened in the run, replaced and refused ones included. */
  readonly #tabs: Tab[] = [];
  readonly #peers: TestPeer[] = [];

  private constructor(
    readonly roomId: string,
    readonly publicLink: string,
  ) {}

  static async start(cast: Cast): Promise<Meeting> {
    const { roomId, hostInvite } = await createRoom(server, { open: false, defaultSpeechSeconds: SPEECH_SECONDS });
    const meeting = new Meeting(roomId, await invite(server, roomId, 'public', 'city'));
    try {
      await meeting.#seat(hostInvite, 'host', '主持人');
      if (cast.secretary) await meeting.#seat(await invite(server, roomId, 'secretary', 'city', '李记录'), 'secretary');
      for (const [i, s] of cast.speakers.entries()) {
        const tab = await meeting.#seat(await invite(server, roomId, s.role, s.venue, NAMES[i]), s.role);
        if (s.admitted) await meeting.host.command('lobby:admit', { participantId: tab.participantId });
      }
      if (cast.poll) {
        const outcome = await meeting.play({ kind: 'createPoll', ...cast.poll, allowChange: !cast.poll.secret, open: true });
        if (!outcome.ok) throw new Error(`the first poll: ${outcome.text}`);
      }
    } catch (error) {
      meeting.close();
      throw error;
    }
    return meeting;
  }

  get host(): TestPeer {
    const host = this.seats[0];
    if (!host) throw new Error('no host seat');
    return host.tab.peer;
  }

  async state(): Promise<RoomState> {
    const state = await server.rooms.state(this.roomId);
    if (!state) throw new Error(`no room ${this.roomId}`);
    return state;
  }

  /** Runs one action; refusals are outcomes, anything unexpected throws. */
  async play(a: Action): Promise<Outcome> {
    switch (a.kind) {
      case 'raise': {
        const by = await this.#choose(a.by, (p, s) => speaker(p) && !queued(p, s) && !holdsFloor(s, p.id));
        return this.#as(by, (peer) => peer.command('queue:raise', { speechType: a.speechType, note: '' }));
      }
      case 'withdraw':
        return this.#as(await this.#choose(a.by, queued), (peer) => peer.command('queue:withdraw', {}));
      case 'yield':
        return this.#as(await this.#choose(a.by, (p, s) => holdsFloor(s, p.id)), (peer) => peer.command('floor:yield', {}));
      case 'grant': {
        const t = a.target;
        const target =
          t.kind === 'participant'
            ? { kind: 'participant' as const, participantId: (await this.#choose(t.who, speaker)).participantId }
            : t.kind === 'venue'
              ? t
              : { kind: 'next' as const };
        return this.#asHost((peer) => peer.command('floor:grant', { target, seconds: SPEECH_SECONDS }));
      }
      case 'revoke':
        return this.#asHost((peer) => peer.command('floor:revoke', {}));
      case 'clock': {
        const stopped = (await this.state()).floor?.pausedAt != null;
        const outcome =
          stopped !== a.stray
            ? await this.#asHost((peer) => peer.command('floor:resume', {}))
            : await this.#asHost((peer) => peer.command('floor:pause', {}));
        return { ok: outcome.ok, text: `${stopped !== a.stray ? 'resume' : 'pause'}: ${outcome.text}` };
      }
      case 'createPoll': {
        const options = a.pollKind === 'single' ? ['方案甲', '方案乙', '方案丙'] : [];
        // A secret ballot cannot be changed: asking for both is refused, which is not what this step tries.
        const allowChange = a.secret ? false : a.allowChange;
        const created = await this.#asHost((peer) =>
          peer.command('poll:create', { question: '是否同意加装电梯？', kind: a.pollKind, options, secret: a.secret, allowChange }),
        );
        if (!created.ok || !a.open) return created;
        const pollId = (await this.state()).pollOrder.at(-1) ?? '';
        const opened = await this.#asHost((peer) => peer.command('poll:open', { pollId }));
        return { ok: opened.ok, text: `${created.text}, opened ${opened.text}` };
      }
      case 'openPoll': {
        const pollId = await this.#choosePoll(a.poll, 'draft');
        return this.#asHost((peer) => peer.command('poll:open', { pollId }));
      }
      case 'closePoll': {
        const pollId = await this.#choosePoll(a.poll, 'open');
        return this.#asHost((peer) => peer.command('poll:close', { pollId }));
      }
      case 'publishPoll': {
        const pollId = await this.#choosePoll(a.poll, 'closed');
        return this.#asHost((peer) => peer.command('poll:publish', { pollId }));
      }
      case 'vote': {
        const pollId = await this.#choosePoll(a.poll, 'open');
        const eligible = (p: Participant, s: RoomState): boolean => s.polls[pollId]?.eligible.includes(p.id) === true;
        const by = await this.#choose(
          a.by,
          (p, s) => eligible(p, s) && !s.polls[pollId]?.voted.includes(p.id),
          eligible,
          (p) => p.status === 'admitted' && VOTING_ROLES.includes(p.role),
        );
        const ballot = { pollId, choices: a.choices, ...(a.reason ? { reason: '费用分摊不公平' } : {}) };
        const first = await this.#as(by, (peer) => peer.command('poll:vote', ballot));
        if (!a.twice) return first;
        // The same ballot again as a new command: changes a changeable vote, is refused otherwise.
        const second = await this.#as(by, (peer) => peer.command('poll:vote', ballot));
        return { ok: first.ok || second.ok, text: `${first.text}, again ${second.text}` };
      }
      case 'forceMute': {
        // Whoever is speaking, if someone is: the mute must stop their speech as the host says.
        const before = await this.state();
        const speaking = speakingNow(before);
        const who = await this.#choose(a.who, (p) =>
          speaking !== null ? p.id === speaking : p.status === 'admitted' && p.role !== 'host' && !p.forceMuted,
        );
        const participantId = who.participantId;
        const outcome = await this.#asHost((peer) => peer.command('media:forceMute', { participantId, ...(a.floor ? { floor: a.floor } : {}) }));
        if (outcome.ok && speaking === participantId) await this.#speechStopped(a.floor);
        return outcome;
      }
      case 'muteAll': {
        const before = await this.state();
        const running = before.floor !== null && before.floor.pausedAt === null;
        const outcome = await this.#asHost((peer) => peer.command('media:muteAll', a.floor ? { floor: a.floor } : {}));
        if (outcome.ok && running) await this.#speechStopped(a.floor);
        return outcome;
      }
      case 'allowUnmute':
        return this.#asHost((peer) => peer.command('media:allowUnmute', {}));
      case 'admit': {
        const { participantId } = await this.#choose(a.who, (p) => p.status === 'lobby');
        return this.#asHost((peer) => peer.command('lobby:admit', { participantId }));
      }
      case 'admitAll':
        return this.#asHost((peer) => peer.command('lobby:admitAll', {}));
      case 'deny': {
        const { participantId } = await this.#choose(a.who, (p) => p.status === 'lobby');
        return this.#asHost((peer) => peer.command('lobby:deny', { participantId }));
      }
      case 'remove': {
        const { participantId } = await this.#choose(a.who, (p) => (p.status === 'admitted' || p.status === 'lobby') && p.role !== 'host');
        return this.#asHost((peer) => peer.command('participant:remove', { participantId }));
      }
      case 'reopen':
        return this.#reopen(a.seat);
      case 'openPublic':
        return this.#openPublic();
    }
  }

  /** Checks every invariant on the state the server holds now and on every client. */
  async check(): Promise<void> {
    const state = await this.state();
    // Wait for events, never a time: the host's client has folded all the server recorded.
    await this.host.waitForRoom((s) => s.seq === state.seq, WAIT_MS);
    expect((await this.state()).seq, 'nothing is recorded between steps').toBe(state.seq);

    // The log: seq 1, 2, 3 … without a hole, folding to the state the server serves.
    const log = await server.store.read(this.roomId);
    expect(log.map((e) => e.seq)).toEqual(Array.from({ length: state.seq }, (_, i) => i + 1));
    expect(applyAll(emptyRoom(this.roomId), log)).toEqual(state);

    // One floor at most; a person holding it is an admitted speaker, out of the queue.
    const holders = Object.keys(state.participants).filter((id) => holdsFloor(state, id));
    const floor = state.floor;
    if (floor === null) {
      expect(holders).toEqual([]);
    } else if (floor.holder.kind === 'participant') {
      const id = floor.holder.participantId;
      expect(holders).toEqual([id]);
      expect(state.participants[id]?.status).toBe('admitted');
      expect(SPEAKING_ROLES).toContain(state.participants[id]?.role);
      expect(state.queue.entries.map((q) => q.participantId)).not.toContain(id);
    } else {
      const venue = floor.holder.venue;
      expect(state.info.venues.map((v) => v.id)).toContain(venue);
      for (const id of holders) expect(state.participants[id]?.venue).toBe(venue);
    }
    // The queue: each hand once, each an admitted speaker's.
    const hands = state.queue.entries.map((q) => q.participantId);
    expect(new Set(hands).size).toBe(hands.length);
    for (const id of hands) {
      expect(state.participants[id]?.status).toBe('admitted');
      expect(SPEAKING_ROLES).toContain(state.participants[id]?.role);
    }

    // Ballots: never more voters than eligible, nobody ineligible, each counted once.
    for (const poll of Object.values(state.polls)) {
      expect(poll.voted.length).toBeLessThanOrEqual(poll.eligible.length);
      expect(new Set(poll.voted).size).toBe(poll.voted.length);
      for (const voter of poll.voted) expect(poll.eligible).toContain(voter);
      if (poll.secret) expect(poll.choices).toEqual({});
      if (poll.result) expect(poll.result).toMatchObject({ votes: poll.voted.length, eligible: poll.eligible.length });
    }

    // A personal invite is one participant, whatever its tabs did.
    const byInvite = new Map<string, string[]>();
    for (const p of Object.values(state.participants)) {
      if (p.role === 'public') continue;
      byInvite.set(p.inviteId, [...(byInvite.get(p.inviteId) ?? []), p.id]);
    }
    for (const [inviteId, ids] of byInvite) expect(ids, `participants of invite ${inviteId}`).toHaveLength(1);
    for (const seat of this.seats) expect(state.participants[seat.tab.participantId]?.role).toBe(seat.role);

    // Every tab of the run, replaced ones included, folded what it got without a gap; one
    // whose participant waits in the lobby was sent nothing of the meeting.
    for (const tab of this.#tabs) {
      expect(tab.peer.gaps).toEqual([]);
      if (state.participants[tab.participantId]?.status === 'lobby') {
        expect(tab.sent.filter((e) => e.type !== 'room.ended')).toEqual([]);
      }
    }

    // The tabs that speak for someone now.
    for (const tab of this.seats.map((s) => s.tab)) {
      const p = state.participants[tab.participantId];
      if (!p) throw new Error(`participant ${tab.participantId} of a tab is not in the room`);
      switch (p.status) {
        case 'admitted': {
          const room = await tab.peer.waitForRoom((s) => s.seq === state.seq, WAIT_MS);
          expect(room, `the room as ${p.role} ${p.name} holds it`).toEqual(stateForViewer(state, { participantId: p.id, role: p.role }));
          break;
        }
        case 'lobby': {
          const sync = await tab.peer.request('room:sync', {});
          if (sync.kind !== 'lobby') throw new Error(`a lobby tab was answered ${sync.kind}`);
          expect(Object.keys(sync.state.participants)).toEqual([p.id]);
          expect(sync.state).toEqual(lobbyView(state, p.id));
          break;
        }
        case 'denied':
        case 'removed':
          await until(() => tab.closed === p.status && tab.peer.socket.disconnected, `the ${p.status} tab to be told and dropped`);
          break;
        case 'left':
          // Nobody leaves during a run (no tab closes before its end).
          throw new Error(`${p.name} left during the run`);
      }
    }
  }

  /** Closes every socket of the run. */
  close(): void {
    for (const p of this.#peers) p.close();
  }

  /**
   * The tab of the participant `pick` names among those who fit (see Pick): the first of
   * `tiers` that anybody fits, else everybody.
   */
  async #choose(pick: Pick, ...tiers: Array<(p: Participant, s: RoomState) => boolean>): Promise<Tab> {
    const s = await this.state();
    const all = this.seats.map((seat) => seat.tab);
    const fitting = (fits: (p: Participant, s: RoomState) => boolean): Tab[] =>
      all.filter((tab) => {
        const p = s.participants[tab.participantId];
        return p !== undefined && fits(p, s);
      });
    const pool = (pick.stray ? [] : tiers.map(fitting)).find((tabs) => tabs.length > 0) ?? all;
    const tab = pool[pick.n % pool.length];
    if (!tab) throw new Error('nobody in the run');
    return tab;
  }

  /** The poll `pick` names among those in `status` (see Pick); before any exists, one that does not. */
  async #choosePoll(pick: Pick, status: PollStatus): Promise<string> {
    const polls = pollsInOrder(await this.state());
    const fitting = pick.stray ? [] : polls.filter((p) => p.status === status);
    const pool = fitting.length > 0 ? fitting : polls;
    return pool[pick.n % Math.max(pool.length, 1)]?.id ?? 'poll-1';
  }

  async #as(tab: Tab, run: (peer: TestPeer) => Promise<number>): Promise<Outcome> {
    // A removed or denied participant's tab was dropped by the server: nothing to send on.
    if (tab.peer.socket.disconnected) return { ok: false, text: 'skipped: tab closed' };
    return this.#attempt(tab.peer, run);
  }

  #asHost(run: (peer: TestPeer) => Promise<number>): Promise<Outcome> {
    return this.#attempt(this.host, run);
  }

  async #attempt(peer: TestPeer, run: (peer: TestPeer) => Promise<number>): Promise<Outcome> {
    const before = (await this.state()).seq;
    try {
      return { ok: true, text: `ok @${await run(peer)}` };
    } catch (error) {
      if (!(error instanceof RequestError)) throw error;
      expect(REFUSALS, `refused with ${error.message}`).toContain(error.code);
      expect((await this.state()).seq, `a refused command (${error.code}) records nothing`).toBe(before);
      return { ok: false, text: error.code };
    }
  }

  /** A mute of the one speaking ended or paused their speech, as the host chose. */
  async #speechStopped(floor: 'end' | 'pause' | null): Promise<void> {
    const after = await this.state();
    if (floor === 'end') expect(after.floor).toBeNull();
    else expect(after.floor?.pausedAt).not.toBeNull();
  }

  /** Opens a tab and joins; answers the tab, or the refusal of the join. */
  async #open(inviteToken: string, name?: string): Promise<Tab | RequestError> {
    const peer = await TestPeer.connect(server.url);
    this.#peers.push(peer);
    const tab: Tab = { peer, participantId: '', sent: [], closed: null };
    peer.socket.on('room:events', (message) => tab.sent.push(...unpackEvents(message)));
    peer.socket.on('session:closed', ({ reason }) => {
      tab.closed = reason;
    });
    try {
      tab.participantId = (await peer.join(inviteToken, name)).participantId;
    } catch (error) {
      if (!(error instanceof RequestError)) throw error;
      peer.close();
      return error;
    }
    this.#tabs.push(tab);
    return tab;
  }

  async #seat(inviteToken: string, role: Role, name?: string): Promise<Tab> {
    const tab = await this.#open(inviteToken, name);
    if (tab instanceof RequestError) throw tab;
    this.seats.push({ invite: inviteToken, role, tab });
    return tab;
  }

  /** The same invite opened in a new tab: it takes the seat over, the old tab is told and dropped. */
  async #reopen(pick: number): Promise<Outcome> {
    const seat = this.seats[pick % this.seats.length];
    if (!seat) throw new Error('no seats');
    const old = seat.tab;
    const status = (await this.state()).participants[old.participantId]?.status;
    const opened = await this.#open(seat.invite);
    if (status === 'denied' || status === 'removed') {
      // Turned away is turned away, whatever tab comes back.
      expect(opened).toBeInstanceOf(RequestError);
      expect(opened).toMatchObject({ code: 'FORBIDDEN' });
      return { ok: false, text: 'FORBIDDEN (rejoin)' };
    }
    if (opened instanceof RequestError) throw opened;
    expect(opened.participantId, 'the same invite is the same participant').toBe(old.participantId);
    await until(() => old.closed === 'replaced' && old.peer.socket.disconnected, 'the replaced tab to be told and dropped');
    seat.tab = opened;
    return { ok: true, text: `reopened ${seat.role}` };
  }

  /** A visitor tries the shared public link as a seat: refused, nothing recorded (the public watches). */
  async #openPublic(): Promise<Outcome> {
    const before = await this.state();
    const opened = await this.#open(this.publicLink, '市民');
    expect(opened).toBeInstanceOf(RequestError);
    expect(opened).toMatchObject({ code: 'AUDIENCE_ONLY' });
    expect((await this.state()).seq).toBe(before.seq);
    return { ok: false, text: 'AUDIENCE_ONLY (public link)' };
  }
}

test('random meetings keep their invariants after every step, on the server and at every client', async () => {
  const started = performance.now();
  let runs = 0;
  /** Per kind of action: how often it took effect and how often it was refused (or skipped). */
  const tally = new Map<Action['kind'], { ok: number; no: number }>();
  await fc.assert(
    fc.asyncProperty(castArb, fc.array(actionArb, { minLength: 20, maxLength: 30 }), fc.context(), async (cast, actions, ctx) => {
      runs += 1;
      const meeting = await Meeting.start(cast);
      try {
        await meeting.check();
        for (const [i, action] of actions.entries()) {
          const outcome = await meeting.play(action);
          const count = tally.get(action.kind) ?? { ok: 0, no: 0 };
          count[outcome.ok ? 'ok' : 'no'] += 1;
          tally.set(action.kind, count);
          ctx.log(`${i}: ${JSON.stringify(action)} → ${outcome.text}`);
          await meeting.check();
        }
      } finally {
        meeting.close();
      }
    }),
    // Shrinking a failure replays meetings against the server: it is cut off (and reported with
    // the smallest meeting found so far) before the test's own timeout.
    { numRuns: 20, interruptAfterTimeLimit: 150_000, markInterruptAsFailure: true },
  );
  const kinds = [...tally].map(([kind, { ok, no }]) => `${kind} ${ok}/${ok + no}`).join(', ');
  console.log(`model: ${runs} meetings in ${((performance.now() - started) / 1000).toFixed(1)} s; actions that took effect: ${kinds}`);
}, 180_000);
