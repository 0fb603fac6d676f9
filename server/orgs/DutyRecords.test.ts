/**
 * DutyRecords over real SQLite logs and a real invite registry: which consultations a period
 * takes (the planned start, else the log's first event), every roster member listed, and the
 * summary cache (an unchanged room's log is not read again; a room whose log grew is; the cache
 * stays within its bound). The figures are worked out by hand from the meetings below.
 */
import { afterEach, describe, expect, test } from 'vitest';
import type { RosterMember } from '../../signaling/orgs/model.js';
import { createdRoom } from '../../signaling/room/testing.js';
import { SqliteInviteRegistry } from '../invites/SqliteInviteRegistry.js';
import { SqliteEventStore } from '../store/SqliteEventStore.js';
import type { MemberInviteLink } from './OrgDirectory.js';
import { DutyRecords } from './DutyRecords.js';

const MIN = 60_000;
const JAN_10 = Date.UTC(2026, 0, 10, 1);
const FEB_1 = Date.UTC(2026, 1, 1, 1);
const MAR_5 = Date.UTC(2026, 2, 5, 1);
const ORG = 'org-district';

const member = (memberId: string, name: string, sector: string): RosterMember => ({
  memberId,
  orgId: ORG,
  name,
  sector,
  venue: '',
  district: '一区',
  phone: '',
  email: '',
  note: '',
  updatedAt: 0,
});
const ROSTER = [member('member-1', '王芳', '经济界'), member('member-2', '李明', '教育界'), member('member-3', '张伟', '经济界')];

/** Writes a meeting's log: created at `at`, the host, then each member `[id, minutes]` arriving and leaving in turn. */
async function writeMeeting(store: SqliteEventStore, roomId: string, at: number, stays: Array<[string, number]>): Promise<void> {
  const room = createdRoomAt(at);
  room.arrive('host', 'host');
  for (const [id, minutes] of stays) {
    room.arrive(id, 'member');
    room.advance(minutes * MIN);
    room.ok({ type: 'system:leave', participantId: id }, { kind: 'system' });
  }
  const result = await store.append(roomId, 0, room.log);
  expect(result.ok).toBe(true);
}

function createdRoomAt(at: number) {
  const room = createdRoom({ open: true });
  // createdRoom's log starts at TestRoom's default clock; shift it so the meeting starts at `at`.
  const shift = at - (room.log[0]?.at ?? at);
  for (const e of room.log) e.at += shift;
  room.now += shift;
  return room;
}

class Links {
  readonly byRoom = new Map<string, MemberInviteLink[]>();
  readonly rooms: string[] = [];
  add(roomId: string, memberIds: string[]): void {
    this.rooms.unshift(roomId);
    // TestRoom's participants hold invites `inv-<id>`; here the participant id is m<n> for member-<n>.
    this.byRoom.set(
      roomId,
      memberIds.map((memberId) => ({ roomId, memberId, inviteId: `inv-m${memberId.slice('member-'.length)}` })),
    );
  }
}

const open: Array<{ close(): Promise<void> | void }> = [];
afterEach(async () => {
  for (const o of open.splice(0)) await o.close();
});

async function organisation(cacheRooms?: number) {
  const store = SqliteEventStore.open(':memory:');
  const registry = SqliteInviteRegistry.open(':memory:');
  open.push(store, registry);
  const links = new Links();
  const directory = {
    roomsOf: async (orgId: string) => (orgId === ORG ? [...links.rooms] : []),
    memberInvites: async (roomId: string) => links.byRoom.get(roomId) ?? [],
    roster: async (orgId: string) => (orgId === ORG ? ROSTER : []),
  };
  const register = async (roomId: string, startsAt: number | null) =>
    expect(await registry.addRoom({ roomId, meetingNumber: `10000000${roomId.length}${roomId.charCodeAt(5)}`, topic: roomId, startsAt, registeredAt: JAN_10 - 30 * 24 * 60 * MIN })).toBe(true);

  // January: planned in the registry; m1 stays 30 min; m2 invited, absent.
  await writeMeeting(store, 'room-jan', JAN_10 + 5 * MIN, [['m1', 30]]);
  await register('room-jan', JAN_10);
  links.add('room-jan', ['member-1', 'member-2']);
  // February: no planned start; its log begins on Feb 1. m2 stays 45 min, m1 20 min.
  await writeMeeting(store, 'room-feb', FEB_1, [['m2', 45], ['m1', 20]]);
  await register('room-feb', null);
  links.add('room-feb', ['member-1', 'member-2']);
  // March: planned; m1 invited, absent.
  await writeMeeting(store, 'room-mar', MAR_5, []);
  await register('room-mar', MAR_5);
  links.add('room-mar', ['member-1']);

  const records = new DutyRecords({ directory, store, registry, ...(cacheRooms === undefined ? {} : { cacheRooms }) });
  return { store, records };
}

