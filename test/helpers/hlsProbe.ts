/**
 * Reads a live HLS stream the way a player would (the playlist, then its segments over HTTP)
 * and looks into segments with Debian's ffprobe and ffmpeg: which codecs they hold, and the
 * mean brightness of their last picture (the test peers paint their cameras in distinct
 * brightness, see syntheticVideo).
 */
import { execFile } from 'node:child_process';
import { watch } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { z } from 'zod';

const run = promisify(execFile);

/** What `ffprobe -show_entries stream=codec_type,codec_name -of json` prints. */
const FfprobeStreams = z.object({ streams: z.array(z.object({ codec_type: z.string().optional(), codec_name: z.string().optional() })).default([]) });

/** The segment names a playlist lists, oldest first. */
export function playlistSegments(playlist: string): string[] {
  return playlist.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
}

/**
 * Asks for a playlist as a player does. While a stream starts, the server answers 503 with
 * Retry-After until the encoder has written its first segments (FIRST_PLAYLIST_WAIT_MS in
 * server/http/streamRoutes.ts), and how long that takes depends on how busy the machine is:
 * such an answer is asked again after Retry-After, up to `withinMs`. Answers the first other
 * response (a 503 without Retry-After too: that is no "starting").
 */
export async function fetchPlaylist(url: string, withinMs = 60_000): Promise<Response> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const response = await fetch(url);
    const retryAfter = response.headers.get('retry-after');
    if (response.status !== 503 || retryAfter === null || Date.now() > deadline) return response;
    await response.arrayBuffer();
    await new Promise((resolve) => setTimeout(resolve, Number(retryAfter) * 1000));
  }
}

/** A segment answered 404: untilSegment checks whether it slid out of the playlist's window. */
export class SegmentNotFound extends Error {}

/** A segment fetched over HTTP and kept in a file for ffprobe and ffmpeg. */
export async function fetchSegment(url: string): Promise<{ file: string; response: Response }> {
  const response = await fetch(url);
  if (response.status === 404) throw new SegmentNotFound(`${url}: 404`);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  const file = path.join(tmpdir(), `hls-${process.pid}-${path.basename(new URL(url).pathname)}`);
  await writeFile(file, Buffer.from(await response.arrayBuffer()));
  return { file, response };
}

/** The codec of each stream in a media file, by kind (ffprobe). */
export async function codecsOf(file: string): Promise<{ video: string[]; audio: string[] }> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type,codec_name', '-of', 'json', file]);
  const { streams } = FfprobeStreams.parse(JSON.parse(stdout));
  return {
    video: streams.filter((s) => s.codec_type === 'video').map((s) => s.codec_name ?? ''),
    audio: streams.filter((s) => s.codec_type === 'audio').map((s) => s.codec_name ?? ''),
  };
}

/** How many audio packets a media file holds (ffprobe counts them). */
export async function audioPackets(file: string): Promise<number> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-select_streams', 'a', '-count_packets', '-show_entries', 'stream=nb_read_packets', '-of', 'csv=p=0', file]);
  return stdout.split('\n').reduce((sum, line) => sum + (Number(line.trim()) || 0), 0);
}

/**
 * Mean brightness (0–255) of the centre of the segment's last picture: the centre, because the
 * stream letterboxes cameras of another shape in black.
 */
export async function lastFrameLuma(file: string): Promise<number> {
  // yuv420p as the stream carries it: the Y plane is the senders' luma, unconverted.
  const { stdout } = await run('ffmpeg', ['-v', 'error', '-i', file, '-vf', 'crop=iw/2:ih/2,scale=8:8', '-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-'], {
    encoding: 'buffer',
    maxBuffer: 16 * 1024 * 1024,
  });
  // Each 8×8 picture: 64 bytes of Y, then 16 of U and 16 of V.
  const frameBytes = 64 + 16 + 16;
  if (stdout.length < frameBytes) throw new Error(`${file}: no picture decoded`);
  const y = stdout.subarray(stdout.length - frameBytes, stdout.length - frameBytes + 64);
  return y.reduce((sum, v) => sum + v, 0) / y.length;
}

