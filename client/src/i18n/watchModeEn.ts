/** English of how the public watches: real-time (WebRTC) or smooth (the HLS stream). */
import type { watchModeZh } from './watchModeZh.js';

export const watchModeEn: typeof watchModeZh = {
  label: 'How to watch',
  realtime: 'Real-time mode',
  smooth: 'Smooth mode',
  smoothDelay: 'Smooth mode · about {{seconds}} s behind',
  toSmooth: 'Switch to smooth mode',
  toRealtime: 'Switch to real-time mode',
  retryRealtime: 'Try real-time mode again',
  fallback: {
    full: 'Real-time viewing is full; you are watching in smooth mode.',
    failed: 'A real-time connection could not be made; you are watching in smooth mode.',
    absent: 'This meeting is streamed in smooth mode.',
  },
  stream: {
    video: 'Live picture of the meeting (smooth mode)',
    starting: 'The live stream is starting…',
    unavailable: 'The live stream is not available yet; trying again…',
    unsupported: 'This browser cannot play the live stream; please use another browser.',
    unmute: 'Click to turn the sound on',
  },
};
