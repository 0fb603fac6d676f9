/**
 * The recording's files on disk (RECORDINGS_DIR/<roomId>/<part>.mp4): where a part lives, and
 * what the lock reads of each (length, size, SHA-256) — the RoomService's RecordingReader.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { AppError } from '../../signaling/errors.js';
import type { RecordingPart, RecordingSummary } from '../../signaling/room/state.js';
import { partFile } from './recordingJob.js';

const run = promisify(execFile);

/** The recordings under one directory. */
export class RecordingFiles {
  readonly dir: string;
  readonly #ffprobePath: string;

  constructor(dir: string, ffprobePath: string) {
    this.dir = dir;
    this.#ffprobePath = ffprobePath;
  }

  /** A room's directory. NOTE: room ids are URL-safe ([A-Za-z0-9_-]), never a path of their own. */
  roomDir(roomId: string): string {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(roomId)) throw new TypeError(`room id ${roomId} is not one the server makes`);
    return path.join(this.dir, roomId);
  }

  /** A part's file. */
  file(roomId: string, part: string): string {
    return partFile(this.roomDir(roomId), part);
  }

  /** Reads every part for a lock; UNAVAILABLE if one is missing or cannot be read. */
  async read(roomId: string, parts: readonly RecordingPart[]): Promise<RecordingSummary> {
    const read = [];
    for (const part of parts) {
      const file = this.file(roomId, part.name);
      try {
        const [{ size }, sha256, durationMs] = await Promise.all([stat(file), sha256Of(file), this.durationMs(file)]);
        read.push({ ...part, durationMs, bytes: size, sha256 });
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        throw new AppError('UNAVAILABLE', `part ${part.name} of the recording cannot be read here (${why}); its file must be in RECORDINGS_DIR of this process`);
      }
    }
    return { parts: read };
  }

  /**
   * A file's length in ms: its last packet's end, as ffprobe reads the packets (a file cut short
   * by a dying process has no index, and no duration in its header to trust).
   */
  async durationMs(file: string): Promise<number> {
    const { stdout } = await run(this.#ffprobePath, ['-v', 'error', '-show_entries', 'packet=pts_time,duration_time', '-of', 'csv=p=0', file], {
      maxBuffer: 256 * 1024 * 1024,
    });
    let end = 0;
    for (const line of stdout.split('\n')) {
      const [pts, duration] = line.split(',').map(Number);
      if (pts !== undefined && Number.isFinite(pts)) end = Math.max(end, pts + (duration !== undefined && Number.isFinite(duration) ? duration : 0));
    }
    return Math.round(end * 1000);
  }
}

/** SHA-256 (hex) of a file, read as a stream (a recording is hundreds of megabytes). */
export async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
