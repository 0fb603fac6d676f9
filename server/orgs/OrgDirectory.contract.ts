/** The tests every OrgDirectory passes (SQLite and Redis alike). */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, test } from 'vitest';
import type { Organisation, RosterMember } from '../../signaling/orgs/model.js';
import type { MemberInviteLink, OrgDirectory, StoredAccount, StoredSession } from './OrgDirectory.js';

/** A fresh, empty directory; `another` opens a second handle on the same store (another process, or a restart). */
export type DirectoryFixture = { directory: OrgDirectory; another: () => Promise<OrgDirectory>; cleanup: () => Promise<void> };

const id = (): string => randomBytes(9).toString('base64url');

function org(createdAt: number, change: Partial<Organisation> = {}): Organisation {
  return { orgId: id(), name: '市政协', parentId: null, createdAt, ...change };
}

function account(orgId: string, createdAt: number, change: Partial<StoredAccount> = {}): StoredAccount {
  return {
    accountId: id(),
    username: `user-${id().toLowerCase()}`,
    displayName: '王秘书',
    orgId,
    role: 'organiser',
    createdAt,
    disabled: false,
    passwordHash: 'scrypt$32768$8$1$c2FsdHNhbHRzYWx0c2FsdA$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U',
    ...change,
  };
}

function member(orgId: string, change: Partial<RosterMember> = {}): RosterMember {
  return {
    memberId: id(),
    orgId,
    name: '李委员',
    sector: '经济界',
    venue: 'city',
    district: '鼓楼区',
    phone: '13800000000',
    email: 'li@example.org',
    note: '',
    updatedAt: 1000,
    ...change,
  };
}

/** Sessions live in real time (a backend may let its store expire them): times near now. */
function session(accountId: string, createdAt: number, lifetimeMs = 3_600_000): StoredSession {
  return { tokenHash: randomBytes(32).toString('hex'), accountId, createdAt, expiresAt: createdAt + lifetimeMs };
}

const byMemberId = (members: readonly RosterMember[]): RosterMember[] => [...members].sort((a, b) => a.memberId.localeCompare(b.memberId));
const byInviteId = (links: readonly MemberInviteLink[]): MemberInviteLink[] => [...links].sort((a, b) => a.inviteId.localeCompare(b.inviteId));