const row = (records: Awaited<ReturnType<DutyRecords['forPeriod']>>, memberId: string) => records.members.find((m) => m.memberId === memberId);

describe('DutyRecords', () => {
  test('every consultation of the organisation, every roster member (one never invited with zeros)', async () => {
    const { records } = await organisation();
    const all = await records.forPeriod(ORG);
    expect(all.consultations).toBe(3);
    expect(all.from).toBeNull();
    expect(row(all, 'member-1')).toMatchObject({ invited: 3, attended: 2, attendedMs: 50 * MIN }); // 30 + 20
    expect(row(all, 'member-2')).toMatchObject({ invited: 2, attended: 1, attendedMs: 45 * MIN });
    expect(row(all, 'member-3')).toMatchObject({ invited: 0, attended: 0, attendedMs: 0, speeches: 0 });
    expect(all.sectors.find((s) => s.sector === '经济界')).toMatchObject({ members: 2, invited: 3, attended: 2 });
  });

  test('a period takes rooms by planned start, else by the first event of their log', async () => {
    const { records } = await organisation();
    const feb = await records.forPeriod(ORG, { from: Date.UTC(2026, 1, 1), to: Date.UTC(2026, 1, 28) });
    expect(feb).toMatchObject({ from: Date.UTC(2026, 1, 1), to: Date.UTC(2026, 1, 28), consultations: 1 });
    expect(row(feb, 'member-1')).toMatchObject({ invited: 1, attended: 1, attendedMs: 20 * MIN });
    // January's room was planned for Jan 10 01:00 though its log begins five minutes later: the plan decides.
    const jan = await records.forPeriod(ORG, { from: JAN_10, to: JAN_10 });
    expect(jan.consultations).toBe(1);
    expect(row(jan, 'member-2')).toMatchObject({ invited: 1, attended: 0 });
    const fromMarch = await records.forPeriod(ORG, { from: Date.UTC(2026, 2, 1) });
    expect(fromMarch.consultations).toBe(1);
    expect(row(fromMarch, 'member-1')).toMatchObject({ invited: 1, attended: 0 });
  });

  test('a room planned outside the period is not read at all', async () => {
    const { records } = await organisation();
    await records.forPeriod(ORG, { to: Date.UTC(2026, 0, 31) });
    // January (planned in) and February (no plan: its log says when) are read; March is not.
    expect(records.logsRead).toBe(2);
  });

  test('a repeated request reads no log of an unchanged room; a room whose log grew is read again', async () => {
    const { store, records } = await organisation();
    const first = await records.forPeriod(ORG);
    expect(records.logsRead).toBe(3);
    expect(await records.forPeriod(ORG)).toEqual(first);
    expect(records.logsRead).toBe(3);

    // March's meeting goes on: m1 arrives and stays 10 minutes.
    const march = await store.read('room-mar');
    const last = march.at(-1);
    if (!last) throw new Error('March has a log');
    const arrive = { seq: last.seq + 1, at: last.at + MIN, actor: 'system', hash: 'x', type: 'participant.arrived' as const, data: { participantId: 'm1', inviteId: 'inv-m1', name: '王芳', role: 'member' as const, venue: 'city', sector: '经济界', admitted: true } };
    const leave = { seq: last.seq + 2, at: last.at + 11 * MIN, actor: 'system', hash: 'y', type: 'participant.left' as const, data: { participantId: 'm1' } };
    expect((await store.append('room-mar', last.seq, [arrive, leave])).ok).toBe(true);

    const after = await records.forPeriod(ORG);
    expect(records.logsRead).toBe(4);
    expect(row(after, 'member-1')).toMatchObject({ invited: 3, attended: 3, attendedMs: 60 * MIN });
  });

  test('the cache keeps at most its bound', async () => {
    const { records } = await organisation(2);
    await records.forPeriod(ORG);
    expect(records.cachedRooms).toBe(2);
    await records.forPeriod(ORG);
    expect(records.cachedRooms).toBe(2);
    // Three rooms through a cache of two: the room that went out is read again.
    expect(records.logsRead).toBeGreaterThan(3);
  });

  test('another organisation’s request reads nothing of this one', async () => {
    const { records } = await organisation();
    const other = await records.forPeriod('org-other');
    expect(other).toEqual({ from: null, to: null, consultations: 0, members: [], sectors: [] });
    expect(records.logsRead).toBe(0);
  });
});
