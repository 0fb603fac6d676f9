/**
 * What the recorder's encoder writes: one part of the recording per run of ffmpeg, a fragmented
 * MP4 file `<part>.mp4` in the room's recording directory, never deleted here. As soon as
 * ffmpeg says where its input starts, the part is announced (`onPart`) with the server time of
 * its time 0, which the log records (system:recordingPart) so the minutes can point into it.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { RecordingPart } from '../../signaling/room/state.js';
import type { EncoderJob } from '../stream/Encoder.js';
import { recordingArgs, recordingStart } from '../stream/ffmpegArgs.js';

/** The file of a part in a room's directory. */
export function partFile(roomDir: string, part: string): string {
  return path.join(roomDir, `${part}.mp4`);
}

/**
 * A part's name: when it began (UTC, to the second) and the run, so a directory lists the parts
 * in order and no two runs share a name.
 */
export function partName(at: Date, run: string): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${run}`;
}

/** The recorder's job for one room, writing into `roomDir`. */
export function recordingJob(roomDir: string, onPart: (part: RecordingPart) => void): EncoderJob {
  return {
    async prepare(run) {
      await mkdir(roomDir, { recursive: true });
      const name = partName(new Date(), run);
      const file = partFile(roomDir, name);
      let announced = false;
      return {
        dir: roomDir,
        args: (sdpFile) => recordingArgs(sdpFile, file),
        isProgress: (fileName) => fileName === path.basename(file),
        onLine: (line) => {
          if (announced) return;
          const startedAt = recordingStart(line);
          if (startedAt === null) return;
          announced = true;
          onPart({ name, startedAt });
        },
      };
    },
    // The parts stay: they are the record.
    finish: async () => undefined,
  };
}
