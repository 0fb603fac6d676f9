/**
 * A point of order interrupting the speech, through the real server with raw Socket.IO
 * clients: nobody but the chair interrupts, only for a queued point of order, a repeated
 * command interrupts once, and the interrupted speaker's microphone is paused on the server
 * while they wait and heard again when their speech is back.
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves when `probe` holds, polling the server's own objects. */
async function until(probe: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

describe('a point of order interrupts the speech, on the server', () => {
  test('only the chair interrupts, only for a queued point of order, once per command id; the waiting speaker is not heard', async () => {
    const { roomId, hostInvite } = await createRoom(server, { open: true, floorOnly: true, defaultSpeechSeconds: 600 });
    const host = await connect();
    await host.join(hostInvite, '周主持');
    const speaker = await connect();
    const raiser = await connect();
    const speakerId = (await speaker.join(await invite(server, roomId, 'member', 'd1'), '李委员')).participantId;
    const raiserId = (await raiser.join(await invite(server, roomId, 'member', 'city'), '王委员')).participantId;
    await speaker.produce({ audio: true, video: false });
    const micId = [...speaker.producers.values()][0]?.id ?? '';
    const serverMic = async () => (await server.media.get(roomId)).peer(speakerId)?.producers.get(micId);

    await host.command('floor:grant', { target: { kind: 'participant', participantId: speakerId }, seconds: 300 });
    await until(async () => (await serverMic())?.paused === false, 'the speaker to be heard');

    // Nobody has raised a point of order yet: nothing to interrupt for.
    expect(await rawRequest(host.socket, 'floor:interrupt', { commandId: 'interrupt-none-1' })).toMatchObject({ ok: false, error: 'INVALID_STATE' });
    await raiser.command('queue:raise', { speechType: 'order', note: '超出议题' });
    await host.waitForRoom((s) => s.queue.entries.some((q) => q.participantId === raiserId));

    // A member sending the chair's command is refused; so is a malformed one.
    expect(await rawRequest(raiser.socket, 'floor:interrupt', { commandId: 'interrupt-forged-1' })).toMatchObject({ ok: false, error: 'FORBIDDEN' });
    expect(await rawRequest(host.socket, 'floor:interrupt', { participantId: 7, commandId: 'interrupt-bad-1' })).toMatchObject({ ok: false, error: 'BAD_REQUEST' });
    expect(await rawRequest(host.socket, 'floor:revoke', { interrupted: 'yes', commandId: 'revoke-bad-1' })).toMatchObject({ ok: false, error: 'BAD_REQUEST' });
    expect((await server.rooms.state(roomId))?.floor?.holder).toEqual({ kind: 'participant', participantId: speakerId });

    // The chair interrupts; the same command sent again (a retry) answers the same and records nothing more.
    const first = await rawRequest(host.socket, 'floor:interrupt', { commandId: 'interrupt-once-1' });
    const again = await rawRequest(host.socket, 'floor:interrupt', { commandId: 'interrupt-once-1' });
    expect(first).toMatchObject({ ok: true });
    expect(again).toEqual(first);
    const during = await host.waitForRoom((s) => s.floor?.type === 'order');
    expect(during.floor?.holder).toEqual({ kind: 'participant', participantId: raiserId });
    expect(during.floor?.interrupted?.floor.holder).toEqual({ kind: 'participant', participantId: speakerId });
    expect(host.received.filter((e) => e.type === 'floor.interrupted')).toHaveLength(1);
    // The waiting speaker's microphone is paused by the server, and their client cannot undo it.
    await until(async () => (await serverMic())?.paused === true, 'the server to pause the waiting speaker');
    await expect(speaker.request('producer:resume', { producerId: micId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    // Meanwhile the chair cannot hand the floor to someone else.
    await expect(host.command('floor:grant', { target: { kind: 'participant', participantId: speakerId } })).rejects.toMatchObject({ code: 'INVALID_STATE' });

    // The point of order ends: the speech is back, and so is its microphone.
    await raiser.command('floor:yield', {});
    const back = await host.waitForRoom((s) => s.floor?.type === 'statement');
    expect(back.floor?.holder).toEqual({ kind: 'participant', participantId: speakerId });
    expect(back.floor?.interruptions).toHaveLength(1);
    expect(back.speeches.map((s) => [s.type, s.end])).toEqual([['order', 'yielded']]);
    await until(async () => (await serverMic())?.paused === false, 'the speaker to be heard again');
    // Nothing waits any more: revoking "the waiting speech" is refused.
    await expect(host.command('floor:revoke', { interrupted: true })).rejects.toMatchObject({ code: 'INVALID_STATE' });
  });
});
