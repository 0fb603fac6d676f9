/**
 * The abuser of bench/abuse.ts, a process of its own (started by lib/abuserHost.ts, speaking
 * lib/abuserProtocol.ts over the IPC channel), so that its floods neither share an event loop
 * with the honest clients whose latency is measured nor count as their CPU time.
 *
 * While a phase runs, at the same time:
 *   (a) the member: one member of the room floods commands — `queue:raise`, `queue:withdraw`,
 *       `poll:vote` changes and junk payloads, in turn — keeping `window` requests in flight
 *       per socket, a new one sent as each answer comes back. `one-socket`: on its one joined
 *       socket. `several-sockets`: on several sockets of the same invite; a seat has one
 *       connection (roomHandlers.ts `takeSeat`), so each join takes the seat over and drops
 *       the socket that held it, which connects and joins again: the flood rides on whichever
 *       socket holds the seat, and every socket is new to the per-socket limit;
 *   (b) a stranger floods `room:join` with forged invites (random strings, tokens signed with
 *       another key) and genuine but expired ones, from its own address, on several sockets;
 *       the sockets the server closes for never joining are replaced;
 *   (c) the same stranger keeps many sockets connected that never join; those the server
 *       closes (JOIN_TIMEOUT) are replaced at once.
 * Nothing here waits for a `retryAfterMs`: it is counted, not obeyed.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { SignJWT } from 'jose';
import { PROTOCOL_VERSION } from '../../signaling/protocol.js';
import type { ClientCommandPayload } from '../../signaling/room/commands.js';
import type { JoinRoom } from '../../signaling/schemas.js';
import { AbuserOptions, ToAbuser, type AbuseReport, type FloodMode, type FromAbuser, type Tally } from './abuserProtocol.js';
import { connect, isRecord, request, type BenchSocket } from './clients.js';

/** How long answers to what is in flight may take after a phase stops. */
const DRAIN_MS = 3000;
/** Invites of each bad kind, signed once and sent in turn. */
const TOKENS_PER_KIND = 16;

const options = AbuserOptions.parse(JSON.parse(process.argv[2] ?? 'null'));

function tell(message: FromAbuser): void {
  if (!process.send) throw new TypeError('abuser.ts runs as a child process with an IPC channel (see abuserHost.ts)');
  process.send(message);
}

/** One request: what it is counted as, its event and its payload. */
type Req = { kind: string; event: string; payload: unknown };

/** One of the abuser's sockets and its requests in flight. */
type Conn = { socket: BenchSocket; outstanding: number; alive: boolean; closed: Promise<string> };

/** The sockets alive now (for the drain at the end of a phase). */
const conns = new Set<Conn>();

async function open(address: string): Promise<Conn> {
  const socket = await connect(options.url, address);
  let closed!: (reason: string) => void;
  const conn: Conn = { socket, outstanding: 0, alive: true, closed: new Promise((resolve) => (closed = resolve)) };
  conns.add(conn);
  // The server tells why it drops a member socket (`replaced`) just before it does.
  let told: string | null = null;
  socket.on('session:closed', (payload: unknown) => {
    if (isRecord(payload) && typeof payload.reason === 'string') told = payload.reason;
  });
  socket.on('disconnect', (reason) => {
    conn.alive = false;
    conns.delete(conn);
    closed(told ?? reason);
  });
  return conn;
}

/** One phase: its counts, and whether it still runs. */
class Phase {
  readonly startedAt = performance.now();
  readonly #tallies = new Map<string, Tally>();
  readonly memberDrops = new Map<string, number>();
  forgedSocketDrops = 0;
  readonly idle = { connected: 0, droppedByServer: 0, connectErrors: 0 };
  #retryMin = Infinity;
  #retryMax = -Infinity;
  running = true;
  /** Sockets opened for this phase only, closed when it stops. */
  readonly extras = new Set<Conn>();
  readonly #stopped: Promise<void>;
  #stop!: () => void;

  constructor(
    readonly mode: FloodMode,
    readonly pollId: string,
  ) {
    this.#stopped = new Promise((resolve) => (this.#stop = resolve));
  }

  /** Resolves when the phase stops. */
  get stopped(): Promise<void> {
    return this.#stopped;
  }

  stop(): void {
    this.running = false;
    this.#stop();
  }

