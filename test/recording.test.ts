/**
 * The recording (录像), end to end on a real server with Debian's ffmpeg: the chair and two
 * members publish real media (each camera painted in its own brightness), the chair records a
 * meeting in which the two speak in turn, and ffprobe and ffmpeg look into the file the lock
 * measured; the minutes' offsets must land on the right speaker.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunningServer } from '../server/app.js';
import { Health, HEALTH_PATH } from '../signaling/http/health.js';
import { RECORDING_ROUTE, RecordingListing } from '../signaling/http/recording.js';
import { minutesRecord } from '../signaling/record/skeleton.js';
import type { RoomState } from '../signaling/room/state.js';
import { codecsOf, frameLumaAt, mediaEnd } from './helpers/hlsProbe.js';
import { readJson } from './helpers/http.js';
import { cameraParticipant, LUMA, nearLuma, type CameraPeer } from './helpers/programFrames.js';
import { createRoom, invite } from './helpers/rooms.js';
import { startTestServer } from './helpers/server.js';
import { TestPeer } from './helpers/TestPeer.js';

const { chair: CHAIR, memberA: MEMBER_A, memberB: MEMBER_B } = LUMA;

let server: RunningServer;
const peers: TestPeer[] = [];

async function participant(target: RunningServer, token: string, luma: number): Promise<CameraPeer> {
  const peer = await cameraParticipant(target, token, `参会人 ${luma}`, luma);
  peers.push(peer);
  return peer;
}

async function meeting(target: RunningServer) {
  const { roomId, hostInvite } = await createRoom(target, { open: true, floorOnly: true });
  const memberInvite = await invite(target, roomId, 'member', 'city');
  const chair = await participant(target, hostInvite, CHAIR);
  const a = await participant(target, memberInvite, MEMBER_A);
  const b = await participant(target, await invite(target, roomId, 'member', 'd1'), MEMBER_B);
  return { roomId, hostInvite, memberInvite, chair, a, b };
}

/** The file of the room's `index`th part, once the log knows it. */
async function partFile(target: RunningServer, chair: TestPeer, roomId: string, index: number): Promise<string> {
  const state = await chair.waitForRoom((s) => s.recording.parts.length > index, 30_000);
  return target.recordingFiles!.file(roomId, state.recording.parts[index]!.name);
}

/**
 * Waits until the growing recording shows `luma` at its end and then has `moreSeconds` more
 * of it: a speech long enough to be found in the file. Reads the file as it is written (a
 * fragment a second): the last one may be half written, so a read that fails is tried again.
 * Once a second, as the file grows: each look reads the whole file, and the machine is shared.
 */
async function untilRecorded(file: string, luma: number, what: string, moreSeconds = 2): Promise<void> {
  const deadline = Date.now() + 30_000;
  let seenAt: number | null = null;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const end = await mediaEnd(file);
      const shown = await frameLumaAt(file, Math.max(0, end - 0.6));
      last = `luma ${shown.toFixed(0)} at ${end.toFixed(1)} s`;
      if (seenAt === null && nearLuma(luma)(shown)) seenAt = end;
      if (seenAt !== null && end >= seenAt + moreSeconds) return;
    } catch (error) {
      last = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`the recording never showed ${what} (${last})`);
}

/** The picture's brightness from two seconds before `seconds` to four after, for a failure's message. */
async function pictureAround(file: string, seconds: number): Promise<string> {
  const readings: string[] = [];
  for (let d = -2; d <= 4; d += 0.5) {
    const at = Math.max(0, seconds + d);
    readings.push(`${at.toFixed(1)} s: ${(await frameLumaAt(file, at)).toFixed(0)}`);
  }
  return `(${readings.join(', ')})`;
}

async function listing(target: RunningServer, roomId: string, token: string): Promise<Response> {
  return fetch(`${target.url}${RECORDING_ROUTE.path({ roomId })}`, { headers: { authorization: `Bearer ${token}` } });
}

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  for (const p of peers) p.close();
  await server?.close();
});

