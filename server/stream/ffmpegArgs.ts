/**
 * The ffmpeg command lines of the program: its RTP in (an SDP file), encoded to H.264 and AAC,
 * out as the live stream's ~1 s MPEG-TS segments with a sliding playlist (hlsArgs), or as the
 * recording's fragmented MP4 file (recordingArgs). Pure, so they are readable and testable on
 * their own.
 */

/** How the stream is cut and sized. */
export const STREAM_FORMAT = {
  /** Seconds per segment; every segment starts with a key frame. */
  segmentSeconds: 1,
  /** Segments the playlist lists (the rest are deleted). */
  listSize: 6,
  width: 1280,
  height: 720,
  fps: 25,
  videoKbps: 1800,
  audioKbps: 96,
} as const;

/**
 * The arguments for ffmpeg reading `sdpFile` and writing `index.m3u8` and its segments into
 * `outDir`. `run` names this run's segments (seg-<run>-<n>.ts): a restarted encoder never
 * reuses a name a cache keeps as immutable.
 */
export function hlsArgs(sdpFile: string, outDir: string, run: string): string[] {
  if (!/^[0-9a-z]{1,12}$/.test(run)) throw new TypeError(`run ${run} must be 1–12 lowercase letters and digits`);
  const f = STREAM_FORMAT;
  return [
    '-loglevel', 'warning',
    ...programEncoded(sdpFile),
    '-f', 'hls',
    '-hls_time', String(f.segmentSeconds),
    '-hls_list_size', String(f.listSize),
    // temp_file: a segment appears under its name only once whole, so HTTP never serves half of one.
    '-hls_flags', 'delete_segments+independent_segments+temp_file+omit_endlist',
    '-hls_segment_filename', `${outDir}/seg-${run}-%d.ts`,
    `${outDir}/index.m3u8`,
  ];
}

/**
 * The arguments for ffmpeg reading `sdpFile` and writing the recording's `file`: fragmented
 * MP4, a fragment per second (each starting at a key frame), so the file plays up to the last
 * whole second even if the process dies and never writes an index.
 *
 * NOTE: at log level info, ffmpeg prints its input's start (`start: <seconds>`): with wall-clock
 * timestamps that is the moment the file's time 0 shows, which RecordingJob reads (recordingStart).
 */
export function recordingArgs(sdpFile: string, file: string): string[] {
  return [
    '-loglevel', 'info',
    '-nostats',
    ...programEncoded(sdpFile),
    '-f', 'mp4',
    '-movflags', '+frag_keyframe+empty_moov+default_base_moof',
    '-frag_duration', String(STREAM_FORMAT.segmentSeconds * 1_000_000),
    // Each fragment reaches the file when it is whole. Without this ffmpeg writes in blocks of
    // 256 KiB: a still picture encodes at ~40 KB/s, so a kill lost up to 7 s, and the file on
    // disk lagged the meeting by as much.
    '-flush_packets', '1',
    file,
  ];
}

/** The time ffmpeg's input starts at (epoch ms), from the line of its input's dump that says; else null. */
export function recordingStart(line: string): number | null {
  const m = /^\s*Duration: [^,]*, start: (\d{9,11}\.\d+),/.exec(line);
  return m ? Math.round(Number(m[1]) * 1000) : null;
}

/** The program read from `sdpFile` and encoded, up to the output's format. */
function programEncoded(sdpFile: string): string[] {
  const f = STREAM_FORMAT;
  return [
    '-hide_banner',
    '-nostdin',
    '-protocol_whitelist', 'file,udp,rtp',
    // NOTE: timestamps are when packets arrive, not the RTP clocks: the video and the two audio
    // tracks come from different senders and switch sources, and arrival is the one clock they share.
    '-use_wallclock_as_timestamps', '1',
    // NOTE: not +nobuffer: it drops the packets ffmpeg reads while it probes the streams, and the
    // first segment then had no audio at all (a player makes its audio buffer from the first).
    '-fflags', '+genpts',
    '-analyzeduration', '2000000',
    '-i', sdpFile,
    '-filter_complex',
    // The floor's and the chair's audio are each continuous (silence filled in), so amix never waits.
    '[0:a:0]aresample=async=1000[floor];[0:a:1]aresample=async=1000[chair];' +
      '[floor][chair]amix=inputs=2:duration=longest:dropout_transition=0:normalize=0[audio];' +
      // Cameras differ in size; the encoder gets one size and a constant rate whoever speaks.
      `[0:v:0]scale=${f.width}:${f.height}:force_original_aspect_ratio=decrease,` +
      `pad=${f.width}:${f.height}:(ow-iw)/2:(oh-ih)/2,fps=${f.fps},format=yuv420p[video]`,
    '-map', '[video]',
    '-map', '[audio]',
    '-c:v', 'libx264',
    '-preset', 'veryfast',
    '-tune', 'zerolatency',
    '-profile:v', 'main',
    '-b:v', `${f.videoKbps}k`,
    '-maxrate', `${f.videoKbps}k`,
    '-bufsize', `${f.videoKbps * 2}k`,
    '-g', String(f.fps * f.segmentSeconds),
    '-keyint_min', String(f.fps * f.segmentSeconds),
    '-sc_threshold', '0',
    '-force_key_frames', `expr:gte(t,n_forced*${f.segmentSeconds})`,
    '-c:a', 'aac',
    '-b:a', `${f.audioKbps}k`,
    '-ac', '1',
    '-ar', '48000',
  ];
}
