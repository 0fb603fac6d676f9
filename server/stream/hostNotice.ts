/**
 * Tells a room's hosts when its live stream (or its recorder) fails and when it is live again:
 * once per change, not at every restart attempt (the encoder retries by itself; the host only
 * needs to know that the public's stream or the recording is down, and that it came back).
 */
import type { EventEmitter } from 'node:events';
import type { StreamStatus } from './Encoder.js';

/** What LiveStreams and Recorders tell of their rooms' encoders. */
export type EncoderEvents = { status: [roomId: string, status: StreamStatus]; stop: [roomId: string] };

/** Tells the room's hosts through `tell` (`stream:status`, `recording:status`); answers how to stop. */
export function tellHostsAboutEncoders(streams: EventEmitter<EncoderEvents>, tell: (roomId: string, state: 'failing' | 'live') => void): () => void {
  const failing = new Set<string>();
  const onStatus = (roomId: string, status: StreamStatus): void => {
    if (status.state === 'failing' && !failing.has(roomId)) {
      failing.add(roomId);
      tell(roomId, 'failing');
    } else if (status.state === 'live' && failing.delete(roomId)) {
      tell(roomId, 'live');
    }
  };
  // A stopped stream starts afresh: its next failure is news again.
  const onStop = (roomId: string): void => void failing.delete(roomId);
  streams.on('status', onStatus);
  streams.on('stop', onStop);
  return () => {
    streams.off('status', onStatus);
    streams.off('stop', onStop);
  };
}
