/**
 * The audience's program, end to end on a real server with two mediasoup workers: members and
 * the chair publish real media (each camera painted in its own brightness), viewers watch the
 * program through AudienceMedia and decode it.
 *
 * What the public is promised, independently of how the server chooses:
 * - nobody holds the floor: the program shows the chair;
 * - the floor goes to A: it shows A and carries A's voice; then to B: it shows B;
 * - the viewer's consumers are the same from the first frame to the last (no consumer is made
 *   or closed for a switch), and a key frame of the new speaker reached the viewer;
 * - viewers are spread over both workers, and a viewer on either receives the program;
 * - a viewer cannot make itself more consumers, or act on consumers and transports not its own.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunningServer } from '../server/app.js';
import type { ViewerMedia } from '../server/media/AudienceMedia.js';
import { RtpCapabilitiesSchema } from '../signaling/schemas.js';
import { eventually } from './helpers/cluster.js';
import { ProgramViewer } from './helpers/ProgramViewer.js';
import { createRoom, invite } from './helpers/rooms.js';
import { startTestServer } from './helpers/server.js';
import { TestPeer } from './helpers/TestPeer.js';

/** Each camera's brightness: far enough apart for a decoded frame to say whose it is. */
const CHAIR = 128;
const MEMBER_A = 40;
const MEMBER_B = 215;
const near = (target: number) => (luma: number) => Math.abs(luma - target) < 25;

let server: RunningServer;
const peers: TestPeer[] = [];
const viewers: ProgramViewer[] = [];

async function participant(token: string, luma: number): Promise<TestPeer & { id: string }> {
  const p = await TestPeer.connect(server.url);
  peers.push(p);
  const joined = await p.join(token, `参会人 ${luma}`);
  await p.produce({ luma });
  return Object.assign(p, { id: joined.participantId });
}

/** A room with the chair and two members, each sending a microphone and a painted camera. */
async function meeting() {
  const { roomId, hostInvite } = await createRoom(server, { open: true, floorOnly: true });
  const chair = await participant(hostInvite, CHAIR);
  const a = await participant(await invite(server, roomId, 'member', 'city'), MEMBER_A);
  const b = await participant(await invite(server, roomId, 'member', 'd1'), MEMBER_B);
  return { roomId, chair, a, b };
}

function producerOf(p: TestPeer, kind: 'audio' | 'video'): string {
  const found = [...p.producers.values()].find((producer) => producer.kind === kind);
  if (!found) throw new Error(`no ${kind} producer`);
  return found.id;
}

beforeAll(async () => {
  server = await startTestServer({ MEDIA_WORKERS: '2' });
});

afterAll(async () => {
  for (const v of viewers) v.close();
  for (const p of peers) p.close();
  await server?.close();
});

