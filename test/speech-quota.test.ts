/**
 * The per-venue speech quota through the real server, with raw Socket.IO clients: the chair
 * sets it with room:settings, a grant past it is refused with SPEECH_LIMIT, the override is
 * recorded in the log, and nobody but the chair gets the floor given, override or not.
 */
import { describe, expect, test } from 'vitest';
import type { RunningServer } from '../server/app.js';
import { createRoom, invite } from './helpers/rooms.js';
import { withTestServer } from './helpers/serverTest.js';
import { rawRequest } from './helpers/TestPeer.js';

let server: RunningServer;
const connect = withTestServer((s) => {
  server = s;
});

describe('the speech quota on the chair’s grant', () => {
  test('a grant past the quota is refused, goes through with overrideQuota and is recorded; a member cannot grant at all', async () => {
    const { roomId, hostInvite } = await createRoom(server, { open: true });
    const host = await connect();
    await host.join(hostInvite, '周主持');
    const first = await connect();
    const second = await connect();
    const a = await first.join(await invite(server, roomId, 'member', 'd1'), '李委员');
    const b = await second.join(await invite(server, roomId, 'member', 'd1'), '王委员');
    await host.command('room:settings', { speechesPerVenue: 1 });
    await host.waitForRoom((s) => s.settings.speechesPerVenue === 1 && s.participants[b.participantId]?.status === 'admitted');

    // d1's one speech.
    await second.command('queue:raise', { speechType: 'statement', note: '' });
    await host.command('floor:grant', { target: { kind: 'participant', participantId: a.participantId } });
    await host.command('floor:revoke', {});

    // Past the quota: refused, and the floor stays empty.
    const grantNext = { target: { kind: 'next' as const } };
    await expect(host.command('floor:grant', grantNext)).rejects.toMatchObject({ code: 'SPEECH_LIMIT' });
    // (The acks may come before the events: wait for the revoked speech to be in the record.)
    const seqAfterRefusal = (await host.waitForRoom((s) => s.floor === null && s.speeches.length === 1)).seq;

    // A member who sends the chair's command, override and all, is refused by the server.
    const forged = await rawRequest(first.socket, 'floor:grant', { ...grantNext, overrideQuota: true, commandId: 'forged-override-1' });
    expect(forged).toMatchObject({ ok: false, error: 'FORBIDDEN' });
    // A malformed override is refused at the boundary.
    const malformed = await rawRequest(host.socket, 'floor:grant', { ...grantNext, overrideQuota: 'yes', commandId: 'malformed-override-1' });
    expect(malformed).toMatchObject({ ok: false, error: 'BAD_REQUEST' });
    expect(host.room.seq).toBe(seqAfterRefusal);

    // The chair overrides: the floor is given and the log says so.
    await host.command('floor:grant', { ...grantNext, overrideQuota: true });
    const room = await host.waitForRoom((s) => s.floor !== null);
    expect(room.floor?.holder).toEqual({ kind: 'participant', participantId: b.participantId });
    const granted = host.received.filter((e) => e.type === 'floor.granted');
    expect(granted.map((e) => (e.type === 'floor.granted' ? (e.data.quotaOverride ?? null) : null))).toEqual([
      null,
      { venue: 'd1', used: 1, limit: 1 },
    ]);
    expect(granted.at(-1)?.actor).toBe(host.joined?.participantId);
  });
});
