/**
 * The process that records dies (SIGKILL) mid-recording: its part of the recording stays a
 * playable file, and another process of the cluster (same Redis, the recordings' directory
 * shared) goes on in a new part; the minutes lock measures both.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, test } from 'vitest';
import { Health, HEALTH_PATH } from '../signaling/http/health.js';
import type { RecordedPart } from '../signaling/room/state.js';
import { eventually, startCluster, type TestCluster } from './helpers/cluster.js';
import { codecsOf, mediaEnd } from './helpers/hlsProbe.js';
import { readJson } from './helpers/http.js';
import type { ServerProcess } from './helpers/processServer.js';
import { createRoom, invite } from './helpers/rooms.js';
import { TestPeer } from './helpers/TestPeer.js';

const run = promisify(execFile);
let cluster: TestCluster | undefined;
const peers: TestPeer[] = [];

afterAll(async () => {
  for (const p of peers) p.close();
  await cluster?.destroy();
});

async function recordingHealth(server: ServerProcess): Promise<Health['recording']> {
  return (await readJson(await fetch(`${server.url}${HEALTH_PATH}`), Health)).recording;
}

/** Whether an ffmpeg writing `file` still runs. */
async function writing(file: string): Promise<boolean> {
  const { stdout } = await run('ps', ['-eo', 'args']).catch(() => ({ stdout: '' }));
  return stdout.split('\n').some((line) => line.includes('ffmpeg') && line.includes(path.basename(file)));
}

test('kill -9 the recording process: its part plays up to there, the other process records on, the lock measures both', async () => {
  const recordings = mkdtempSync(path.join(tmpdir(), 'wsl-recordings-'));
  cluster = await startCluster(2, { RECORDINGS_DIR: recordings });
  const [first, second] = cluster.servers as [ServerProcess, ServerProcess];
  const { roomId, hostInvite } = await createRoom(first, { open: true });

  // The chair and a member on different processes, each with media there: either may record.
  const chair = await TestPeer.connect(first.url);
  peers.push(chair);
  const chairJoined = await chair.join(hostInvite, '主持人');
  await chair.produce({ luma: 128 });
  const member = await TestPeer.connect(second.url);
  peers.push(member);
  await member.join(await invite(first, roomId, 'member', 'city'), '委员');
  await member.produce({ luma: 40 });
  await chair.command('recording:start', {});
  const started = await chair.waitForRoom((s) => s.recording.parts.length === 1, 30_000);
  const firstFile = path.join(recordings, roomId, `${started.recording.parts[0]!.name}.mp4`);
  let recorder: ServerProcess | undefined;
  await eventually(async () => {
    const running = await Promise.all(cluster!.servers.map(async (server) => (await recordingHealth(server)).running));
    recorder = running[0] === 1 ? first : running[1] === 1 ? second : undefined;
    // Exactly one process records the meeting.
    return running.reduce((sum, n) => sum + n, 0) === 1;
  }, 'one process records');
  const survivor = recorder === first ? second : first;
  await eventually(async () => ((await stat(firstFile).catch(() => null))?.size ?? 0) > 50_000, 'the first part has a few seconds');

  await recorder!.stop('SIGKILL');
  // The chair goes on from the surviving process (resuming there if theirs died).
  let host = chair;
  if (recorder === first) {
    host = await TestPeer.connect(survivor.url);
    peers.push(host);
    host.room = chair.room;
    await host.join(hostInvite, '主持人', { resumeToken: chairJoined.resumeToken, lastSeq: chair.room.seq });
  }
  const onward = await host.waitForRoom((s) => s.recording.parts.length === 2, 60_000);
  expect((await recordingHealth(survivor)).running).toBe(1);
  const secondFile = path.join(recordings, roomId, `${onward.recording.parts[1]!.name}.mp4`);
  await eventually(async () => ((await stat(secondFile).catch(() => null))?.size ?? 0) > 20_000, 'the second part grows', 30_000);

  // The dead process's ffmpeg died with it (a parent-death signal; before, it ran on for ~25 s
  // until its input timed out, writing into the shared directory); what it wrote plays.
  await eventually(async () => !(await writing(firstFile)), 'the dead process’s ffmpeg ends with it', 5_000);
  expect(await codecsOf(firstFile)).toEqual({ video: ['h264'], audio: ['aac'] });
  expect(await mediaEnd(firstFile)).toBeGreaterThan(1);

  await host.command('room:end', {});
  await host.waitForRoom((s) => s.ended && !s.recording.on);
  await host.command('minutes:lock', {});
  const locked = await host.waitForRoom((s) => s.minutes.lockedVersions.length === 1);
  const parts = locked.minutes.lockedVersions[0]!.recording!.parts;
  const onDisk = async (file: string): Promise<Pick<RecordedPart, 'bytes' | 'sha256'>> => {
    const bytes = await readFile(file);
    return { bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
  };
  // Every part the log knows is measured: the two above, and any a restart of the survivor's
  // encoder began meanwhile (a busy machine can make it wait too long for ffmpeg's first write).
  expect(parts.map((p) => p.name)).toEqual(locked.recording.parts.map((p) => p.name));
  expect(parts.slice(0, 2).map((p) => p.name)).toEqual(onward.recording.parts.map((p) => p.name));
  expect(parts[0]).toMatchObject(await onDisk(firstFile));
  expect(parts[1]).toMatchObject(await onDisk(secondFile));
  // The second part begins after the first one's last picture: the gap is the failover.
  expect(parts[1]!.startedAt).toBeGreaterThan(parts[0]!.startedAt + parts[0]!.durationMs);
});
