/**
 * The stream's still picture for when the program has none: one black VP8 key frame, made by
 * the same ffmpeg the stream runs (so a missing ffmpeg fails here, as the stream would).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ivfFrames } from './Vp8GapFiller.js';

const run = promisify(execFile);
const made = new Map<string, Promise<Uint8Array>>();

/** The slate frame, made once per ffmpeg. */
export function slateFrame(ffmpegPath: string): Promise<Uint8Array> {
  let frame = made.get(ffmpegPath);
  if (!frame) {
    frame = makeSlate(ffmpegPath);
    made.set(ffmpegPath, frame);
    frame.catch(() => made.delete(ffmpegPath));
  }
  return frame;
}

async function makeSlate(ffmpegPath: string): Promise<Uint8Array> {
  let stdout: Buffer;
  try {
    ({ stdout } = await run(ffmpegPath, ['-v', 'error', '-f', 'lavfi', '-i', 'color=c=black:s=320x180:r=1', '-frames:v', '1', '-c:v', 'libvpx', '-f', 'ivf', '-'], {
      encoding: 'buffer',
      maxBuffer: 1 << 20,
    }));
  } catch (error) {
    throw new Error(`ffmpeg could not start (${ffmpegPath}): ${error instanceof Error ? error.message : String(error)}`);
  }
  const [frame] = ivfFrames(stdout);
  if (!frame || frame.length > 1000) throw new Error('ffmpeg made no usable slate frame');
  return frame;
}
