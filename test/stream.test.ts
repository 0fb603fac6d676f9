/**
 * The live HLS stream of the program, end to end on a real server with Debian's ffmpeg: the
 * chair and two members publish real media (each camera painted in its own brightness), a
 * player-like client fetches the playlist and segments over HTTP, and ffprobe and ffmpeg look
 * into what it got.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunningServer } from '../server/app.js';
import { ApiErrorBody } from '../signaling/http/errors.js';
import { Health, HEALTH_PATH } from '../signaling/http/health.js';
import { readdirSync } from 'node:fs';
import { SEGMENT_NAME, streamPlaylistPath } from '../signaling/http/stream.js';
import { STREAM_FORMAT } from '../server/stream/ffmpegArgs.js';
import { audioPackets, codecsOf, fetchPlaylist, fetchSegment, lastFrameLuma, meanVolume, playlistSegments, untilSegment } from './helpers/hlsProbe.js';
import { readJson } from './helpers/http.js';
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

async function participant(target: RunningServer, token: string, luma: number): Promise<TestPeer & { id: string }> {
  const p = await TestPeer.connect(target.url);
  peers.push(p);
  const joined = await p.join(token, `参会人 ${luma}`);
  await p.produce({ luma });
  return Object.assign(p, { id: joined.participantId });
}

/** A room with the chair and two members, each sending a microphone and a painted camera; `publicLink`: the public may watch. */
async function meeting(target: RunningServer, { publicLink }: { publicLink: boolean }) {
  const { roomId, hostInvite } = await createRoom(target, { open: true, floorOnly: true });
  if (publicLink) await invite(target, roomId, 'public');
  const chair = await participant(target, hostInvite, CHAIR);
  const a = await participant(target, await invite(target, roomId, 'member', 'city'), MEMBER_A);
  const b = await participant(target, await invite(target, roomId, 'member', 'd1'), MEMBER_B);
  return { roomId, chair, a, b };
}

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  for (const p of peers) p.close();
  await server?.close();
});

describe('the live stream follows the floor', () => {
  test('H.264 and AAC segments with cache headers; the picture goes from the chair to A, to B, and back', async () => {
    const { roomId, chair, a, b } = await meeting(server, { publicLink: true });
    const playlistUrl = `${server.url}${streamPlaylistPath(roomId)}`;

    const first = await fetchPlaylist(playlistUrl);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
    expect(first.headers.get('cache-control')).toBe('public, max-age=1');
    const playlist = await first.text();
    expect(playlist).toContain('#EXTM3U');
    const [segment] = playlistSegments(playlist);
    if (!segment) throw new Error(`no segment in the playlist:\n${playlist}`);

    const { file, response } = await fetchSegment(new URL(segment, playlistUrl).href);
    expect(response.headers.get('content-type')).toBe('video/mp2t');
    expect(response.headers.get('cache-control')).toBe('public, max-age=86400, immutable');
    expect(await codecsOf(file)).toEqual({ video: ['h264'], audio: ['aac'] });
    // Sound from the first segment on: a player makes its audio buffer from the first one it loads.
    expect(await audioPackets(file)).toBeGreaterThan(0);

    const dir = server.streams?.dir(roomId);
    if (!dir) throw new Error('no stream directory');
    const showing = (target: number) => async (url: string) => near(target)(await lastFrameLuma((await fetchSegment(url)).file));
    await untilSegment(dir, playlistUrl, showing(CHAIR), 'the chair before anyone speaks');

    await chair.command('floor:grant', { target: { kind: 'participant', participantId: a.id } });
    await untilSegment(dir, playlistUrl, showing(MEMBER_A), 'member A on the floor');
    // A's voice is in the mix: louder than the silence the stream carries between speakers.
    await untilSegment(dir, playlistUrl, async (url) => (await meanVolume((await fetchSegment(url)).file)) > -60, "A's voice");

    await chair.command('floor:revoke', {});
    await chair.command('floor:grant', { target: { kind: 'participant', participantId: b.id } });
    await untilSegment(dir, playlistUrl, showing(MEMBER_B), 'member B on the floor');

    await chair.command('floor:revoke', {});
    await untilSegment(dir, playlistUrl, showing(CHAIR), 'the chair once the floor is free');

    // One encoder all along: the stream followed the floor without restarting.
    expect(server.streams?.stream(roomId)?.status).toMatchObject({ state: 'live', restarts: 0 });
    // A sliding window: the segments that left the playlist are deleted.
    const playlistNow = playlistSegments(await (await fetchPlaylist(playlistUrl)).text());
    const onDisk = readdirSync(dir).filter((name) => SEGMENT_NAME.test(name));
    expect(playlistNow.length).toBe(STREAM_FORMAT.listSize);
    expect(onDisk.length).toBeLessThanOrEqual(STREAM_FORMAT.listSize + 2);
  });
});

