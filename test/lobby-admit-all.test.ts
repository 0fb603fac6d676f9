/**
 * "Admit all" after the chair confirmed who is listed, through the real server with raw
 * Socket.IO clients: only the listed come in, someone knocking meanwhile waits on, a member
 * cannot admit, and a malformed list is refused with a stable code and changes nothing.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { RunningServer } from '../server/app.js';
import { createRoom, invite } from './helpers/rooms.js';
import { startTestServer } from './helpers/server.js';
import { TestPeer, rawRequest } from './helpers/TestPeer.js';

let server: RunningServer;
const peers: TestPeer[] = [];

beforeAll(async () => {
  server = await startTestServer();
});
afterEach(() => {
  for (const p of peers.splice(0)) p.close();
});
afterAll(async () => {
  await server.close();
});

/** A raw protocol client that opened `inviteToken`, and its participant id. */
async function joined(inviteToken: string, name: string): Promise<{ peer: TestPeer; id: string }> {
  const peer = await TestPeer.connect(server.url);
  peers.push(peer);
  const answer = await peer.join(inviteToken, name);
  return { peer, id: answer.participantId };
}

describe('lobby:admitAll with participantIds', () => {
  test('admits exactly the listed who still wait; a member may not; a malformed list changes nothing', async () => {
    const { roomId, hostInvite } = await createRoom(server);
    const host = await joined(hostInvite, '周主持');
    const zhang = await joined(await invite(server, roomId, 'member', 'city'), '张委员');
    const li = await joined(await invite(server, roomId, 'member', 'd1'), '李委员');
    await host.peer.waitForRoom((s) => s.participants[li.id]?.status === 'lobby' && s.participants[zhang.id]?.status === 'lobby');

    // The chair confirmed a list of 张 and 李; 王 knocks before the command arrives.
    const wang = await joined(await invite(server, roomId, 'member', 'd2'), '王委员');
    await host.peer.waitForRoom((s) => s.participants[wang.id]?.status === 'lobby');
    const seqBefore = host.peer.room.seq;

    // Malformed lists are refused before the room sees them.
    for (const participantIds of [[], 'everyone', [42], Array.from({ length: 1001 }, (_, i) => `p${i}`)]) {
      const answer = await rawRequest(host.peer.socket, 'lobby:admitAll', { commandId: `bad-list-${String(participantIds).length}`, participantIds });
      expect(answer).toMatchObject({ ok: false, error: 'BAD_REQUEST' });
    }
    // A member cannot admit anyone, list or not (admitted first, so that the refusal is about the role).
    await host.peer.command('lobby:admitAll', { participantIds: [zhang.id] });
    await zhang.peer.waitForRoom((s) => s.participants[zhang.id]?.status === 'admitted');
    await expect(zhang.peer.command('lobby:admitAll', { participantIds: [li.id] })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(zhang.peer.command('lobby:admitAll', {})).rejects.toMatchObject({ code: 'FORBIDDEN' });

    await host.peer.command('lobby:admitAll', { participantIds: [li.id, zhang.id] });
    const state = await host.peer.waitForRoom((s) => s.participants[li.id]?.status === 'admitted');
    expect(state.participants[wang.id]?.status).toBe('lobby');
    // Two admissions, nothing from the refused commands.
    expect(state.seq).toBe(seqBefore + 2);
    expect((await server.rooms.state(roomId))?.participants[wang.id]?.status).toBe('lobby');
  });
});
