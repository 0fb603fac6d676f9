/** The tests every InviteRegistry passes (SQLite and Redis alike). */
import { afterEach, describe, expect, test } from 'vitest';
import { newMeetingNumber, newShortCode, type InviteRecord, type InviteRegistry } from './InviteRegistry.js';

/** A fresh registry and how to drop it. */
export type RegistryFixture = { registry: InviteRegistry; reopen?: () => Promise<InviteRegistry>; cleanup: () => Promise<void> };

function invite(roomId: string, issuedAt: number, change: Partial<InviteRecord> = {}): InviteRecord {
  return {
    inviteId: `inv-${newShortCode()}`,
    roomId,
    code: newShortCode(),
    role: 'member',
    venue: 'city',
    name: null,
    sector: '',
    token: 'header.payload.signature',
    issuedAt,
    expiresAt: issuedAt + 3_600_000,
    revokedAt: null,
    ...change,
  };
}

/** Registers the contract for one backend. */
export function describeInviteRegistryContract(name: string, open: () => Promise<RegistryFixture>): void {
  describe(`${name} (InviteRegistry contract)`, () => {
    let fixture: RegistryFixture | undefined;
    const registry = async (): Promise<InviteRegistry> => {
      fixture = await open();
      return fixture.registry;
    };
    afterEach(async () => {
      await fixture?.cleanup();
      fixture = undefined;
    });

    test('add() records an invite found by code and id, and list() gives the room\'s newest first', async () => {
      const r = await registry();
      const first = invite('room-a', 1000, { name: '王委员', sector: '经济界' });
      const second = invite('room-a', 2000, { role: 'host' });
      const elsewhere = invite('room-b', 1500);
      for (const i of [first, second, elsewhere]) expect(await r.add(i)).toBe(true);
      expect(await r.byCode(first.code)).toEqual(first);
      expect(await r.byId(second.inviteId)).toEqual(second);
      expect(await r.byCode('NoSuchCd')).toBeUndefined();
      expect((await r.list('room-a')).map((i) => i.inviteId)).toEqual([second.inviteId, first.inviteId]);
      expect(await r.list('room-none')).toEqual([]);
    });

    test('add() refuses a short code that is taken, and writes nothing', async () => {
      const r = await registry();
      const first = invite('room-a', 1000);
      expect(await r.add(first)).toBe(true);
      const clash = invite('room-a', 2000, { code: first.code });
      expect(await r.add(clash)).toBe(false);
      expect(await r.byId(clash.inviteId)).toBeUndefined();
      expect((await r.byCode(first.code))?.inviteId).toBe(first.inviteId);
      expect(await r.list('room-a')).toHaveLength(1);
    });

    test('revoke() marks the invite once, only within its room, and isRevoked() says so', async () => {
      const r = await registry();
      const one = invite('room-a', 1000);
      await r.add(one);
      expect(await r.isRevoked(one.inviteId)).toBe(false);
      expect(await r.revoke('room-b', one.inviteId, 5000)).toBeUndefined();
      expect(await r.isRevoked(one.inviteId)).toBe(false);
      expect((await r.revoke('room-a', one.inviteId, 5000))?.revokedAt).toBe(5000);
      expect((await r.revoke('room-a', one.inviteId, 9000))?.revokedAt).toBe(5000);
      expect(await r.isRevoked(one.inviteId)).toBe(true);
      expect((await r.byCode(one.code))?.revokedAt).toBe(5000);
      expect(await r.revoke('room-a', 'inv-unknown', 5000)).toBeUndefined();
    });

    test('addRoom() gives each meeting number to one room and each room one number', async () => {
      const r = await registry();
      const number = newMeetingNumber();
      const room = { roomId: 'room-a', meetingNumber: number, topic: '老旧小区加装电梯', startsAt: null, registeredAt: 1000 };
      expect(await r.addRoom(room)).toBe(true);
      expect(await r.addRoom({ ...room, roomId: 'room-b' })).toBe(false);
      expect(await r.addRoom({ ...room, meetingNumber: number === '123456789' ? '987654321' : '123456789' })).toBe(false);
      expect(await r.roomByNumber(number)).toEqual(room);
      expect(await r.room('room-a')).toEqual(room);
      expect(await r.room('room-b')).toBeUndefined();
      expect(await r.roomByNumber('111111111')).toBeUndefined();
      const later = { roomId: 'room-c', meetingNumber: number === '222222222' ? '333333333' : '222222222', topic: '社区养老', startsAt: 5, registeredAt: 2000 };
      await r.addRoom(later);
      expect((await r.recentRooms(10)).map((x) => x.roomId)).toEqual(['room-c', 'room-a']);
      expect((await r.recentRooms(1)).map((x) => x.roomId)).toEqual(['room-c']);
    });

    test('what was recorded is there after reopening', async () => {
      const r = await registry();
      if (fixture?.reopen === undefined) return;
      const one = invite('room-a', 1000);
      await r.add(one);
      await r.revoke('room-a', one.inviteId, 2000);
      const again = await fixture.reopen();
      expect((await again.byCode(one.code))?.revokedAt).toBe(2000);
      expect(await again.isRevoked(one.inviteId)).toBe(true);
    });
  });
}

/** Short codes and meeting numbers have the advertised shapes. */
export function describeCodeShapes(): void {
  test('newShortCode() and newMeetingNumber() have the shapes the routes accept', async () => {
    const { SHORT_CODE, MEETING_NUMBER } = await import('../../signaling/shortLinks.js');
    const codes = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const code = newShortCode();
      expect(code).toMatch(SHORT_CODE);
      codes.add(code);
      expect(newMeetingNumber()).toMatch(MEETING_NUMBER);
    }
    expect(codes.size).toBe(1000);
  });
}