describe('ffmpeg dies', () => {
  test('it is restarted, the host is told it failed and that it is back, and the playlist names new segments', async () => {
    const { roomId, chair } = await meeting(server, { publicLink: true });
    const playlistUrl = `${server.url}${streamPlaylistPath(roomId)}`;
    const before = playlistSegments(await (await fetchPlaylist(playlistUrl)).text());
    const stream = server.streams?.stream(roomId);
    if (!stream?.pid) throw new Error('no ffmpeg running');
    const told: unknown[] = [];
    const back = new Promise<void>((resolve) =>
      chair.socket.on('stream:status', (data) => {
        told.push(data);
        if (data.state === 'live') resolve();
      }),
    );
    process.kill(stream.pid, 'SIGKILL');
    await back;
    expect(told).toEqual([{ state: 'failing' }, { state: 'live' }]);
    expect(stream.status).toMatchObject({ state: 'live', restarts: 1 });
    const after = playlistSegments(await (await fetchPlaylist(playlistUrl)).text());
    // Another run, other names: a cache never serves the old run's bytes for a new segment.
    expect(after.some((name) => before.includes(name))).toBe(false);
  });
});

describe("the media worker dies", () => {
  test('the stream restarts on its replacement and shows the chair again once the chair is back', async () => {
    const own = await startTestServer();
    try {
      const { roomId, chair } = await meeting(own, { publicLink: true });
      const playlistUrl = `${own.url}${streamPlaylistPath(roomId)}`;
      expect((await fetchPlaylist(playlistUrl)).status).toBe(200);
      const stream = own.streams?.stream(roomId);
      if (!stream) throw new Error('no stream');
      const worker = own.pool.workerOf((await own.media.get(roomId)).router);
      if (!worker) throw new Error('no worker');
      const reconnect = new Promise((resolve) => chair.socket.once('media:reconnect', resolve));
      const failed = new Promise<void>((resolve) => stream.on('status', (s) => s.state === 'failing' && resolve()));
      process.kill(worker.pid, 'SIGKILL');
      await Promise.all([reconnect, failed]);
      chair.consumers.clear();
      chair.producers.clear();
      await chair.joinMedia();
      // The chair comes back with another picture, so the frame below is from after the death.
      const CHAIR_AGAIN = 90;
      await chair.produce({ luma: CHAIR_AGAIN });
      await new Promise<void>((resolve) => {
        if (stream.status.state === 'live') resolve();
        stream.on('status', (s) => s.state === 'live' && resolve());
      });
      const showing = (target: number) => async (url: string) => near(target)(await lastFrameLuma((await fetchSegment(url)).file));
      await untilSegment(own.streams!.dir(roomId)!, playlistUrl, showing(CHAIR_AGAIN), 'the chair after the worker was replaced');
    } finally {
      await own.close();
    }
  });
});

describe('a program without a picture', () => {
  test('the chair without a camera and nobody on the floor: the stream goes on with a black slate, then shows the speaker', async () => {
    const { roomId, hostInvite } = await createRoom(server, { open: true, floorOnly: true });
    await invite(server, roomId, 'public');
    const chair = await TestPeer.connect(server.url);
    peers.push(chair);
    await chair.join(hostInvite, '主持人');
    await chair.produce({ video: false });
    const a = await participant(server, await invite(server, roomId, 'member', 'city'), MEMBER_A);
    const playlistUrl = `${server.url}${streamPlaylistPath(roomId)}`;
    expect((await fetchPlaylist(playlistUrl)).status).toBe(200);
    const dir = server.streams?.dir(roomId);
    if (!dir) throw new Error('no stream directory');
    const showing = (target: number) => async (url: string) => near(target)(await lastFrameLuma((await fetchSegment(url)).file));
    // Black in limited-range video is 16.
    await untilSegment(dir, playlistUrl, showing(16), 'the black slate');
    await chair.command('floor:grant', { target: { kind: 'participant', participantId: a.id } });
    await untilSegment(dir, playlistUrl, showing(MEMBER_A), 'member A on the floor');
    expect(server.streams?.stream(roomId)?.status).toMatchObject({ state: 'live', restarts: 0 });
  });
});