  tally(kind: string): Tally {
    let tally = this.#tallies.get(kind);
    if (!tally) {
      tally = { sent: 0, ok: 0, rateLimited: 0, rateLimitedWithoutRetry: 0, errors: {}, unanswered: 0 };
      this.#tallies.set(kind, tally);
    }
    return tally;
  }

  /** Counts an answer; true if it was ok. */
  answer(kind: string, answer: unknown): boolean {
    const tally = this.tally(kind);
    if (isRecord(answer) && answer.ok === true) {
      tally.ok++;
      return true;
    }
    const code = isRecord(answer) && answer.ok === false && typeof answer.error === 'string' ? answer.error : 'malformed ack';
    if (code === 'RATE_LIMITED') {
      tally.rateLimited++;
      const retry = isRecord(answer) ? answer.retryAfterMs : undefined;
      if (typeof retry === 'number' && Number.isFinite(retry) && retry >= 0) {
        this.#retryMin = Math.min(this.#retryMin, retry);
        this.#retryMax = Math.max(this.#retryMax, retry);
      } else {
        tally.rateLimitedWithoutRetry++;
      }
    } else {
      tally.errors[code] = (tally.errors[code] ?? 0) + 1;
    }
    return false;
  }

  /** Each kind's tally with what was never answered, and the `retryAfterMs` range. */
  final(kind: string): Tally {
    const t = this.tally(kind);
    const answered = t.ok + t.rateLimited + Object.values(t.errors).reduce((sum, n) => sum + n, 0);
    return { ...t, errors: { ...t.errors }, unanswered: t.sent - answered };
  }

