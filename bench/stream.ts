/**
 * Live HLS stream benchmark: how long a frame a speaker sends takes to reach a playable HLS
 * segment, next to how long the same frame takes to reach a WebRTC viewer of the program, in the
 * same run; how much CPU the stream's ffmpeg uses for one program, and the recorder's (the same
 * program recorded at the same time, a second ffmpeg) with the disk its file takes per hour.
 *
 * The rig is the product's path: a real server (startTestServer), the chair sending a painted
 * camera over WebRTC (@roamhq/wrtc), the program to a WebRTC viewer (AudienceMedia, decoded in
 * the test peers' process, test/helpers/peerHost) and to ffmpeg (the stream). The chair's camera
 * changes brightness at a known moment (the frame "sent", by the wall clock that every process
 * here shares); the WebRTC figure is when the viewer first decodes a frame of the
 * new brightness, the HLS figure is when the playlist first lists a segment whose last frame
 * has it (the moment a player could fetch it). A player then holds back a few segments more
 * (hls.js: 3 target durations by default), which this figure leaves out and the README adds.
 *
 * CPU: ffmpeg's user + system time (/proc/<pid>/stat) over the measured window, divided by the
 * window: the share of one core one program costs. The figures are per machine; the ratio of
 * the two delays is the figure to compare across runs.
 *
 * Environment (optional): STREAM_CHANGES (brightness changes measured, default 30).
 */
import { execFile } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { watch } from 'node:fs';
import { stat } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { z } from 'zod';
import { streamPlaylistPath } from '../signaling/http/stream.js';
import { fetchPlaylist, fetchSegment, playlistSegments } from '../test/helpers/hlsProbe.js';
import { ProgramViewer } from '../test/helpers/ProgramViewer.js';
import { createRoom, invite } from '../test/helpers/rooms.js';
import { startTestServer } from '../test/helpers/server.js';
import { TestPeer } from '../test/helpers/TestPeer.js';
import { processCpuMs } from './lib/cpuTime.js';
import { ms, startWatchdog, summarize, times } from './lib/stats.js';

const Env = z.object({ STREAM_CHANGES: z.coerce.number().int().min(2).max(100).default(30) });
const env = Env.parse(process.env);
const run = promisify(execFile);
const LUMAS = [60, 200] as const;
const near = (target: number) => (luma: number) => Math.abs(luma - target) < 25;

/** Mean Y of the centre of a segment's last picture (see test/helpers/hlsProbe.ts). */
async function lastLuma(file: string): Promise<number> {
  const { stdout } = await run('ffmpeg', ['-v', 'error', '-i', file, '-vf', 'crop=iw/2:ih/2,scale=8:8', '-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-'], { encoding: 'buffer', maxBuffer: 1 << 24 });
  const y = stdout.subarray(stdout.length - 96, stdout.length - 32);
  return y.reduce((s, v) => s + v, 0) / Math.max(1, y.length);
}