describe('who may fetch what', () => {
  test('names that are not segments of the stream, and segments that are not there, are 404', async () => {
    const { roomId } = await meeting(server, { publicLink: true });
    expect((await fetchPlaylist(`${server.url}${streamPlaylistPath(roomId)}`)).status).toBe(200);
    for (const name of ['program.sdp', '..%2Fprogram.sdp', '..%2F..%2Frooms.sqlite', 'seg-1.ts', 'seg-abc-1.ts.tmp', 'index.m3u8.tmp', '%2Fetc%2Fpasswd', 'seg-abc-99999.ts']) {
      const res = await fetch(`${server.url}/stream/${roomId}/${name}`);
      expect(res.status, name).toBe(404);
      expect(res.headers.get('cache-control'), name).toBe('no-store');
      expect((await readJson(res, ApiErrorBody)).error, name).toBe('NOT_FOUND');
    }
  });

  test('a meeting without a public link has no stream, nor has a room that does not exist', async () => {
    const { roomId } = await meeting(server, { publicLink: false });
    for (const url of [`${server.url}${streamPlaylistPath(roomId)}`, `${server.url}${streamPlaylistPath('nosuchroom')}`]) {
      const res = await fetch(url);
      expect(res.status, url).toBe(404);
      expect((await readJson(res, ApiErrorBody)).error).toBe('NOT_FOUND');
    }
    expect(server.streams?.stream(roomId)).toBeUndefined();
  });
});

describe('the meeting ends', () => {
  test('the stream answers 404 from then on, and its encoder stops at that request rather than when idle', async () => {
    const { roomId, chair } = await meeting(server, { publicLink: true });
    const playlistUrl = `${server.url}${streamPlaylistPath(roomId)}`;
    expect((await fetchPlaylist(playlistUrl)).status).toBe(200);
    const stopped = new Promise<void>((resolve) => server.streams?.on('stop', (id) => id === roomId && resolve()));
    await chair.command('room:end', {});
    // A player keeps asking; within the access check's reuse (5 s) the answer turns to 404.
    let status = 200;
    while (status === 200) {
      status = (await fetchPlaylist(playlistUrl)).status;
      if (status === 200) await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe(404);
    await stopped;
    expect(server.streams?.stream(roomId)).toBeUndefined();
  });
});

describe('nobody asks', () => {
  test('the encoder stops STREAM_IDLE_SECONDS after the last request, and the next request starts it again', async () => {
    const idle = await startTestServer({ STREAM_IDLE_SECONDS: '5' });
    try {
      const { roomId } = await meeting(idle, { publicLink: true });
      const playlistUrl = `${idle.url}${streamPlaylistPath(roomId)}`;
      expect((await fetchPlaylist(playlistUrl)).status).toBe(200);
      const pid = idle.streams?.stream(roomId)?.pid;
      if (!pid) throw new Error('no ffmpeg running');
      const exited = new Promise<void>((resolve) => idle.streams?.once('stop', () => resolve()));
      await exited;
      expect(idle.streams?.stream(roomId)).toBeUndefined();
      expect((await readJson(await fetch(`${idle.url}${HEALTH_PATH}`), Health)).stream).toMatchObject({ running: 0 });
      expect((await fetchPlaylist(playlistUrl)).status).toBe(200);
      expect(idle.streams?.stream(roomId)?.pid).not.toBe(pid);
    } finally {
      await idle.close();
    }
  });
});

describe('ffmpeg missing', () => {
  test('the meeting goes on, the playlist answers 503, /healthz says why, and the host is told', async () => {
    const broken = await startTestServer({ FFMPEG_PATH: '/nonexistent/ffmpeg' });
    try {
      const { roomId, chair, a } = await meeting(broken, { publicLink: true });
      const hostTold = new Promise((resolve) => chair.socket.once('stream:status', resolve));
      const memberTold: unknown[] = [];
      a.socket.on('stream:status', (data) => memberTold.push(data));
      const res = await fetch(`${broken.url}${streamPlaylistPath(roomId)}`);
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('2');
      expect((await readJson(res, ApiErrorBody)).error).toBe('UNAVAILABLE');

      const health = await fetch(`${broken.url}${HEALTH_PATH}`);
      expect(health.status).toBe(200);
      const { stream } = await readJson(health, Health);
      expect(stream).toMatchObject({ enabled: true, running: 1, live: 0, failing: 1 });
      expect(stream.lastError).toMatch(/ffmpeg could not start.*ENOENT/);

      expect(await hostTold).toEqual({ state: 'failing' });
      // The meeting does not notice: the floor still moves (and the member, no host, was told nothing).
      await chair.command('floor:grant', { target: { kind: 'participant', participantId: a.id } });
      expect(memberTold).toEqual([]);
    } finally {
      await broken.close();
    }
  });
});