/** Mean loudness of a file's audio in dB (ffmpeg's volumedetect; -91 is digital silence). */
export async function meanVolume(file: string): Promise<number> {
  const { stderr } = await run('ffmpeg', ['-v', 'info', '-nostats', '-i', file, '-vn', '-af', 'volumedetect', '-f', 'null', '-']);
  const match = /mean_volume:\s*(-?[\d.]+) dB/.exec(stderr);
  if (!match) throw new Error(`${file}: no volume measured`);
  return Number(match[1]);
}

/**
 * Calls `check` with each segment the stream writes from now on (newest first in the playlist
 * when a change of the stream's directory is seen) until it answers true; fails after `withinMs`.
 */
export async function untilSegment(
  streamDir: string,
  playlistUrl: string,
  check: (segmentUrl: string) => Promise<boolean>,
  what: string,
  withinMs = 30_000,
): Promise<void> {
  const seen = new Set(playlistSegments(await (await fetchPlaylist(playlistUrl)).text()));
  await new Promise<void>((resolve, reject) => {
    let busy = false;
    let again = false;
    let done = false;
    const finish = (error?: Error): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      watcher.close();
      if (error) reject(error);
      else resolve();
    };
    // NOTE: checking a segment (fetch, ffmpeg) can take longer on a busy machine than the
    // encoder keeps it: one that answers 404 and is no longer listed slid out of the window,
    // as it does for a player that fell behind, and is skipped. One still listed fails.
    const checkUnlessGone = async (name: string): Promise<boolean> => {
      try {
        return await check(new URL(name, playlistUrl).href);
      } catch (error) {
        if (!(error instanceof SegmentNotFound)) throw error;
        const now = await fetch(playlistUrl);
        if (now.ok && !playlistSegments(await now.text()).includes(name)) return false;
        throw error;
      }
    };
    const look = async (): Promise<void> => {
      if (busy) {
        again = true;
        return;
      }
      busy = true;
      try {
        do {
          again = false;
          const response = await fetch(playlistUrl);
          if (!response.ok) continue;
          for (const name of playlistSegments(await response.text())) {
            if (seen.has(name) || done) continue;
            seen.add(name);
            if (await checkUnlessGone(name)) return finish();
          }
        } while (again && !done);
      } catch (error) {
        finish(error instanceof Error ? error : new Error(String(error)));
      } finally {
        busy = false;
      }
    };
    const watcher = watch(streamDir, (_event, name) => {
      if (name === 'index.m3u8') void look();
    });
    const timer = setTimeout(() => finish(new Error(`no segment with ${what} within ${withinMs} ms`)), withinMs);
  });
}

/** Mean brightness of the centre of the picture shown at `seconds` into a media file (as lastFrameLuma). */
export async function frameLumaAt(file: string, seconds: number): Promise<number> {
  const { stdout } = await run('ffmpeg', ['-v', 'error', '-ss', seconds.toFixed(3), '-i', file, '-frames:v', '1', '-vf', 'crop=iw/2:ih/2,scale=8:8', '-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-'], {
    encoding: 'buffer',
    maxBuffer: 1024 * 1024,
  });
  if (stdout.length < 64) throw new Error(`${file}: no picture at ${seconds} s`);
  const y = stdout.subarray(0, 64);
  return y.reduce((sum, v) => sum + v, 0) / y.length;
}

/** The end of a media file's last packet, in seconds (ffprobe over the packets: a file cut short has no index). */
export async function mediaEnd(file: string): Promise<number> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'packet=pts_time,duration_time', '-of', 'csv=p=0', file], { maxBuffer: 64 * 1024 * 1024 });
  let end = 0;
  for (const line of stdout.split('\n')) {
    const [pts, duration] = line.split(',').map(Number);
    if (pts !== undefined && Number.isFinite(pts)) end = Math.max(end, pts + (duration !== undefined && Number.isFinite(duration) ? duration : 0));
  }
  return end;
}