describe('the program follows the floor', () => {
  test('chair, then A, then B, then the chair again, on the same consumers, with a key frame after each switch', async () => {
    const { roomId, chair, a, b } = await meeting();
    const viewer = await ProgramViewer.open(await server.media.audience.openViewer(roomId, 'viewer-floor'));
    viewers.push(viewer);
    expect(viewer.consumers.map((c) => c.kind).sort()).toEqual(['audio', 'audio', 'video']);
    expect(viewer.consumers.every((c) => c.peerId === 'program')).toBe(true);
    const ids = viewer.consumers.map((c) => c.id);

    const program = await server.media.audience.program(roomId);
    if (!program) throw new Error('no program for the room');
    // The viewer's own consumer of the program video, on the server: key frames it sends, and
    // whose camera the program carried at that moment.
    const [served] = [...(await server.media.audience.viewersByRouter(roomId)).values()].flat();
    const videoConsumer = served?.serverConsumers().find((c) => c.kind === 'video');
    if (!videoConsumer) throw new Error('no server consumer of the program video');
    const keyFramesOf = new Map<string | null, number>();
    await videoConsumer.enableTraceEvent(['keyframe']);
    videoConsumer.on('trace', (trace) => {
      if (trace.type !== 'keyframe' || trace.direction !== 'out') return;
      const source = program.tracks.video.sourceProducerId;
      keyFramesOf.set(source, (keyFramesOf.get(source) ?? 0) + 1);
    });
    const closed: string[] = [];
    for (const c of served?.serverConsumers() ?? []) c.observer.once('close', () => closed.push(c.id));

    const floorAudioId = served?.serverConsumers().find((c) => c.appData['track'] === 'floorAudio')?.id ?? '';

    // Nobody holds the floor: the chair.
    await viewer.nextFrame(near(CHAIR), 'the chair before anyone speaks');
    expect(program.sources.video).toBe(producerOf(chair, 'video'));
    const floorPacketsBefore = (await viewer.audioPackets()).get(floorAudioId) ?? 0;

    await chair.command('floor:grant', { target: { kind: 'participant', participantId: a.id } });
    await viewer.nextFrame(near(MEMBER_A), 'member A on the floor');
    expect(program.sources).toEqual({ video: producerOf(a, 'video'), floorAudio: producerOf(a, 'audio'), chairAudio: producerOf(chair, 'audio') });
    expect(keyFramesOf.get(producerOf(a, 'video')) ?? 0).toBeGreaterThan(0);

    // A's voice reaches the viewer on the floor's audio track, which was silent while nobody spoke.
    expect(floorPacketsBefore).toBe(0);
    await eventually(async () => ((await viewer.audioPackets()).get(floorAudioId) ?? 0) > 0, "A's voice on the floor's audio track");

    await chair.command('floor:revoke', {});
    await chair.command('floor:grant', { target: { kind: 'participant', participantId: b.id } });
    await viewer.nextFrame(near(MEMBER_B), 'member B on the floor');
    expect(program.sources.video).toBe(producerOf(b, 'video'));
    expect(keyFramesOf.get(producerOf(b, 'video')) ?? 0).toBeGreaterThan(0);

    await chair.command('floor:revoke', {});
    await viewer.nextFrame(near(CHAIR), 'the chair once the floor is free');

    expect(viewer.consumers.map((c) => c.id)).toEqual(ids);
    expect(served?.serverConsumers().map((c) => c.id).sort()).toEqual([...ids].sort());
    expect(closed).toEqual([]);
    expect(program.tracks.video.switches).toBeGreaterThanOrEqual(4);
  });
});

describe('the audience is spread over the workers', () => {
  test('100 viewers land on both audience routers about evenly, and a viewer on each receives the program', async () => {
    const { roomId } = await meeting();
    const opened: ViewerMedia[] = await Promise.all(Array.from({ length: 100 }, (_, i) => server.media.audience.openViewer(roomId, `viewer-${i}`)));
    try {
      const byRouter = await server.media.audience.viewersByRouter(roomId);
      expect(byRouter.size).toBe(2);
      const counts = [...byRouter.values()].map((v) => v.length);
      expect(counts.reduce((x, y) => x + y, 0)).toBe(100);
      // The room's own worker also carries its participants' transports: a few viewers fewer there.
      for (const n of counts) expect(n).toBeGreaterThanOrEqual(40);
      for (const [routerId, onRouter] of byRouter) {
        const media = onRouter[0];
        if (!media) throw new Error('no viewer on a router');
        const viewer = await ProgramViewer.open(media);
        viewers.push(viewer);
        await viewer.nextFrame(near(CHAIR), `the chair, for a viewer on router ${routerId}`);
      }
    } finally {
      for (const m of opened) m.close();
    }
  });
});

