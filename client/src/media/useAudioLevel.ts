/**
 * A live 0…1 loudness of an audio track, for the level meters of the join page and of the
 * on-deck card (请准备发言).
 *
 * Where the browser hands out a track's raw audio frames (MediaStreamTrackProcessor, Chromium),
 * the level is computed from them. Only elsewhere does it take Web Audio: `new AudioContext()`
 * waits on the page's main thread for the browser's audio service to give it an output device,
 * and when that service is slow or stuck, Chromium waits up to 10 s, twice over. With the
 * service stopped, a page that made an AudioContext did not answer for 20 s, one that read
 * frames stayed responsive (bench/audio-stall.ts; media/chime.ts for the chime's side of it).
 */
import { useEffect, useState } from 'react';
import { levelFromMeanSquare, levelFromSamples } from './level.js';

const FRAME_MS = 100;

/** Starts measuring `track`; `report` gets a level about every FRAME_MS. Returns the stop. */
type LevelSource = (track: MediaStreamTrack, report: (level: number) => void) => () => void;

/**
 * Samples `track` about ten times a second. Ten updates a second are enough for a meter and
 * keep React renders cheap; null while there is no track (or no way to measure it).
 */
export function useAudioLevel(track: MediaStreamTrack | null): number | null {
  const [level, setLevel] = useState<number | null>(null);
  useEffect(() => {
    const source = track === null ? null : levelSource();
    if (track === null || source === null) {
      setLevel(null);
      return;
    }
    return source(track, setLevel);
  }, [track]);
  return level;
}

/** The page's way of measuring a track: its frames, else Web Audio, else none (jsdom). */
function levelSource(): LevelSource | null {
  if (typeof (globalThis as { MediaStreamTrackProcessor?: unknown }).MediaStreamTrackProcessor === 'function') return levelFromFrames;
  if (typeof AudioContext !== 'undefined') return levelFromWebAudio;
  return null;
}

/** What this module uses of MediaStreamTrackProcessor and AudioData (not yet in TypeScript's DOM types). */
type AudioFrame = { numberOfFrames: number; copyTo(destination: Float32Array, options: { planeIndex: number; format: 'f32-planar' }): void; close(): void };
type FrameProcessor = new (init: { track: MediaStreamTrack }) => { readable: ReadableStream<AudioFrame> };

/**
 * Reads the frames of a copy of `track` (stopping the copy at the end leaves the track itself
 * alone) and reports the level of everything heard since the last report, so that a short
 * sound between two reports still moves the meter.
 */
const levelFromFrames: LevelSource = (track, report) => {
  const Processor = (globalThis as unknown as { MediaStreamTrackProcessor: FrameProcessor }).MediaStreamTrackProcessor;
  const copy = track.clone();
  const reader = new Processor({ track: copy }).readable.getReader();
  let squares = 0;
  let count = 0;
  let samples = new Float32Array(0);
  let stopped = false;
  const read = async (): Promise<void> => {
    while (!stopped) {
      const { value: frame, done } = await reader.read();
      if (done) return;
      try {
        if (samples.length < frame.numberOfFrames) samples = new Float32Array(frame.numberOfFrames);
        frame.copyTo(samples, { planeIndex: 0, format: 'f32-planar' });
        for (let i = 0; i < frame.numberOfFrames; i++) squares += (samples[i] ?? 0) ** 2;
        count += frame.numberOfFrames;
      } finally {
        frame.close();
      }
    }
  };
  read().catch((error: unknown) => {
    if (!stopped) console.warn('level meter: reading the microphone failed', error);
  });
  const timer = window.setInterval(() => {
    report(track.enabled && count > 0 ? levelFromMeanSquare(squares / count) : 0);
    squares = 0;
    count = 0;
  }, FRAME_MS);
  return () => {
    stopped = true;
    window.clearInterval(timer);
    // Rejects only when the stream already failed, which read() has reported: nothing to add.
    reader.cancel().catch(() => undefined);
    copy.stop();
  };
};

/** An AnalyserNode on the track, read every FRAME_MS (browsers without the frames). */
const levelFromWebAudio: LevelSource = (track, report) => {
  const context = new AudioContext();
  const source = context.createMediaStreamSource(new MediaStream([track]));
  const analyser = context.createAnalyser();
  analyser.fftSize = 1024;
  source.connect(analyser);
  // Chrome starts an AudioContext suspended until the page gets a user gesture.
  const resume = (): void => {
    context.resume().catch((error: unknown) => console.warn('AudioContext resume failed', error));
  };
  if (context.state === 'suspended') {
    resume();
    document.addEventListener('pointerdown', resume, { once: true });
    document.addEventListener('keydown', resume, { once: true });
  }
  const samples = new Float32Array(analyser.fftSize);
  const timer = window.setInterval(() => {
    analyser.getFloatTimeDomainData(samples);
    report(track.enabled ? levelFromSamples(samples) : 0);
  }, FRAME_MS);
  return () => {
    window.clearInterval(timer);
    document.removeEventListener('pointerdown', resume);
    document.removeEventListener('keydown', resume);
    source.disconnect();
    context.close().catch((error: unknown) => console.warn('AudioContext close failed', error));
  };
};