  retryRange(): { min: number; max: number } | null {
    return Number.isFinite(this.#retryMin) ? { min: this.#retryMin, max: this.#retryMax } : null;
  }
}

/** Sends one request on `conn` and counts its answer in `phase`. */
function emit(phase: Phase, conn: Conn, req: Req, answered: (ok: boolean, answer: unknown) => void): void {
  phase.tally(req.kind).sent++;
  conn.outstanding++;
  conn.socket.emit(req.event, req.payload, (answer: unknown) => {
    conn.outstanding--;
    answered(phase.answer(req.kind, answer), answer);
  });
}

/** Keeps `options.window` requests in flight on `conn` while the phase runs and `next` has one. */
function pump(phase: Phase, conn: Conn, next: () => Req | null): void {
  while (phase.running && conn.alive && conn.outstanding < options.window) {
    const req = next();
    if (!req) return;
    emit(phase, conn, req, () => pump(phase, conn, next));
  }
}

/** Commands made so far, on every socket and in every phase: each gets its own id. */
let commandCount = 0;

/** The member's requests in turn: raise, withdraw, vote, junk. */
function memberRequests(pollId: string): () => Req {
  let n = 0;
  return () => {
    const i = n++;
    // Unique across sockets and phases: a repeated id is answered from its first result,
    // which would pass for an accepted command that appended nothing.
    const commandId = `abuse-${process.pid}-${commandCount++}`;
    switch (i % 4) {
      case 0: {
        const payload: ClientCommandPayload<'queue:raise'> = { speechType: 'statement', note: '我还要说', commandId };
        return { kind: 'queue:raise', event: 'queue:raise', payload };
      }
      case 1: {
        const payload: ClientCommandPayload<'queue:withdraw'> = { commandId };
        return { kind: 'queue:withdraw', event: 'queue:withdraw', payload };
      }
      case 2: {
        const payload: ClientCommandPayload<'poll:vote'> = { pollId, choices: [(i >> 2) % 3], commandId };
        return { kind: 'poll:vote', event: 'poll:vote', payload };
      }
      default:
        return junk(i >> 2, commandId);
    }
  };
}

/** Payloads no schema accepts: wrong types, unknown values, a note 40 times too long, no object at all. */
function junk(i: number, commandId: string): Req {
  const variants: Array<[string, unknown]> = [
    ['queue:raise', { speechType: 'shouting', note: '', commandId }],
    ['poll:vote', { pollId: 42, choices: 'all of them', commandId }],
    ['queue:raise', 'x'.repeat(1024)],
    ['queue:raise', { speechType: 'statement', note: '长'.repeat(8000), commandId }],
    ['queue:withdraw', { commandId: '!' }],
    ['room:sync', { lastSeq: -1 }],
  ];
  const [event, payload] = variants[i % variants.length] ?? ['queue:withdraw', null];
  return { kind: 'junk', event, payload };
}

function joinPayload(invite: string, name: string): JoinRoom {
  return { protocolVersion: PROTOCOL_VERSION, invite, name, rtpCapabilities: {} };
}

/** One of the member's sockets: it joins with the invite and floods while it holds the seat. */
type Lane = { conn: Conn | null; joined: boolean; joinedAt: number };

/** Joins a lane's socket with the member's invite; true if it now holds the seat. */
async function joinLane(phase: Phase, lane: Lane): Promise<boolean> {
  const conn = lane.conn;
  if (!conn?.alive) return false;
  const ok = await new Promise<boolean>((resolve) => {
    emit(phase, conn, { kind: 'member-join', event: 'room:join', payload: joinPayload(options.memberInvite, '捣乱者') }, resolve);
    // A socket dropped mid-join never answers.
    void conn.closed.then(() => resolve(false));
  });
  if (!ok || !conn.alive) return false;
  holdSeat(lane, conn);
  return true;
}

/** `conn` of `lane` holds the member's seat until it is dropped. */
function holdSeat(lane: Lane, conn: Conn): void {
  lane.joined = true;
  lane.joinedAt = performance.now();
  void conn.closed.then(() => {
    if (lane.conn === conn) lane.joined = false;
  });
}

async function openLane(lane: Lane): Promise<void> {
  lane.conn = await open(options.memberAddress);
  lane.joined = false;
}

/** Floods from one lane until the phase stops: (re)connect, (re)join, flood, again. */
async function runLane(phase: Phase, lane: Lane): Promise<void> {
  const next = memberRequests(phase.pollId);
  while (phase.running) {
    if (!lane.conn?.alive) {
      try {
        await openLane(lane);
      } catch {
        phase.memberDrops.set('connect failed', (phase.memberDrops.get('connect failed') ?? 0) + 1);
        await Promise.race([sleep(50), phase.stopped]);
        continue;
      }
    }
    const conn = lane.conn;
    if (!conn) continue;
    if (!lane.joined) {
      // Refused (the address or the link is out of joins): ask again at once.
      await joinLane(phase, lane);
      continue;
    }
    pump(phase, conn, next);
    const reason = await Promise.race([conn.closed, phase.stopped.then(() => null)]);
    if (reason !== null) phase.memberDrops.set(reason, (phase.memberDrops.get(reason) ?? 0) + 1);
  }
}

/** (b): floods `room:join` with bad invites on one socket at a time, replacing dropped sockets. */
async function runForgedJoins(phase: Phase, tokens: readonly string[]): Promise<void> {
  let n = 0;
  const next = (): Req => ({ kind: 'forged-join', event: 'room:join', payload: joinPayload(tokens[n++ % tokens.length] ?? 'x'.repeat(16), '路人') });
  while (phase.running) {
    let conn: Conn;
    try {
      conn = await open(options.strangerAddress);
    } catch {
      phase.idle.connectErrors++;
      await Promise.race([sleep(50), phase.stopped]);
      continue;
    }
    phase.extras.add(conn);
    pump(phase, conn, next);
    const reason = await Promise.race([conn.closed, phase.stopped.then(() => null)]);
    if (reason !== null) phase.forgedSocketDrops++;
  }
}

/** (c): one socket that connects and never joins, replaced whenever the server closes it. */
async function runIdle(phase: Phase): Promise<void> {
  while (phase.running) {
    let conn: Conn;
    try {
      conn = await open(options.strangerAddress);
      phase.idle.connected++;
    } catch {
      phase.idle.connectErrors++;
      await Promise.race([sleep(100), phase.stopped]);
      continue;
    }
    phase.extras.add(conn);
    const reason = await Promise.race([conn.closed, phase.stopped.then(() => null)]);
    if (reason === 'io server disconnect') phase.idle.droppedByServer++;
  }
}

/** Forged invites (random strings; tokens signed with another key) and genuine expired ones. */
async function badInvites(): Promise<string[]> {
  const claims = (): Record<string, string> => ({ room: options.roomId, role: 'member', venue: 'city', sector: '', inviteId: randomBytes(9).toString('base64url') });
  const sign = (key: Uint8Array, exp: number): Promise<string> =>
    new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuer('wei-shangliang').setAudience('invite').setIssuedAt().setExpirationTime(exp).sign(key);
  const now = Math.floor(Date.now() / 1000);
  const tokens: string[] = [];
  for (let i = 0; i < TOKENS_PER_KIND; i++) {
    tokens.push(randomBytes(48).toString('base64url'));
    tokens.push(await sign(randomBytes(32), now + 3600));
    tokens.push(await sign(new TextEncoder().encode(options.inviteSecret), now - 3600));
  }
  return tokens;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The member's first socket, joined before any phase (the room's shape is the same in every phase). */
let primary: Lane = { conn: null, joined: false, joinedAt: 0 };
let current: { phase: Phase; lanes: Lane[]; runs: Array<Promise<void>> } | null = null;
let tokens: string[] = [];

async function start(mode: FloodMode, pollId: string): Promise<void> {
  if (current) throw new TypeError('a phase is already running');
  const phase = new Phase(mode, pollId);
  const lanes = mode === 'one-socket' ? [primary] : [primary, ...Array.from({ length: options.memberSockets - 1 }, (): Lane => ({ conn: null, joined: false, joinedAt: 0 }))];
  const runs = [
    ...lanes.map((lane) => runLane(phase, lane)),
    ...Array.from({ length: options.joinSockets }, () => runForgedJoins(phase, tokens)),
    ...Array.from({ length: options.idleSockets }, () => runIdle(phase)),
  ];
  current = { phase, lanes, runs };
}

async function stop(): Promise<AbuseReport> {
  if (!current) throw new TypeError('no phase is running');
  const { phase, lanes, runs } = current;
  current = null;
  const durationMs = performance.now() - phase.startedAt;
  phase.stop();
  await Promise.all(runs);
  // What is in flight on live sockets gets its answers (or not, within DRAIN_MS).
  const deadline = performance.now() + DRAIN_MS;
  while ([...conns].some((c) => c.outstanding > 0) && performance.now() < deadline) await sleep(20);
  for (const conn of phase.extras) conn.socket.disconnect();
  // The member keeps the socket that holds the seat (the last to join); the others go.
  const holder = lanes.filter((l) => l.joined && l.conn?.alive).sort((x, y) => y.joinedAt - x.joinedAt)[0];
  for (const lane of lanes) if (lane !== holder) lane.conn?.socket.disconnect();
  if (holder) primary = holder;
  const kinds = ['queue:raise', 'queue:withdraw', 'poll:vote', 'junk'];
  return {
    mode: phase.mode,
    durationMs,
    commands: Object.fromEntries(kinds.map((k) => [k, phase.final(k)])),
    memberJoins: phase.final('member-join'),
    memberDrops: Object.fromEntries(phase.memberDrops),
    forgedJoins: phase.final('forged-join'),
    forgedSocketDrops: phase.forgedSocketDrops,
    idle: { ...phase.idle },
    retryAfterMs: phase.retryRange(),
    memberStillJoined: holder !== undefined,
  };
}

async function main(): Promise<void> {
  tokens = await badInvites();
  await openLane(primary);
  const conn = primary.conn;
  if (!conn) throw new TypeError('no member socket');
  const joined = await request(conn.socket, 'room:join', joinPayload(options.memberInvite, '捣乱者'));
  if (!isRecord(joined) || typeof joined.participantId !== 'string') throw new TypeError('room:join: malformed answer');
  holdSeat(primary, conn);
  process.on('message', (raw: unknown) => {
    const message = ToAbuser.parse(raw);
    switch (message.type) {
      case 'start':
        start(message.mode, message.pollId).then(() => tell({ type: 'started' }), fail);
        return;
      case 'stop':
        stop().then((report) => tell({ type: 'report', report }), fail);
        return;
      case 'close':
        for (const c of [...conns]) c.socket.disconnect();
        process.exit(0);
    }
  });
  // The parent is gone (it crashed or was killed): nothing is left to measure.
  process.on('disconnect', () => process.exit(0));
  tell({ type: 'ready', participantId: joined.participantId });
}

function fail(error: unknown): void {
  tell({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
}

main().catch(fail);