/** Registers the contract for one backend. */
export function describeOrgDirectoryContract(name: string, open: () => Promise<DirectoryFixture>): void {
  describe(`${name} (OrgDirectory contract)`, () => {
    let fixture: DirectoryFixture | undefined;
    const directory = async (): Promise<OrgDirectory> => {
      fixture = await open();
      return fixture.directory;
    };
    const another = (): Promise<OrgDirectory> => {
      if (!fixture) throw new TypeError('open the directory first');
      return fixture.another();
    };
    afterEach(async () => {
      await fixture?.cleanup();
      fixture = undefined;
    });

    test('bootstrap() writes the first organisation and its administrator, once', async () => {
      const d = await directory();
      const city = org(1000);
      const admin = account(city.orgId, 1000, { role: 'administrator' });
      expect(await d.bootstrap(city, admin)).toBe(true);
      expect(await d.orgs()).toEqual([city]);
      expect(await d.account(admin.accountId)).toEqual(admin);

      const again = org(2000);
      const secondAdmin = account(again.orgId, 2000, { role: 'administrator' });
      expect(await d.bootstrap(again, secondAdmin)).toBe(false);
      expect(await d.orgs()).toEqual([city]);
      expect(await d.account(secondAdmin.accountId)).toBeUndefined();
      expect(await d.accountByUsername(secondAdmin.username)).toBeUndefined();
    });

    test('bootstrap() refuses once any organisation exists, even one added without it', async () => {
      const d = await directory();
      const existing = org(500);
      await d.addOrg(existing);
      const city = org(1000);
      const admin = account(city.orgId, 1000, { role: 'administrator' });
      expect(await d.bootstrap(city, admin)).toBe(false);
      expect(await d.orgs()).toEqual([existing]);
      expect(await d.account(admin.accountId)).toBeUndefined();
    });

    test('two bootstraps at once from two handles: exactly one wins, and only its records exist', async () => {
      const d = await directory();
      const other = await another();
      const attempts = Array.from({ length: 6 }, (_, i) => {
        const o = org(1000 + i);
        return { org: o, admin: account(o.orgId, 1000 + i, { role: 'administrator' }) };
      });
      const results = await Promise.all(attempts.map((a, i) => (i % 2 === 0 ? d : other).bootstrap(a.org, a.admin)));
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = attempts[results.indexOf(true)]!;
      expect(await d.orgs()).toEqual([winner.org]);
      expect(await other.orgs()).toEqual([winner.org]);
      for (const a of attempts) {
        expect(await d.account(a.admin.accountId)).toEqual(a === winner ? a.admin : undefined);
      }
    });

    test('addOrg() adds organisations, and orgs() lists them oldest first', async () => {
      const d = await directory();
      expect(await d.orgs()).toEqual([]);
      const city = org(1000);
      const gulou = org(3000, { name: '鼓楼区政协', parentId: city.orgId });
      const taijiang = org(2000, { name: '台江区政协', parentId: city.orgId });
      for (const o of [city, gulou, taijiang]) await d.addOrg(o);
      expect(await d.orgs()).toEqual([city, taijiang, gulou]);
    });

    test('addAccount() records an account found by id and by username, and accountsOf() lists an organisation\'s oldest first', async () => {
      const d = await directory();
      const city = org(1000);
      const district = org(2000, { parentId: city.orgId });
      await d.addOrg(city);
      await d.addOrg(district);
      const second = account(city.orgId, 3000, { username: 'li.na@example.org', displayName: '李娜' });
      const first = account(city.orgId, 2000, { role: 'administrator' });
      const elsewhere = account(district.orgId, 2500, { disabled: true });
      for (const a of [second, first, elsewhere]) expect(await d.addAccount(a)).toBe(true);
      expect(await d.account(second.accountId)).toEqual(second);
      expect(await d.account(elsewhere.accountId)).toEqual(elsewhere);
      expect(await d.account('no-such-account')).toBeUndefined();
      expect(await d.accountByUsername('li.na@example.org')).toEqual(second);
      expect(await d.accountByUsername('nobody')).toBeUndefined();
      expect(await d.accountsOf(city.orgId)).toEqual([first, second]);
      expect(await d.accountsOf(district.orgId)).toEqual([elsewhere]);
      expect(await d.accountsOf('no-such-org')).toEqual([]);
    });

    test('addAccount() refuses a taken username (in any case) or a taken id, and writes nothing', async () => {
      const d = await directory();
      const city = org(1000);
      await d.addOrg(city);
      const wang = account(city.orgId, 1000, { username: 'wang.fang' });
      expect(await d.addAccount(wang)).toBe(true);

      const sameName = account(city.orgId, 2000, { username: 'wang.fang' });
      const otherCase = account(city.orgId, 2000, { username: 'Wang.Fang' });
      for (const clash of [sameName, otherCase]) {
        expect(await d.addAccount(clash)).toBe(false);
        expect(await d.account(clash.accountId)).toBeUndefined();
      }
      const sameId = account(city.orgId, 2000, { accountId: wang.accountId, username: 'zhao.lei', displayName: '赵磊' });
      expect(await d.addAccount(sameId)).toBe(false);
      expect(await d.accountByUsername('zhao.lei')).toBeUndefined();
      expect(await d.account(wang.accountId)).toEqual(wang);
      expect(await d.accountByUsername('wang.fang')).toEqual(wang);
      expect(await d.accountsOf(city.orgId)).toEqual([wang]);
      // The name freed by nobody stays taken; another name is free.
      expect(await d.addAccount(account(city.orgId, 3000, { username: 'zhao.lei' }))).toBe(true);
    });

    test('updateAccount() replaces the changeable fields and keeps the id, username, organisation and creation time', async () => {
      const d = await directory();
      const city = org(1000);
      const district = org(2000, { parentId: city.orgId });
      await d.addOrg(city);
      await d.addOrg(district);
      const before = account(city.orgId, 1000, { username: 'chen.jie' });
      await d.addAccount(before);
      await d.updateAccount({
        ...before,
        username: 'someone.else',
        orgId: district.orgId,
        createdAt: 9999,
        displayName: '陈杰（停用）',
        role: 'administrator',
        disabled: true,
        passwordHash: 'scrypt$32768$8$1$bmV3c2FsdG5ld3NhbHRuZXc$bmV3a2V5bmV3a2V5bmV3a2V5bmV3a2V5bmV3a2U',
      });
      const after = {
        ...before,
        displayName: '陈杰（停用）',
        role: 'administrator',
        disabled: true,
        passwordHash: 'scrypt$32768$8$1$bmV3c2FsdG5ld3NhbHRuZXc$bmV3a2V5bmV3a2V5bmV3a2V5bmV3a2V5bmV3a2U',
      };
      expect(await d.account(before.accountId)).toEqual(after);
      expect(await d.accountByUsername('chen.jie')).toEqual(after);
      expect(await d.accountByUsername('someone.else')).toBeUndefined();
      expect(await d.accountsOf(city.orgId)).toEqual([after]);
      expect(await d.accountsOf(district.orgId)).toEqual([]);

      const unknown = account(city.orgId, 5000);
      await d.updateAccount(unknown);
      expect(await d.account(unknown.accountId)).toBeUndefined();
      expect(await d.accountByUsername(unknown.username)).toBeUndefined();
    });

    test('session() finds a session until it expires; touchSession() moves the expiry', async () => {
      const d = await directory();
      const now = Date.now();
      const one = session('account-1', now, 60_000);
      await d.addSession(one);
      expect(await d.session(one.tokenHash, now)).toEqual(one);
      expect(await d.session(one.tokenHash, now + 59_999)).toEqual(one);
      expect(await d.session(one.tokenHash, now + 60_000)).toBeUndefined();
      expect(await d.session('0'.repeat(64), now)).toBeUndefined();

      await d.touchSession(one.tokenHash, now + 120_000);
      expect(await d.session(one.tokenHash, now + 60_000)).toEqual({ ...one, expiresAt: now + 120_000 });
      expect(await d.session(one.tokenHash, now + 120_000)).toBeUndefined();

      const unknown = '1'.repeat(64);
      await d.touchSession(unknown, now + 120_000);
      expect(await d.session(unknown, now)).toBeUndefined();
    });

    test('a session already expired when added is never found', async () => {
      const d = await directory();
      const now = Date.now();
      const stale = session('account-1', now - 120_000, 60_000);
      await d.addSession(stale);
      expect(await d.session(stale.tokenHash, now)).toBeUndefined();
      expect(await d.session(stale.tokenHash, now + 3_600_000)).toBeUndefined();
    });

    test('deleteSession() ends one session; deleteSessionsOf() ends every session of one account and no other', async () => {
      const d = await directory();
      const now = Date.now();
      const [a1, a2, a3] = [session('account-a', now), session('account-a', now + 1), session('account-a', now + 2)];
      const b1 = session('account-b', now);
      for (const s of [a1, a2, a3, b1]) await d.addSession(s);
      await d.deleteSession(a1.tokenHash);
      expect(await d.session(a1.tokenHash, now)).toBeUndefined();
      expect(await d.session(a2.tokenHash, now)).toEqual(a2);
      await d.touchSession(a3.tokenHash, now + 7_200_000);
      await d.deleteSessionsOf('account-a');
      expect(await d.session(a2.tokenHash, now)).toBeUndefined();
      expect(await d.session(a3.tokenHash, now)).toBeUndefined();
      expect(await d.session(b1.tokenHash, now)).toEqual(b1);
      // A session made after the purge works.
      const a4 = session('account-a', now + 3);
      await d.addSession(a4);
      expect(await d.session(a4.tokenHash, now + 3)).toEqual(a4);
      await d.deleteSession('no-such-token');
      await d.deleteSessionsOf('no-such-account');
      expect(await d.session(b1.tokenHash, now)).toEqual(b1);
    });

    test('putMembers() adds and replaces members by id within one organisation; another\'s member of the same id is untouched', async () => {
      const d = await directory();
      const city = org(1000);
      const district = org(2000, { parentId: city.orgId });
      const li = member(city.orgId);
      const zhang = member(city.orgId, { name: '张委员', sector: '教育界', venue: 'd1', phone: '', email: '' });
      expect(await d.roster(city.orgId)).toEqual([]);
      await d.putMembers(city.orgId, [li, zhang]);
      const sameIdElsewhere = member(district.orgId, { memberId: li.memberId, name: '区里的李委员', district: '台江区' });
      await d.putMembers(district.orgId, [sameIdElsewhere]);
      expect(byMemberId(await d.roster(city.orgId))).toEqual(byMemberId([li, zhang]));

      const liMoved = { ...li, venue: 'd2', note: '调任', updatedAt: 5000 };
      const wu = member(city.orgId, { name: '吴委员' });
      await d.putMembers(city.orgId, [liMoved, wu]);
      expect(byMemberId(await d.roster(city.orgId))).toEqual(byMemberId([liMoved, zhang, wu]));
      expect(await d.roster(district.orgId)).toEqual([sameIdElsewhere]);
    });

    test('putMembers() refuses a member of another organisation and writes none of the batch', async () => {
      const d = await directory();
      const city = org(1000);
      const district = org(2000, { parentId: city.orgId });
      const ours = member(city.orgId);
      const theirs = member(district.orgId);
      await expect(d.putMembers(city.orgId, [ours, theirs])).rejects.toThrow(TypeError);
      expect(await d.roster(city.orgId)).toEqual([]);
      expect(await d.roster(district.orgId)).toEqual([]);
    });

    test('removeMembers() removes an organisation\'s members by id, ignores unknown ids, and leaves other organisations alone', async () => {
      const d = await directory();
      const city = org(1000);
      const district = org(2000, { parentId: city.orgId });
      const [a, b, c] = [member(city.orgId), member(city.orgId), member(city.orgId)];
      const twin = member(district.orgId, { memberId: a.memberId });
      const districtOnly = member(district.orgId);
      await d.putMembers(city.orgId, [a, b, c]);
      await d.putMembers(district.orgId, [twin, districtOnly]);
      await d.removeMembers(city.orgId, [a.memberId, c.memberId, 'no-such-member']);
      expect(await d.roster(city.orgId)).toEqual([b]);
      expect(byMemberId(await d.roster(district.orgId))).toEqual(byMemberId([twin, districtOnly]));
      await d.removeMembers(city.orgId, [districtOnly.memberId]);
      expect(byMemberId(await d.roster(district.orgId))).toEqual(byMemberId([twin, districtOnly]));
      await d.removeMembers(city.orgId, []);
      expect(await d.roster(city.orgId)).toEqual([b]);
    });

    test('assignRoom() gives a consultation its organisation once; roomsOf() lists an organisation\'s newest first', async () => {
      const d = await directory();
      const city = org(1000);
      const district = org(2000, { parentId: city.orgId });
      await d.assignRoom('room-1', city.orgId);
      await d.assignRoom('room-2', district.orgId);
      await d.assignRoom('room-3', city.orgId);
      await d.assignRoom('room-0', city.orgId);
      expect(await d.orgOfRoom('room-1')).toBe(city.orgId);
      expect(await d.orgOfRoom('room-2')).toBe(district.orgId);
      expect(await d.orgOfRoom('room-made-with-the-secret')).toBeNull();
      expect(await d.roomsOf(city.orgId)).toEqual(['room-0', 'room-3', 'room-1']);
      expect(await d.roomsOf(district.orgId)).toEqual(['room-2']);
      expect(await d.roomsOf('no-such-org')).toEqual([]);

      // A consultation does not move: a second assignment changes nothing.
      await d.assignRoom('room-1', district.orgId);
      expect(await d.orgOfRoom('room-1')).toBe(city.orgId);
      expect(await d.roomsOf(city.orgId)).toEqual(['room-0', 'room-3', 'room-1']);
      expect(await d.roomsOf(district.orgId)).toEqual(['room-2']);
    });

    test('linkInvites() records each member invite under its consultation, and memberInvites() gives a consultation\'s', async () => {
      const d = await directory();
      const links: MemberInviteLink[] = [
        { roomId: 'room-1', inviteId: 'inv-a', memberId: 'member-li' },
        { roomId: 'room-1', inviteId: 'inv-b', memberId: 'member-zhang' },
        { roomId: 'room-2', inviteId: 'inv-c', memberId: 'member-li' },
      ];
      await d.linkInvites(links);
      await d.linkInvites([]);
      const later = { roomId: 'room-1', inviteId: 'inv-d', memberId: 'member-wu' };
      await d.linkInvites([later]);
      expect(byInviteId(await d.memberInvites('room-1'))).toEqual(byInviteId([links[0]!, links[1]!, later]));
      expect(await d.memberInvites('room-2')).toEqual([links[2]]);
      expect(await d.memberInvites('room-none')).toEqual([]);
    });

    test('what was recorded is there for another handle on the same store', async () => {
      const d = await directory();
      const city = org(1000);
      const admin = account(city.orgId, 1000, { role: 'administrator' });
      await d.bootstrap(city, admin);
      const li = member(city.orgId);
      await d.putMembers(city.orgId, [li]);
      await d.assignRoom('room-1', city.orgId);
      await d.linkInvites([{ roomId: 'room-1', inviteId: 'inv-a', memberId: li.memberId }]);
      const now = Date.now();
      const s = session(admin.accountId, now);
      await d.addSession(s);

      const other = await another();
      expect(await other.orgs()).toEqual([city]);
      expect(await other.accountByUsername(admin.username)).toEqual(admin);
      expect(await other.roster(city.orgId)).toEqual([li]);
      expect(await other.roomsOf(city.orgId)).toEqual(['room-1']);
      expect(await other.memberInvites('room-1')).toEqual([{ roomId: 'room-1', inviteId: 'inv-a', memberId: li.memberId }]);
      expect(await other.session(s.tokenHash, now)).toEqual(s);
      expect(await other.addAccount(account(city.orgId, 2000, { username: admin.username }))).toBe(false);
    });

    test('close() is safe to call twice', async () => {
      const d = await directory();
      const other = await another();
      await other.close();
      await other.close();
      expect(await d.orgs()).toEqual([]);
    });
  });
}