async function main(): Promise<void> {
  startWatchdog('stream', 10 * 60_000);
  const server = await startTestServer();
  const { roomId, hostInvite } = await createRoom(server, { open: true, floorOnly: true });
  await invite(server, roomId, 'public');
  const chair = await TestPeer.connect(server.url);
  await chair.join(hostInvite, '主持人');
  // Its camera painted flat (LUMAS), so that each receiver can tell a change by brightness.
  await chair.produce({ luma: LUMAS[0] });

  const viewer = await ProgramViewer.open(await server.media.audience.openViewer(roomId, 'bench-viewer'));
  await viewer.nextFrame(near(LUMAS[0]), 'the chair over WebRTC', 30_000);
  const playlistUrl = `${server.url}${streamPlaylistPath(roomId)}`;
  const first = await fetchPlaylist(playlistUrl);
  if (!first.ok) throw new Error(`playlist: ${first.status}`);
  const stream = server.streams?.stream(roomId);
  if (!stream?.pid) throw new Error('no ffmpeg running');
  // The recording of the same program, for its CPU and its file's growth over the same window.
  await chair.command('recording:start', {});
  const recorded = await chair.waitForRoom((s) => s.recording.parts.length === 1, 30_000);
  const recordingFile = server.recordingFiles.file(roomId, recorded.recording.parts[0]!.name);
  const recorder = server.recorders.encoder(roomId);
  if (!recorder?.pid) throw new Error('no recorder running');
  const recorderPid = recorder.pid;
  const fileBytes = async (): Promise<number> => (await stat(recordingFile)).size;

  // Each playlist write, with when it was seen: the segments it adds become fetchable then.
  const seen = new Set(playlistSegments(await first.text()));
  let onSegment: ((url: string, at: number) => void) | null = null;
  const watcher = watch(server.streams!.dir(roomId)!, (_e, name) => {
    if (name !== 'index.m3u8') return;
    const at = Date.now();
    void fetch(playlistUrl).then(async (r) => {
      for (const s of playlistSegments(await r.text())) {
        if (seen.has(s)) continue;
        seen.add(s);
        onSegment?.(new URL(s, playlistUrl).href, at);
      }
    });
  });

  const webrtc: number[] = [];
  const hls: number[] = [];
  const cpuStart = await processCpuMs(stream.pid);
  const recorderCpuStart = await processCpuMs(recorderPid);
  const bytesStart = await fileBytes();
  const wallStart = performance.now();
  for (let i = 0; i < env.STREAM_CHANGES; i++) {
    const target = LUMAS[(i + 1) % 2]!;
    const inHls = new Promise<number>((resolve) => {
      const handler = (url: string, at: number): void => {
        void fetchSegment(url).then(async ({ file }) => {
          if (!near(target)(await lastLuma(file))) return;
          // NOTE: a fetch of this change's may end after the next change set its own handler.
          if (onSegment === handler) onSegment = null;
          resolve(at);
        });
      };
      onSegment = handler;
    });
    // NOTE: each change at a random point of a segment: right after the last detection, every
    // change would fall at the same place of its segment and the figure would be that place's.
    await new Promise((resolve) => setTimeout(resolve, randomInt(0, 1000)));
    const sentAt = await chair.paint(target);
    const decoded = viewer.nextFrame(near(target), `brightness ${target} over WebRTC`, 30_000).then(() => Date.now());
    const [webrtcAt, hlsAt] = await Promise.all([decoded, inHls]);
    webrtc.push(webrtcAt - sentAt);
    hls.push(hlsAt - sentAt);
    console.log(`change ${i + 1}: WebRTC ${ms(webrtcAt - sentAt)} ms, HLS segment ${ms(hlsAt - sentAt)} ms`);
  }
  const cpuEnd = await processCpuMs(stream.pid);
  const recorderCpuEnd = await processCpuMs(recorderPid);
  const bytesEnd = await fileBytes();
  const wall = performance.now() - wallStart;
  watcher.close();

  const w = summarize(webrtc);
  const h = summarize(hls);
  console.log(`\nframe sent → decoded by a WebRTC viewer: p50 ${ms(w.p50)} ms, max ${ms(w.max)} ms (n ${w.n})`);
  console.log(`frame sent → in a playable HLS segment:  min ${ms(Math.min(...hls))} ms, p50 ${ms(h.p50)} ms, max ${ms(h.max)} ms (n ${h.n})`);
  console.log(`HLS / WebRTC (p50): ${times(h.p50, w.p50)}×; HLS adds ${ms(h.p50 - w.p50)} ms before a player's own hold-back`);
  if (cpuStart !== null && cpuEnd !== null) {
    console.log(`ffmpeg CPU for one program (1280×720 25 fps H.264 veryfast + AAC): ${((100 * (cpuEnd - cpuStart)) / wall).toFixed(1)} % of one core over ${(wall / 1000).toFixed(1)} s`);
  } else {
    console.log('ffmpeg CPU: /proc/<pid>/stat not readable here');
  }
  if (cpuStart !== null && cpuEnd !== null && recorderCpuStart !== null && recorderCpuEnd !== null) {
    const recorderShare = (100 * (recorderCpuEnd - recorderCpuStart)) / wall;
    console.log(`recorder ffmpeg CPU for the same program: ${recorderShare.toFixed(1)} % of one core (${times(recorderCpuEnd - recorderCpuStart, cpuEnd - cpuStart)}× the stream's)`);
  }
  const perHour = ((bytesEnd - bytesStart) / wall) * 3_600_000;
  console.log(`recording on disk: ${(perHour / 1e9).toFixed(2)} GB per hour with this camera (the encoder's ceiling, 1.8 + 0.096 Mbit/s: ${((1.896e6 / 8) * 3600 / 1e9).toFixed(2)} GB per hour)`);
  viewer.close();
  chair.close();
  await server.close();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
