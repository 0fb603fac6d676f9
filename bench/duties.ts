/**
 * Duty records benchmark: an organisation with a roster of 300 members and 50 consultations of
 * three hours each, every one of them with all 300 invited, written through the room model
 * itself (decide and apply, as the server makes them) into a real SqliteEventStore, invite
 * registry and org directory in a temporary directory. Per meeting, from a seeded random
 * source: ~85 % of the members arrive (most in the first quarter hour, some late), a third of
 * them drop and reconnect, some leave early; 30 speeches (a fifth paused by the chair, a point
 * of order interrupting one); 5 polls (2 secret) with every member present voting and a tenth
 * of named votes changed; written statements; after the meeting every speech written up and
 * sent for confirmation, most confirmed.
 *
 * Measured in the same run, each the median of several rounds:
 *   - read logs: every room's whole log read from the store, nothing computed (the floor any
 *     computation from the logs stands on);
 *   - cold: the duty records with the summary cache empty: every log read and folded;
 *   - warm: the same request again: each unchanged room's last seq read, its summary reused
 *     (the planned starts and member invites are still read, and timed on their own).
 * The cold and warm answers must be equal, and the warm rounds must read no log, or the run
 * fails. The ratios are what to compare across machines.
 *
 *   bash scripts/run.sh npx tsx bench/duties.ts
 *
 * Environment (optional): DUTIES_MEETINGS (50), DUTIES_MEMBERS (300).
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { isDeepStrictEqual } from 'node:util';
import type { ClientCommand } from '../signaling/room/commands.js';
import type { RoomEvent } from '../signaling/room/events.js';
import { TestRoom } from '../signaling/room/testing.js';
import { SqliteInviteRegistry } from '../server/invites/SqliteInviteRegistry.js';
import { DutyRecords } from '../server/orgs/DutyRecords.js';
import { SqliteOrgDirectory } from '../server/orgs/SqliteOrgDirectory.js';
import { hashEvent } from '../server/store/hashChain.js';
import { SqliteEventStore } from '../server/store/SqliteEventStore.js';

const MEETINGS = Number(process.env.DUTIES_MEETINGS ?? 50);
const MEMBERS = Number(process.env.DUTIES_MEMBERS ?? 300);
const SPEECHES = 30;
const POLLS = 5;
const SECRET_POLLS = new Set([1, 3]);
const MEETING_MS = 3 * 3_600_000;
const MIN = 60_000;
const SYSTEM = { kind: 'system' } as const;
const ORG = 'org-bench-city';
const FIRST_MEETING = Date.UTC(2026, 0, 5, 1);
const SECTORS = ['经济界', '教育界', '科技界', '医药卫生界', '文化艺术界', '农业和农村界', '社会福利和社会保障界', '无党派人士'];
const VENUES = ['city', 'd1', 'd2', 'd3'];

/** Mulberry32: the same meetings every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const memberId = (i: number): string => `member-${String(i).padStart(4, '0')}`;
const inviteOf = (meeting: number, i: number): string => `inv-${meeting}-${i}`;
const participantOf = (meeting: number, i: number): string => `p-${meeting}-${i}`;

/** One meeting's log, made through decide and apply. */
function meetingLog(meeting: number, startsAt: number): RoomEvent[] {
  const rnd = random(meeting + 1);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)] as T;
  const room = new TestRoom();
  room.now = startsAt;
  const actions: Array<{ at: number; run: () => void }> = [];
  // Kept in time order as they are added (an action may add later ones: a poll its votes).
  const at = (t: number, run: () => void): void => {
    const when = startsAt + Math.round(t);
    let lo = 0;
    let hi = actions.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((actions[mid]?.at ?? 0) <= when) lo = mid + 1;
      else hi = mid;
    }
    actions.splice(lo, 0, { at: when, run });
  };
  const tryRun = (command: Parameters<TestRoom['run']>[0], actor: Parameters<TestRoom['run']>[1]): boolean => room.run(command, actor).ok;
  const here = (): string[] =>
    Object.values(room.state.participants)
      .filter((p) => p.role === 'member' && p.status === 'admitted' && p.online)
      .map((p) => p.id);

  room.ok(
    {
      type: 'system:create',
      topic: `第${meeting + 1}次协商会`,
      startsAt,
      endsAt: startsAt + MEETING_MS,
      venues: VENUES.map((id) => ({ id, name: id, expectedMembers: Math.ceil(MEMBERS / VENUES.length) })),
      settings: { open: true },
    },
    SYSTEM,
  );
  for (const [id, role] of [['host', 'host'], ['sec', 'secretary']] as const) {
    room.ok({ type: 'system:arrive', participantId: id, inviteId: `inv-${meeting}-${id}`, name: id, role, venue: 'city', sector: '' }, SYSTEM);
  }

  for (let i = 0; i < MEMBERS; i += 1) {
    if (rnd() >= 0.85) continue;
    const id = participantOf(meeting, i);
    const arrive = rnd() < 0.85 ? rnd() * 15 * MIN : 15 * MIN + rnd() * 45 * MIN;
    at(arrive, () =>
      tryRun({ type: 'system:arrive', participantId: id, inviteId: inviteOf(meeting, i), name: `委员${i}`, role: 'member', venue: VENUES[i % VENUES.length] ?? 'city', sector: SECTORS[i % SECTORS.length] ?? '' }, SYSTEM),
    );
    if (rnd() < 0.33) {
      const drop = arrive + rnd() * (MEETING_MS - arrive - 10 * MIN);
      at(drop, () => tryRun({ type: 'system:disconnect', participantId: id }, SYSTEM));
      at(drop + 10_000 + rnd() * 5 * MIN, () => room.state.participants[id]?.status === 'admitted' && tryRun({ type: 'system:reconnect', participantId: id }, SYSTEM));
    }
    if (rnd() < 0.1) at(90 * MIN + rnd() * 85 * MIN, () => tryRun({ type: 'system:leave', participantId: id }, SYSTEM));
  }

  const speechEvery = MEETING_MS / (SPEECHES + 1);
  const interruptedSpeech = Math.floor(rnd() * SPEECHES);
  for (let k = 0; k < SPEECHES; k += 1) {
    const start = 20 * MIN + k * (speechEvery * 0.85);
    const length = (2 + rnd() * 3) * MIN;
    let speaker: string | undefined;
    at(start, () => {
      speaker = pick(here());
      if (speaker === undefined) return;
      tryRun({ type: 'queue:raise', speechType: 'statement', note: '' }, speaker);
      tryRun({ type: 'floor:grant', target: { kind: 'participant', participantId: speaker }, seconds: 300 }, 'host');
    });
    if (rnd() < 0.2) {
      at(start + MIN, () => tryRun({ type: 'floor:pause' }, 'host'));
      at(start + 1.5 * MIN, () => tryRun({ type: 'floor:resume' }, 'host'));
    }
    if (k === interruptedSpeech) {
      let order: string | undefined;
      at(start + 0.5 * MIN, () => {
        order = pick(here().filter((id) => id !== speaker));
        if (order === undefined) return;
        tryRun({ type: 'queue:raise', speechType: 'order', note: '程序性问题' }, order);
        tryRun({ type: 'floor:interrupt' }, 'host');
      });
      at(start + 0.8 * MIN, () => order !== undefined && tryRun({ type: 'floor:yield' }, order));
    }
    at(start + length, () => speaker !== undefined && tryRun({ type: 'floor:yield' }, speaker));
  }

  for (let k = 0; k < POLLS; k += 1) {
    const open = (25 + k * 32) * MIN + 2 * MIN;
    const secret = SECRET_POLLS.has(k);
    const pollId = `poll-${k + 1}`;
    const poll: ClientCommand = { type: 'poll:create', question: `议题${k + 1}是否同意？`, kind: 'yesno', options: [], secret, allowChange: !secret, quorumPercent: null, threshold: 'simple', durationSeconds: null };
    at(open, () => {
      room.ok(poll, 'host');
      room.ok({ type: 'poll:open', pollId }, 'host');
      // Votes come over two minutes, each at its own time.
      for (const voter of here()) {
        if (rnd() >= 0.98) continue;
        const when = open + 5_000 + rnd() * 2 * MIN;
        at(when, () => tryRun({ type: 'poll:vote', pollId, choices: [Math.floor(rnd() * 3)] }, voter));
        if (!secret && rnd() < 0.1) at(when + 20_000, () => tryRun({ type: 'poll:vote', pollId, choices: [Math.floor(rnd() * 3)] }, voter));
      }
      at(open + 3 * MIN, () => room.ok({ type: 'poll:close', pollId }, 'host'));
    });
  }

  for (let k = 0; k < 20; k += 1) {
    at(30 * MIN + rnd() * 140 * MIN, () => {
      const author = pick(here());
      if (author !== undefined) tryRun({ type: 'minutes:submitStatement', text: `关于第${k + 1}项的书面意见：${'建议加强统筹协调，'.repeat(12)}` }, author);
    });
  }

  at(MEETING_MS, () => room.ok({ type: 'room:end' }, 'host'));

  // Run the timeline; what an action adds comes later than it, so it is still ahead of `i`.
  for (let i = 0; i < actions.length; i += 1) {
    const next = actions[i];
    if (next === undefined) break;
    room.now = Math.max(room.now, next.at);
    next.run();
  }

  // After the meeting: each speech written up, sent to its speaker, most confirmed.
  room.advance(60 * MIN);
  room.state.speeches.forEach((speech, i) => {
    const section = `speech:${i}`;
    room.ok({ type: 'minutes:edit', section, text: `发言要点：${'围绕议题提出了具体意见和建议。'.repeat(10)}`, baseVersion: 0 }, 'sec');
    if (speech.holder.kind !== 'participant') return;
    room.ok({ type: 'minutes:requestConfirmation', section }, 'sec');
    if (rnd() < 0.8) tryRun({ type: 'minutes:confirm', section }, speech.holder.participantId);
  });
  return room.log;
}