describe('a viewer is held to its own media', () => {
  test('asking again answers the same consumers; foreign ids are refused', async () => {
    const { roomId } = await meeting();
    const media = await server.media.audience.openViewer(roomId, 'viewer-hostile');
    try {
      const caps = RtpCapabilitiesSchema.parse(media.routerRtpCapabilities);
      const [first, ...again] = await Promise.all([media.watch(caps), media.watch(caps), media.watch(caps)]);
      for (const answer of again) expect(answer).toEqual(first);
      const other = await server.media.audience.openViewer(roomId, 'viewer-other');
      const theirs = await other.watch(caps);
      await expect(media.resume(theirs[0]?.id ?? '')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(media.connect(other.recvTransport.id, { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: 'AA' }] })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      other.close();
      await expect(other.watch(caps)).rejects.toMatchObject({ code: 'INVALID_STATE' });
    } finally {
      media.close();
    }
  });
});

describe("the program outlives the room's worker", () => {
  test("the room's worker dies: a viewer on the other worker keeps its consumers and sees the chair again once the chair is back", async () => {
    const { roomId, chair } = await meeting();
    const room = await server.media.get(roomId);
    const roomWorker = server.pool.workerOf(room.router);
    // Viewers go to the least-loaded worker: the room's has its participants' transports, so
    // the first viewers land on the other one. Take one that did.
    const candidates = await Promise.all([0, 1, 2].map((i) => server.media.audience.openViewer(roomId, `viewer-survivor-${i}`)));
    const outlets = await server.media.audience.outlets(roomId);
    const elsewhere = candidates.find((m) => server.pool.workerOf(outlets.find((o) => o.router.id === m.routerId)?.router ?? room.router) !== roomWorker);
    if (!elsewhere || !roomWorker) throw new Error('no viewer off the room worker');
    for (const m of candidates) if (m !== elsewhere) m.close();
    const viewer = await ProgramViewer.open(elsewhere);
    viewers.push(viewer);
    await viewer.nextFrame(near(CHAIR), 'the chair before the worker dies');
    const ids = viewer.consumers.map((c) => c.id);

    const reconnect = new Promise((resolve) => chair.socket.once('media:reconnect', resolve));
    process.kill(roomWorker.pid, 'SIGKILL');
    expect(await reconnect).toEqual({ reason: 'worker-died' });
    chair.consumers.clear();
    chair.producers.clear();
    await chair.joinMedia();
    // The chair comes back with another picture, so the frame below is from after the death.
    const CHAIR_AGAIN = 90;
    await chair.produce({ luma: CHAIR_AGAIN });
    await viewer.nextFrame(near(CHAIR_AGAIN), 'the chair after the worker was replaced');
    expect(viewer.consumers.map((c) => c.id)).toEqual(ids);
  });
});

describe('the audience never locks the meeting out', () => {
  test('viewers are refused with CAPACITY while participants can still join the full worker', async () => {
    // One worker taking 60 transports: the chair's 2, an outlet's DirectTransport, the
    // program's DirectTransport on the room's router, then viewers, up to the participants' reserve.
    const small = await startTestServer({ MEDIA_WORKERS: '1', MEDIA_MAX_TRANSPORTS_PER_WORKER: '60' });
    const opened: ViewerMedia[] = [];
    try {
      const { roomId, hostInvite } = await createRoom(small, { open: true });
      const chair = await TestPeer.connect(small.url);
      peers.push(chair);
      await chair.join(hostInvite, '主持人');
      let refused: unknown = null;
      for (let i = 0; i < 60 && refused === null; i++) {
        await small.media.audience.openViewer(roomId, `viewer-${i}`).then((m) => opened.push(m), (error: unknown) => (refused = error));
      }
      expect(refused).toMatchObject({ code: 'CAPACITY' });
      expect(opened.length).toBeGreaterThan(0);
      // Members still get in, with their media, on the worker the audience filled.
      for (const venue of ['city', 'd1', 'd2']) {
        const member = await TestPeer.connect(small.url);
        peers.push(member);
        const joined = await member.join(await invite(small, roomId, 'member', venue), `委员 ${venue}`);
        expect(joined.media).not.toBeNull();
      }
    } finally {
      for (const m of opened) m.close();
      await small.close();
    }
  });
});