describe('a recorded meeting', () => {
  test('two speakers in turn: the locked record measures the file, and each speech offset shows its speaker', async () => {
    const { roomId, hostInvite, memberInvite, chair, a, b } = await meeting(server);
    await chair.command('recording:start', {});
    // Everybody sees 录制中 from the log.
    await a.waitForRoom((s) => s.recording.on);
    const file = await partFile(server, chair, roomId, 0);
    await untilRecorded(file, CHAIR, 'the chair before anyone speaks');

    await chair.command('floor:grant', { target: { kind: 'participant', participantId: a.id } });
    await untilRecorded(file, MEMBER_A, 'member A on the floor');
    await chair.command('floor:revoke', {});
    await untilRecorded(file, CHAIR, 'the chair between the speeches', 1);
    await chair.command('floor:grant', { target: { kind: 'participant', participantId: b.id } });
    await untilRecorded(file, MEMBER_B, 'member B on the floor');
    await chair.command('floor:revoke', {});
    await chair.command('room:end', {});
    const ended = await chair.waitForRoom((s) => s.ended && !s.recording.on);
    const stretch = ended.recording.stretches[0]!;
    expect(ended.recording.stretches).toHaveLength(1);

    await chair.command('minutes:lock', {});
    const state = (await server.rooms.state(roomId)) as RoomState;
    const minutes = minutesRecord(state)!;
    const [part] = minutes.recording!.parts;
    expect(minutes.recording!.parts).toHaveLength(1);

    // The lock measured the file as it is on disk.
    const bytes = await readFile(file);
    expect(part!.bytes).toBe(bytes.length);
    expect(part!.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(await codecsOf(file)).toEqual({ video: ['h264'], audio: ['aac'] });
    // It lasts as long as the recording ran in the meeting, within a second.
    expect(Math.abs(part!.durationMs! - (stretch.to! - part!.startedAt))).toBeLessThan(1000);
    expect(Math.abs(part!.durationMs! - (await mediaEnd(file)) * 1000)).toBeLessThan(100);

    // Each speech starts where the minutes say: its speaker a second in, somebody else a second before.
    const speeches = minutes.speeches.map((sp) => ({ speaker: sp.speaker, at: sp.recordingAt }));
    expect(speeches).toHaveLength(2);
    for (const [speech, luma] of [[speeches[0]!, MEMBER_A], [speeches[1]!, MEMBER_B]] as const) {
      expect(speech.at?.part, speech.speaker).toBe(0);
      const seconds = speech.at!.offsetMs / 1000;
      const into = nearLuma(luma)(await frameLumaAt(file, seconds + 1));
      // When it fails, where the speaker did appear: the picture's brightness around the offset.
      const around = into ? '' : await pictureAround(file, seconds);
      expect(into, `${speech.speaker} (brightness ${luma}) a second into the speech at ${seconds.toFixed(2)} s ${around}`).toBe(true);
      expect(nearLuma(luma)(await frameLumaAt(file, seconds - 1)), `${speech.speaker} a second before the speech`).toBe(false);
    }

    // Staff list it with links that open it (and seek: Range); a member may not until it is published.
    const staffListing = await readJson(await listing(server, roomId, hostInvite), RecordingListing);
    expect(staffListing).toMatchObject({ recording: false, published: false, parts: [{ name: part!.name, sha256: part!.sha256, bytes: part!.bytes }] });
    const keyed = `${server.url}${staffListing.parts[0]!.url}`;
    const whole = await fetch(keyed);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('video/mp4');
    // Done growing, and the link is one person's: their browser may keep it a while.
    expect(whole.headers.get('cache-control')).toBe('private, max-age=300');
    expect(Buffer.from(await whole.arrayBuffer()).equals(bytes)).toBe(true);
    const ranged = await fetch(keyed, { headers: { range: 'bytes=100-199' } });
    expect(ranged.status).toBe(206);
    expect(Buffer.from(await ranged.arrayBuffer()).equals(bytes.subarray(100, 200))).toBe(true);
    const bare = keyed.split('?')[0]!;
    expect((await fetch(bare)).status).toBe(404);
    expect((await fetch(`${bare}?key=${'1'.repeat(10)}.${'A'.repeat(43)}`)).status).toBe(404);
    expect((await listing(server, roomId, memberInvite)).status).toBe(403);

    // Published: every invite lists it, and the file needs no key.
    await chair.command('recording:publish', { published: true });
    const memberListing = await readJson(await listing(server, roomId, memberInvite), RecordingListing);
    expect(memberListing.published).toBe(true);
    expect(memberListing.parts[0]!.url).not.toContain('key=');
    expect((await fetch(bare)).status).toBe(200);
  });
});

describe('the recorder fails', () => {
  test('ffmpeg killed mid-recording: the first part plays up to there, a second part goes on, /healthz and the host are told', async () => {
    const { roomId, chair } = await meeting(server);
    const told: string[] = [];
    chair.socket.on('recording:status', ({ state }) => told.push(state));
    await chair.command('recording:start', {});
    const first = await partFile(server, chair, roomId, 0);
    await untilRecorded(first, CHAIR, 'the chair');
    const encoder = server.recorders!.encoder(roomId)!;
    process.kill(encoder.pid!, 'SIGKILL');

    const second = await partFile(server, chair, roomId, 1);
    await untilRecorded(second, CHAIR, 'the chair after the restart', 1);
    // Killed without closing its file: still a valid recording of what came before.
    expect(await codecsOf(first)).toEqual({ video: ['h264'], audio: ['aac'] });
    expect(await mediaEnd(first)).toBeGreaterThan(1);
    const health = await readJson(await fetch(`${server.url}${HEALTH_PATH}`), Health);
    expect(health.recording).toMatchObject({ enabled: true, running: 1, restarts: 1 });
    expect(health.recording.lastError).toMatch(/ffmpeg exited/);
    await chair.waitForRoom(() => told.includes('live'));
    expect(told).toEqual(['failing', 'live']);

    await chair.command('recording:stop', {});
    await chair.waitForRoom((s) => !s.recording.on);
    expect(server.recorders!.encoder(roomId)).toBeUndefined();
  });
});
