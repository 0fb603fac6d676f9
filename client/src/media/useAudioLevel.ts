/** A live 0…1 loudness of an audio track, for the join page's level meter. */
import { useEffect, useState } from 'react';
import { levelFromSamples } from './level.js';

const FRAME_MS = 100;

/**
 * Samples `track` about ten times a second. Ten updates a second are enough for a meter and
 * keep React renders cheap; null while there is no track.
 */
export function useAudioLevel(track: MediaStreamTrack | null): number | null {
  const [level, setLevel] = useState<number | null>(null);
  useEffect(() => {
    if (track === null || typeof AudioContext === 'undefined') {
      setLevel(null);
      return;
    }
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
      setLevel(track.enabled ? levelFromSamples(samples) : 0);
    }, FRAME_MS);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('pointerdown', resume);
      document.removeEventListener('keydown', resume);
      source.disconnect();
      context.close().catch((error: unknown) => console.warn('AudioContext close failed', error));
    };
  }, [track]);
  return level;
}
