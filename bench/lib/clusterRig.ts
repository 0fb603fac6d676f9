/**
 * One configuration of the cluster benchmark: a room served by one or more server processes,
 * its host on the first, N members (lobby-admitted, no media) placed round-robin on the
 * processes, and the two things measured on it: a vote storm and one fan-out command.
 * Arrivals are kept per process, so a two-process room tells the clients of the host's process
 * from those the events reach through Redis.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { ClientCommandPayload } from '../../signaling/room/commands.js';
import { createRoom, issueInvites } from './admin.js';
import {
  AckError,
  Arrivals,
  connect,
  failOnDisconnect,
  inBatches,
  isRecord,
  joinRoom,
  request,
  seqOf,
  wireEvents,
  type BenchSocket,
  type DisconnectWatch,
  type WireEvent,
} from './clients.js';
import { JOINS_IN_FLIGHT_PER_ADDRESS } from './oneAddress.js';
import type { BenchServer } from './serverProcess.js';
import { storm, type StormResult } from './storm.js';
import { countedVotes, eligibleCount, pollIdOf, recordPublished, type PublishedResults } from './voteEvents.js';

const STEP_TIMEOUT_MS = 60_000;
/** Every member must have every vote's event within this after the storm began. */
const DRAIN_TIMEOUT_MS = 120_000;

/** The clients of one server process, and the reasons any of them were disconnected. */
type Group = { server: BenchServer; clients: BenchSocket[]; arrivals: Arrivals; lost: Map<string, number> };

/** What one vote storm did. */
export type VoteRound = {
  votes: StormResult;
  /** Failed votes by reason (`CONFLICT`, a timeout, …). */
  failed: Map<string, number>;
  /** From the first vote sent to the last vote's event at every member, ms. */
  drainMs: number;
  /**
   * `room:events` messages a member received for the storm, on average: the server sends the
   * events of one turn of its event loop as one message, so this shows how far votes were
   * batched (1 vote per message at worst).
   */
  messagesPerMember: number;
  /** Votes in the published result (checked against the acked votes, per option). */
  counted: number;
  /** From `poll:close` to `poll.published` at every member, ms. */
  publishMs: number;
};

/**
 * What the members received after the set-up, seq by seq: each member must see every event
 * once and in order, whichever process it is on (the issue's "no gaps and no duplicates").
 */
class SeqCheck {
  #last: number[] = [];
  duplicates = 0;
  missing = 0;

  /** Starts checking; every member has received `seq` and nothing after it. */
  arm(members: number, seq: number): void {
    this.#last = new Array<number>(members).fill(seq);
  }

  /** Member `index` received `seq`. */
  see(index: number, seq: number): void {
    const last = this.#last[index];
    if (last === undefined) return;
    if (seq <= last) this.duplicates++;
    else if (seq > last + 1) this.missing += seq - last - 1;
    this.#last[index] = Math.max(last, seq);
  }

  /** `every member got every event once, in order`, or what went wrong. */
  summary(): string {
    if (this.duplicates === 0 && this.missing === 0) return 'every member got every event once, in order';
    return `${this.duplicates} events received again or out of order, ${this.missing} missing (over all members)`;
  }
}

/** One fan-out command: its latency to each client, per process (the host's first), ms. */
export type FanOut = { perServer: number[][] };

/**
 * The host's copy of the poll events the rig reads. The ack of a command can come before its
 * events (the server batches events per turn of its event loop), so readers wait for a seq.
 */
class HostEvents {
  readonly #events = new Map<number, WireEvent>();
  readonly #waiters = new Map<number, (event: WireEvent) => void>();

  constructor(socket: BenchSocket, onError: (error: Error) => void) {
    socket.on('room:events', (payload: unknown) => {
      try {
        for (const event of wireEvents(payload)) {
          if (event.type !== 'poll.created' && event.type !== 'poll.opened') continue;
          this.#events.set(event.seq, event);
          this.#waiters.get(event.seq)?.(event);
        }
      } catch (error) {
        onError(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  /** The poll event recorded at `seq`, once the host has it. */
  get(seq: number): Promise<WireEvent> {
    const known = this.#events.get(seq);
    if (known) return Promise.resolve(known);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(seq);
        reject(new Error(`the host did not receive seq ${seq} in ${STEP_TIMEOUT_MS} ms`));
      }, STEP_TIMEOUT_MS);
      this.#waiters.set(seq, (event) => {
        clearTimeout(timer);
        this.#waiters.delete(seq);
        resolve(event);
      });
    });
  }
}

