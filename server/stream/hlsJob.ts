/**
 * What the live stream's encoder writes: a directory of HLS segments and their playlist,
 * emptied at each run and removed at the end, since nothing of a stopped stream is served again.
 */
import { mkdir, rm } from 'node:fs/promises';
import { PLAYLIST_NAME } from '../../signaling/http/stream.js';
import type { EncoderJob } from './Encoder.js';
import { hlsArgs } from './ffmpegArgs.js';

/** The live stream's job, writing into `dir`. */
export function hlsJob(dir: string): EncoderJob {
  return {
    async prepare(run) {
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir, { recursive: true });
      return { dir, args: (sdpFile) => hlsArgs(sdpFile, dir, run), isProgress: (name) => name === PLAYLIST_NAME };
    },
    finish: () => rm(dir, { recursive: true, force: true }),
  };
}