/** The log as the server would store it: the real hash chain. */
function chained(events: readonly RoomEvent[]): RoomEvent[] {
  let prev = '';
  return events.map((e) => {
    const { hash: _placeholder, ...rest } = e;
    prev = hashEvent(prev, rest);
    return { ...e, hash: prev };
  });
}

async function median(rounds: number, f: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < rounds; i += 1) {
    const start = performance.now();
    await f();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? 0;
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'wsl-bench-duties-'));
try {
  const store = SqliteEventStore.open(path.join(dir, 'rooms.sqlite'));
  const registry = SqliteInviteRegistry.open(path.join(dir, 'invites.sqlite'));
  const directory = SqliteOrgDirectory.open(path.join(dir, 'orgs.sqlite'));
  await directory.addOrg({ orgId: ORG, name: '市政协', parentId: null, createdAt: 0 });
  await directory.putMembers(
    ORG,
    Array.from({ length: MEMBERS }, (_, i) => ({
      memberId: memberId(i), orgId: ORG, name: `委员${i}`, sector: SECTORS[i % SECTORS.length] ?? '', venue: VENUES[i % VENUES.length] ?? 'city',
      district: `${(i % 9) + 1}区`, phone: '', email: '', note: '', updatedAt: 0,
    })),
  );

  const made = performance.now();
  let events = 0;
  const counts = new Map<string, number>();
  for (let m = 0; m < MEETINGS; m += 1) {
    const roomId = `room-bench-${String(m).padStart(3, '0')}`;
    const startsAt = FIRST_MEETING + m * 7 * 86_400_000;
    const log = chained(meetingLog(m, startsAt));
    for (const e of log) counts.set(e.type, (counts.get(e.type) ?? 0) + 1);
    events += log.length;
    const written = await store.append(roomId, 0, log);
    if (!written.ok) throw new Error(`room ${roomId} not written: ${written.reason}`);
    await registry.addRoom({ roomId, meetingNumber: String(100_000_000 + m), topic: `第${m + 1}次协商会`, startsAt, registeredAt: startsAt - 86_400_000 });
    await directory.assignRoom(roomId, ORG);
    await directory.linkInvites(Array.from({ length: MEMBERS }, (_, i) => ({ roomId, inviteId: inviteOf(m, i), memberId: memberId(i) })));
  }
  const madeMs = performance.now() - made;
  const per = (type: string): string => ((counts.get(type) ?? 0) / MEETINGS).toFixed(0);
  const fileMb = ['rooms.sqlite', 'rooms.sqlite-wal'].reduce((n, f) => n + (existsSync(path.join(dir, f)) ? statSync(path.join(dir, f)).size : 0), 0) / 1_048_576;
  console.log(`${MEETINGS} meetings of 3 h, roster ${MEMBERS}: ${events} events (${(events / MEETINGS).toFixed(0)} a meeting), rooms.sqlite ${fileMb.toFixed(1)} MiB with its WAL; made in ${(madeMs / 1000).toFixed(1)} s`);
  console.log(
    `a meeting on average: ${per('participant.arrived')} arrivals, ${per('participant.disconnected')} disconnects, ${per('participant.reconnected')} reconnects, ` +
      `${per('floor.granted')} grants + ${per('floor.interrupted')} interruption, ${per('floor.paused')} pauses, ${per('poll.voted')} votes in ${per('poll.opened')} polls, ` +
      `${per('minutes.statementSubmitted')} statements, ${per('minutes.confirmed')} confirmations`,
  );

  const rooms = await directory.roomsOf(ORG);
  const records = new DutyRecords({ directory, store, registry });
  const readLogs = async (): Promise<void> => {
    for (const roomId of rooms) await store.read(roomId);
  };
  // Warm-up: module init and JIT are not what an organiser waits for twice.
  await readLogs();
  const first = await records.forPeriod(ORG);

  const readMs = await median(5, readLogs);
  // What a warm request still reads besides the last seqs: each room's planned start and member invites.
  const linksMs = await median(21, async () => {
    for (const roomId of rooms) await Promise.all([registry.room(roomId), directory.memberInvites(roomId)]);
  });
  const coldMs = await median(5, async () => {
    records.clear();
    return records.forPeriod(ORG);
  });
  const cold = await records.forPeriod(ORG); // leaves the cache warm
  const logsBefore = records.logsRead;
  let warm = cold;
  const warmMs = await median(21, async () => {
    warm = await records.forPeriod(ORG);
  });
  if (records.logsRead !== logsBefore) throw new Error(`the warm rounds read ${records.logsRead - logsBefore} logs; they should read none`);
  if (!isDeepStrictEqual(warm, cold) || !isDeepStrictEqual(first, cold)) throw new Error('the warm answer differs from the cold one');
  if (cold.consultations !== MEETINGS || cold.members.length !== MEMBERS) throw new Error(`read ${cold.consultations} consultations, ${cold.members.length} members`);

  const total = cold.members.reduce((n, m) => n + m.attended, 0);
  console.log(`answer: ${cold.consultations} consultations, ${cold.members.length} members, ${cold.sectors.length} sectors, ${total} attendances`);
  console.log(`read logs      ${readMs.toFixed(1).padStart(9)} ms   (every log read, nothing computed)`);
  console.log(`cold           ${coldMs.toFixed(1).padStart(9)} ms   ${(coldMs / readMs).toFixed(2)}× reading the logs alone`);
  console.log(`warm (cached)  ${warmMs.toFixed(1).padStart(9)} ms   ${(coldMs / warmMs).toFixed(1)}× faster than cold (no log read: each room's last seq only)`);
  console.log(`  of which     ${linksMs.toFixed(1).padStart(9)} ms   each room's planned start and 300 member invites from the registry and directory`);
  await store.close();
  await registry.close();
  await directory.close();
} finally {
  if (process.env.DUTIES_KEEP === undefined) rmSync(dir, { recursive: true, force: true });
  else console.log(`kept ${dir}`);
}