/** A room of one configuration, ready to measure. */
export class RoomRig {
  readonly label: string;
  readonly n: number;
  readonly #servers: readonly BenchServer[];
  readonly #host: BenchSocket;
  readonly #hostEvents: HostEvents;
  readonly #members: BenchSocket[];
  readonly #groups: Group[];
  readonly #results: PublishedResults;
  readonly #disconnects: DisconnectWatch;
  /** `room:events` messages received by all members so far. */
  readonly #received: { messages: number };
  readonly #order: SeqCheck;
  #queueOpen = true;
  #commands = 0;
  #lastSeq = 0;

  private constructor(init: {
    label: string;
    servers: readonly BenchServer[];
    host: BenchSocket;
    hostEvents: HostEvents;
    members: BenchSocket[];
    groups: Group[];
    results: PublishedResults;
    disconnects: DisconnectWatch;
    received: { messages: number };
    order: SeqCheck;
    lastSeq: number;
  }) {
    this.label = init.label;
    this.n = init.members.length;
    this.#servers = init.servers;
    this.#host = init.host;
    this.#hostEvents = init.hostEvents;
    this.#members = init.members;
    this.#groups = init.groups;
    this.#results = init.results;
    this.#disconnects = init.disconnects;
    this.#received = init.received;
    this.#order = init.order;
    this.#lastSeq = init.lastSeq;
  }

  /**
   * Creates a room (not open, so members wait in the lobby without media) on the first server,
   * joins its host there and `n` members round-robin over `servers`, and admits them all.
   * Every socket made is pushed to `sockets` at once, so the caller can close them on failure.
   */
  static async open(label: string, servers: readonly BenchServer[], n: number, sockets: BenchSocket[]): Promise<RoomRig> {
    const first = servers[0];
    if (!first) throw new TypeError('a room needs a server');
    const api = { url: first.url, adminSecret: first.adminSecret };
    const { roomId, hostInvite } = await createRoom(api, n, { open: false });
    const groups: Group[] = servers.map((server) => ({ server, clients: [], arrivals: new Arrivals(), lost: new Map() }));
    const fail = (error: Error): void => {
      for (const g of groups) g.arrivals.fail(error);
    };
    const host = await connect(first.url);
    sockets.push(host);
    const hostEvents = new HostEvents(host, fail);
    await joinRoom(host, hostInvite, '主持人');
    const invites = await issueInvites(api, roomId, 'member', n);
    const results: PublishedResults = new Map();
    const received = { messages: 0 };
    const order = new SeqCheck();
    const members = await inBatches(invites, JOINS_IN_FLIGHT_PER_ADDRESS, async (invite, i) => {
      const group = groups[i % groups.length];
      if (!group) throw new RangeError(`no group for member ${i}`);
      const socket = await connect(group.server.url);
      sockets.push(socket);
      group.arrivals.track(socket, (event) => recordPublished(results, event));
      socket.on('disconnect', (reason) => group.lost.set(reason, (group.lost.get(reason) ?? 0) + 1));
      socket.on('room:events', (payload: unknown) => {
        received.messages++;
        // Malformed payloads are failed by the arrivals' own listener.
        if (isRecord(payload) && Array.isArray(payload.events)) {
          for (const e of payload.events) if (isRecord(e) && typeof e.seq === 'number') order.see(i, e.seq);
        }
      });
      if ((await joinRoom(socket, invite, `委员${i + 1}`)).withMedia) throw new Error('a lobby member got media at join');
      group.clients.push(socket);
      return socket;
    });
    const disconnects = failOnDisconnect(
      [host, ...members],
      groups.map((g) => g.arrivals),
    );
    const admitted = seqOf(await request(host, 'lobby:admitAll', { commandId: randomUUID() }));
    const rig = new RoomRig({ label, servers, host, hostEvents, members, groups, results, disconnects, received, order, lastSeq: admitted });
    await rig.#arrivedEverywhere(admitted, STEP_TIMEOUT_MS);
    // NOTE: armed only now: a joiner may get an event twice by design (the catch-up after its
    // join answer overlaps what the room's channel sends it meanwhile; clients drop seqs they
    // hold). From here on nobody joins, so any repeat or gap is the cluster's.
    order.arm(n, admitted);
    return rig;
  }

  /** The processes serving the room, the host's first. */
  get servers(): readonly BenchServer[] {
    return this.#servers;
  }

