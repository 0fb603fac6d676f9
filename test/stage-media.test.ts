/**
 * The stage and audio-only, on the real server with a real worker and raw protocol clients that
 * never use the browser's page: the floor raises its speaker's camera to the top simulcast
 * layer whatever a page asked for, and audio-only is enforced by the server (the camera is not
 * forwarded, no video but the stage's reaches the peer), reported to the chair and to nobody else.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { RunningServer } from '../server/app.js';
import type { AudioOnlyFlag } from '../signaling/protocol.js';
import { createRoom, invite } from './helpers/rooms.js';
import { startTestServer } from './helpers/server.js';
import { TestPeer, rawRequest } from './helpers/TestPeer.js';

let server: RunningServer;
const peers: TestPeer[] = [];

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  for (const p of peers) p.close();
  await server.close();
});

async function peer(): Promise<TestPeer> {
  const p = await TestPeer.connect(server.url);
  peers.push(p);
  return p;
}

/** Waits for a server-side condition that follows a request (the media policy runs after the ack). */
async function until<T>(probe: () => T | Promise<T>, ok: (value: T) => boolean, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: last value ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A meeting with a chair, a speaker in 一区 sending simulcast, and a listener in the city. */
async function meeting() {
  const { roomId, hostInvite } = await createRoom(server, { open: true });
  const host = await peer();
  const speaker = await peer();
  const listener = await peer();
  const audioOnlyReports: AudioOnlyFlag[][] = [];
  host.socket.on('media:quality', ({ audioOnly }) => audioOnlyReports.push(audioOnly));
  const listenerHeard: unknown[] = [];
  listener.socket.on('media:quality', (report) => listenerHeard.push(report));
  await host.join(hostInvite, '周主持');
  const speakerJoined = await speaker.join(await invite(server, roomId, 'member', 'd1'), '李委员');
  const listenerJoined = await listener.join(await invite(server, roomId, 'member', 'city'), '王委员');
  await speaker.produce({ audio: true, video: true, simulcast: true });
  await listener.produce({ audio: true, video: true });
  // The listener receives the speaker's microphone and camera.
  await listener.waitForConsumers(2);
  const media = await server.media.get(roomId);
  const speakerId = speakerJoined.participantId;
  const listenerId = listenerJoined.participantId;
  const listenerPeer = media.peer(listenerId);
  if (!listenerPeer) throw new Error('listener has no media');
  const ofSpeaker = (kind: 'audio' | 'video') => {
    const c = [...listenerPeer.consumers.values()].find((x) => x.appData.peerId === speakerId && x.kind === kind);
    if (!c) throw new Error(`no ${kind} consumer of the speaker`);
    return c;
  };
  return { roomId, host, speaker, listener, media, speakerId, listenerId, listenerPeer, ofSpeaker, audioOnlyReports, listenerHeard };
}

test('the floor raises its speaker camera to the top simulcast layer for a page that asked for the lowest, and gives the ask back after', async () => {
  const m = await meeting();
  const video = m.ofSpeaker('video');
  expect(video.type).toBe('simulcast');
  // The listener's page shows the speaker in a small tile: it asks for the lowest layer.
  await m.listener.request('consumer:setLayers', { consumerId: video.id, spatialLayer: 0 });
  expect(video.preferredLayers?.spatialLayer).toBe(0);

  await m.host.command('floor:grant', { target: { kind: 'participant', participantId: m.speakerId } });
  // Three simulcast encodings: the top spatial layer is 2. The page never asked for it.
  await until(() => video.preferredLayers?.spatialLayer, (layer) => layer === 2, 'top layer while on the floor');
  // A microphone has no layers and is left alone.
  expect(m.ofSpeaker('audio').type).toBe('simple');

  await m.host.command('floor:revoke', {});
  await until(() => video.preferredLayers?.spatialLayer, (layer) => layer === 0, 'the page’s own layer after the floor');

  // A venue on the floor is every participant of it: the speaker of 一区 is raised again.
  await m.host.command('floor:grant', { target: { kind: 'venue', venue: 'd1' } });
  await until(() => video.preferredLayers?.spatialLayer, (layer) => layer === 2, 'top layer while the venue holds the floor');
  await m.host.command('floor:revoke', {});
  await until(() => video.preferredLayers?.spatialLayer, (layer) => layer === 0, 'the page’s own layer after the venue');
});

test('a camera reaches a page at its lowest layer until the page asks; the floor raises it, a page that joins meanwhile gets the top, and after the floor it is the lowest again', async () => {
  const m = await meeting();
  const video = m.ofSpeaker('video');
  expect(video.type).toBe('simulcast');
  // Nobody asked yet: the lowest of the three layers, not mediasoup's default (the top).
  expect(video.preferredLayers?.spatialLayer).toBe(0);

  await m.host.command('floor:grant', { target: { kind: 'participant', participantId: m.speakerId } });
  await until(() => video.preferredLayers?.spatialLayer, (layer) => layer === 2, 'top layer while on the floor');
  // A page that arrives while the speaker holds the floor: the speaker is on its stage at once.
  const late = await peer();
  const lateJoined = await late.join(await invite(server, m.roomId, 'member', 'city'), '赵委员');
  await late.waitForConsumers(2);
  const latePeer = m.media.peer(lateJoined.participantId);
  const lateVideo = [...(latePeer?.consumers.values() ?? [])].find((c) => c.appData.peerId === m.speakerId && c.kind === 'video');
  expect(lateVideo?.preferredLayers?.spatialLayer).toBe(2);

  await m.host.command('floor:revoke', {});
  // Neither page ever asked: both go back to where every camera starts.
  await until(() => video.preferredLayers?.spatialLayer, (layer) => layer === 0, 'the lowest layer after the floor');
  await until(() => lateVideo?.preferredLayers?.spatialLayer, (layer) => layer === 0, 'the late page’s lowest layer after the floor');
});

test('audio-only: the server stops the camera and every video but the stage, audio flows, the chair (and nobody else) is told', async () => {
  const m = await meeting();
  const video = m.ofSpeaker('video');
  const audio = m.ofSpeaker('audio');
  await until(() => video.paused, (paused) => !paused, 'the speaker camera resumed by the listener');
  const camera = [...m.listenerPeer.producers.values()].find((p) => p.appData.source === 'camera');
  if (!camera) throw new Error('listener camera not produced');
  expect(camera.paused).toBe(false);

  await m.listener.request('media:audioOnly', { on: true });
  expect(m.listenerPeer.audioOnly).toBe(true);
  expect(camera.paused).toBe(true);
  expect(video.paused).toBe(true);
  expect(audio.paused).toBe(false);
  // The chair hears it at once, without waiting for the next quality report.
  await until(() => m.audioOnlyReports.flat(), (flags) => flags.some((f) => f.peerId === m.listenerId && f.on), 'the chair told');

  // A client that ignores its audio-only and resumes anyway changes nothing: the server holds it.
  await m.listener.request('consumer:resume', { consumerId: video.id });
  expect(video.paused).toBe(true);
  await m.listener.request('producer:resume', { producerId: camera.id });
  expect(camera.paused).toBe(true);

  // The stage is the exception: the floor holder's camera is forwarded, and paused again after.
  await m.host.command('floor:grant', { target: { kind: 'participant', participantId: m.speakerId } });
  await until(() => video.paused, (paused) => !paused, 'the stage forwarded to an audio-only peer');
  await m.host.command('floor:revoke', {});
  await until(() => video.paused, (paused) => paused, 'paused again off the stage');

  // Audio-only does not touch rights: the listener still raises a hand.
  await m.listener.command('queue:raise', { speechType: 'statement', note: '' });

  await m.listener.request('media:audioOnly', { on: false });
  expect(camera.paused).toBe(false);
  expect(video.paused).toBe(false);
  await until(() => m.audioOnlyReports.flat(), (flags) => flags.some((f) => f.peerId === m.listenerId && !f.on), 'the chair told of the end');
  expect(m.listenerHeard).toEqual([]);
});

test('media:audioOnly is parsed at the boundary: anything but { on: boolean } is BAD_REQUEST', async () => {
  const { roomId } = await createRoom(server, { open: true });
  const member = await peer();
  expect(await rawRequest(member.socket, 'media:audioOnly', { on: 'yes' })).toMatchObject({ ok: false, error: 'BAD_REQUEST' });
  await member.join(await invite(server, roomId, 'member', 'city'), '赵委员');
  expect(await rawRequest(member.socket, 'media:audioOnly', { on: true, extra: 1 })).toMatchObject({ ok: false, error: 'BAD_REQUEST' });
  expect(await rawRequest(member.socket, 'media:audioOnly', { on: true })).toMatchObject({ ok: true });
  await expect(member.request('media:audioOnly', { on: false })).resolves.toBeNull();
});

test('each peer hears its own link score', async () => {
  const { roomId } = await createRoom(server, { open: true, floorOnly: false });
  const a = await peer();
  const b = await peer();
  const scores: Array<number | null> = [];
  a.socket.on('media:link', ({ score }) => scores.push(score));
  await a.join(await invite(server, roomId, 'member', 'city'), '甲');
  await b.join(await invite(server, roomId, 'member', 'city'), '乙');
  await a.produce({ audio: true, video: true });
  await b.produce({ audio: true, video: true });
  const score = await until(() => scores.find((s) => s !== null), (s) => s !== undefined, 'a scored link', 15_000);
  expect(score).toBeGreaterThanOrEqual(0);
  expect(score).toBeLessThanOrEqual(10);
});
