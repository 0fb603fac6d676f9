/**
 * The roll call checked by media and the halls' headcounts through the real server, with a
 * real mediasoup worker and clients that lie: a click without any microphone, a confirm that
 * claims to have been heard, a member reporting a hall, counts out of bounds.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunningServer } from '../server/app.js';
import { rollCallAnswer } from '../signaling/room/rollCall.js';
import type { RollCall } from '../signaling/room/state.js';
import { totalAttendance } from '../signaling/room/attendance.js';
import { createRoom, invite } from './helpers/rooms.js';
import { startTestServer } from './helpers/server.js';
import { rawRequest, TestPeer } from './helpers/TestPeer.js';

let server: RunningServer;
const peers: TestPeer[] = [];

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  for (const p of peers) p.close();
  await server.close();
});

async function joined(invitation: string, name: string): Promise<{ peer: TestPeer; id: string }> {
  const peer = await TestPeer.connect(server.url);
  peers.push(peer);
  const j = await peer.join(invitation, name);
  return { peer, id: j.participantId };
}

const answer = (rc: RollCall | null, id: string) => (rc ? rollCallAnswer(rc, id) : 'no roll call');

describe('a roll call checked by media, through the server', () => {
  test('present needs a confirm and a microphone heard on the server, even one the floor keeps paused; a lying client gets neither', async () => {
    // Floor-only speaking (the default): every member's microphone is paused on the server.
    const { roomId, hostInvite } = await createRoom(server, { open: true });
    const host = await joined(hostInvite, '主持人');
    const speaker = await joined(await invite(server, roomId, 'member', 'city'), '张委员');
    const liar = await joined(await invite(server, roomId, 'member', 'd1'), '李委员');
    const quiet = await joined(await invite(server, roomId, 'member', 'd1'), '王委员');
    await speaker.peer.joinMedia();
    await speaker.peer.produce({ audio: true, video: false });
    // 王 sends a microphone that hears nothing, with DTX as the web client sends it.
    await quiet.peer.joinMedia();
    const [quietMic] = await quiet.peer.produce({ audio: true, video: false, amplitude: 0, dtx: true });
    if (!quietMic) throw new Error('a microphone expected');
    const media = await server.media.get(roomId);
    await expect.poll(() => [...(media.peer(speaker.id)?.producers.values() ?? [])].map((p) => p.paused)).toEqual([true]);
    // Opus leaves DTX's start-up hangover within a second or so: wait until the silence arrives as silence.
    const quietOnServer = media.peer(quiet.id)!.producers.get(quietMic.id)!;
    let last = 0;
    await expect
      .poll(async () => {
        const packets = (await quietOnServer.getStats()).reduce((n, st) => n + st.packetCount, 0);
        const grew = packets - last;
        last = packets;
        return grew;
      }, { interval: 500, timeout: 10_000 })
      .toBeLessThan(4);

    await host.peer.command('rollCall:start', {});
    // Heard on the server although nobody hears it in the room: recorded before any click.
    const heard = await host.peer.waitForRoom((s) => answer(s.rollCall, speaker.id) === 'heard');
    expect(heard.rollCall?.confirmed[speaker.id]).toBeUndefined();
    expect([...(media.peer(speaker.id)?.producers.values() ?? [])].map((p) => p.paused)).toEqual([true]);

    await speaker.peer.command('rollCall:confirm', {});
    // The liar clicks without any media, and claims in the payload to have been heard.
    const ack = await rawRequest(liar.peer.socket, 'rollCall:confirm', { commandId: 'liar-confirm-1', heardAt: Date.now(), mic: true } as never);
    expect(ack).toMatchObject({ ok: true });
    await quiet.peer.command('rollCall:confirm', {});

    const s = await host.peer.waitForRoom((r) => Object.keys(r.rollCall?.confirmed ?? {}).length === 3);
    expect(answer(s.rollCall, speaker.id)).toBe('present');
    expect(answer(s.rollCall, liar.id)).toBe('noMic');
    expect(answer(s.rollCall, quiet.id)).toBe('silent');
    const confirms = host.peer.received.filter((e) => e.type === 'rollCall.confirmed');
    expect(confirms.find((e) => e.actor === liar.id)?.data).toEqual({ participantId: liar.id, heardAt: null, mic: false });
    expect(confirms.find((e) => e.actor === quiet.id)?.data).toEqual({ participantId: quiet.id, heardAt: null, mic: true });
    expect(confirms.find((e) => e.actor === speaker.id)?.data).toMatchObject({ heardAt: expect.any(Number), mic: true });

    // The quiet member says a word: present, and the log says when.
    await quiet.peer.closeProducer(quietMic.id);
    await quiet.peer.produce({ audio: true, video: false });
    await host.peer.waitForRoom((r) => answer(r.rollCall, quiet.id) === 'present', 15_000);
    const heardQuiet = host.peer.received.filter((e) => e.type === 'rollCall.heard' && e.data.participantId === quiet.id);
    expect(heardQuiet).toHaveLength(1);
    expect(heardQuiet[0]?.actor).toBe('system');

    // A speaker heard again and again adds nothing to the log.
    const before = (await server.rooms.state(roomId))!.seq;
    await new Promise((r) => setTimeout(r, 2_500));
    expect((await server.rooms.state(roomId))!.seq).toBe(before);
    await host.peer.command('rollCall:end', {});
  });

  test('a venue terminal reports its hall; a member may not, nor a count below zero or above what the hall expects', async () => {
    const { roomId, hostInvite } = await createRoom(server, { open: true });
    const host = await joined(hostInvite, '主持人');
    const member = await joined(await invite(server, roomId, 'member', 'city'), '张委员');
    // 一区分会场 expects 2.
    const hall = await joined(await invite(server, roomId, 'venue', 'd1'), '一区分会场');
    await host.peer.waitForRoom((s) => s.participants[hall.id]?.status === 'admitted');
    expect(totalAttendance(host.peer.room)).toMatchObject({ present: 2, expected: 5 });

    await expect(member.peer.command('rollCall:headcount', { count: 2 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(host.peer.command('rollCall:headcount', { count: 2 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(hall.peer.command('rollCall:headcount', { count: -1 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(hall.peer.command('rollCall:headcount', { count: 1.5 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(hall.peer.command('rollCall:headcount', { count: 1e9 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(hall.peer.command('rollCall:headcount', { count: 3 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect((await server.rooms.state(roomId))?.participants[hall.id]?.headcount).toBeUndefined();

    await hall.peer.command('rollCall:headcount', { count: 2 });
    const s = await host.peer.waitForRoom((r) => r.participants[hall.id]?.headcount?.count === 2);
    // The hall's two members count instead of its terminal: 张 and two in 一区.
    expect(totalAttendance(s)).toMatchObject({ present: 3, expected: 5 });
    const reported = host.peer.received.find((e) => e.type === 'rollCall.headcount');
    expect(reported).toMatchObject({ actor: hall.id, data: { participantId: hall.id, venue: 'd1', count: 2 } });
  });
});