  /** Whether every member got every event since the set-up once and in order, in words. */
  order(): { ok: boolean; summary: string } {
    return { ok: this.#order.duplicates === 0 && this.#order.missing === 0, summary: this.#order.summary() };
  }

  /** Disconnects seen so far, `N × reason, …`, or ''. */
  disconnects(): string {
    return this.#disconnects.summary();
  }

  /** Stops treating disconnects as failures (the run is over). */
  stopWatching(): void {
    this.#disconnects.stop();
  }

  /**
   * A yes/no poll opened for all N members; the first `voters` of them (alternating between
   * the processes) vote within `spreadMs`; then close and publish, and check the count.
   */
  async voteRound(round: number, voters: number, spreadMs: number): Promise<VoteRound> {
    const created = await this.#command('poll:create', { question: `第 ${round + 1} 轮：是否同意加装电梯方案？`, kind: 'yesno' });
    const pollId = pollIdOf(await this.#hostEvents.get(created));
    const opened = await this.#command('poll:open', { pollId });
    const eligible = eligibleCount(await this.#hostEvents.get(opened));
    if (eligible !== this.n) throw new Error(`${this.label}: poll opened with ${eligible} eligible voters, expected ${this.n}`);
    await this.#arrivedEverywhere(opened, STEP_TIMEOUT_MS);

    const expected = [0, 0, 0];
    const messagesBefore = this.#received.messages;
    const stormStart = performance.now();
    const votes = await storm(voters, spreadMs, async (i) => {
      const choice = i % 3;
      const member = this.#members[i];
      if (!member) throw new RangeError(`no member ${i}`);
      const payload: ClientCommandPayload<'poll:vote'> = { pollId, choices: [choice], commandId: randomUUID() };
      const seq = seqOf(await request(member, 'poll:vote', payload));
      expected[choice] = (expected[choice] ?? 0) + 1;
      return seq;
    });
    const failed = new Map<string, number>();
    for (const f of votes.failures) {
      const reason = f instanceof AckError ? f.code : f.message;
      failed.set(reason, (failed.get(reason) ?? 0) + 1);
    }
    if (votes.latencies.length === 0) throw new Error(`${this.label}: every vote failed: ${reasons(failed)}`);
    const drained = await this.#arrivedEverywhere(votes.maxAnswer, DRAIN_TIMEOUT_MS);
    const drainMs = Math.max(...drained) - stormStart;
    const messagesPerMember = (this.#received.messages - messagesBefore) / this.n;

    const closeAt = performance.now();
    await this.#command('poll:close', { pollId });
    const published = await this.#command('poll:publish', { pollId });
    const received = await this.#arrivedEverywhere(published, STEP_TIMEOUT_MS);
    // Throws unless every member got the same result and it counts each acked vote once.
    const counted = countedVotes(this.#results, pollId, this.n, expected);
    return { votes, failed, drainMs, messagesPerMember, counted, publishMs: Math.max(...received) - closeAt };
  }

  /**
   * One host command that every member sees (toggling the speaking queue, or drafting a poll,
   * in turn), timed from its emit to its `room:events` at each member.
   */
  async fanOut(): Promise<FanOut> {
    const sentAt = performance.now();
    const seq =
      this.#commands++ % 2 === 0
        ? await this.#command('queue:setOpen', { open: (this.#queueOpen = !this.#queueOpen) })
        : await this.#command('poll:create', { question: `议程第 ${this.#commands} 项`, kind: 'yesno' });
    const perServer = await this.#wait(seq, STEP_TIMEOUT_MS);
    return { perServer: perServer.map((times) => times.map((at) => at - sentAt)) };
  }

  /** Every arrival time of `seq`, once all N members have it. */
  async #arrivedEverywhere(seq: number, timeoutMs: number): Promise<number[]> {
    return (await this.#wait(seq, timeoutMs)).flat();
  }

  /** Arrival times of `seq` per process; a failure says which room and whose clients were lost. */
  async #wait(seq: number, timeoutMs: number): Promise<number[][]> {
    try {
      return await Promise.all(this.#groups.map((g) => g.arrivals.waitFor(seq, g.clients.length, timeoutMs)));
    } catch (error) {
      const lost = this.#groups
        .filter((g) => g.lost.size > 0)
        .map((g) => `clients of ${g.server.name}: ${reasons(g.lost)}`)
        .join('; ');
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`${this.label}, waiting for seq ${seq}: ${reason}${lost ? ` (${lost})` : ''}`, { cause: error });
    }
  }

  /** Sends a host command; answers its seq, which must be new (a no-op command has no event to wait for). */
  async #command<T extends 'poll:create' | 'poll:open' | 'poll:close' | 'poll:publish' | 'queue:setOpen'>(
    type: T,
    fields: Omit<ClientCommandPayload<T>, 'commandId'>,
  ): Promise<number> {
    const seq = seqOf(await request(this.#host, type, { ...fields, commandId: randomUUID() }));
    if (seq <= this.#lastSeq) throw new Error(`${this.label}: ${type} recorded no event (seq ${seq})`);
    this.#lastSeq = seq;
    return seq;
  }
}

/** `N × reason, …`. */
export function reasons(counts: ReadonlyMap<string, number>): string {
  return [...counts].map(([reason, count]) => `${count} × ${reason}`).join(', ');
}
