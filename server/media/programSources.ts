/**
 * Which tracks of the room make the program the audience sees and hears. Pure: the room state
 * and the room's producers in, one producer id (or none) per program track out.
 *
 * - Video: whoever holds the floor — their screen if they share one, else their camera — and
 *   the chair (the host) when nobody does or the speaker's camera is off, so the public never
 *   watches a frozen picture of someone who stopped sending.
 * - Audio: two tracks, the floor holder's microphone and the chair's. The public hears the
 *   speaker and the one who runs the meeting, not the room's crosstalk. Whether a microphone may
 *   be heard at all is the media policy's (mediaPolicy.ts pauses the others on the server): a
 *   paused microphone sends nothing, so its program track is silent without any switch here.
 */
import { holdsFloor } from '../../signaling/room/selectors.js';
import type { Participant, RoomState } from '../../signaling/room/state.js';
import type { MediaSource } from '../../signaling/schemas.js';

/** A producer of the room as the choice sees it. */
export type SourceCandidate = { id: string; peerId: string; kind: 'audio' | 'video'; source: MediaSource; paused: boolean };

/** The producer each program track carries now, or null for silence. */
export type ProgramSources = { video: string | null; floorAudio: string | null; chairAudio: string | null };

export const NO_SOURCES: ProgramSources = { video: null, floorAudio: null, chairAudio: null };

/** The program's sources for this state and these producers. */
export function programSources(state: RoomState | undefined, producers: readonly SourceCandidate[]): ProgramSources {
  if (!state || state.ended) return NO_SOURCES;
  const admitted = Object.values(state.participants).filter((p) => p.status === 'admitted');
  // A venue's floor is held by each of its speakers; its terminal (the venue role) speaks first.
  // The public never makes the program, whatever a state says of them.
  const holders = admitted.filter((p) => p.role !== 'public' && holdsFloor(state, p.id)).sort(byTerminalFirst);
  const chair = admitted.find((p) => p.role === 'host');
  const of = (peerId: string, source: MediaSource, live: boolean): string | null =>
    producers.find((p) => p.peerId === peerId && p.source === source && (!live || !p.paused))?.id ?? null;
  const video = (p: Participant): string | null => of(p.id, 'screen', true) ?? of(p.id, 'camera', true);

  let pickedVideo: string | null = null;
  for (const p of chair ? [...holders, chair] : holders) {
    pickedVideo = video(p);
    if (pickedVideo) break;
  }
  let floorAudio: string | null = null;
  for (const p of holders) {
    floorAudio = of(p.id, 'mic', false);
    if (floorAudio) break;
  }
  const chairHolds = chair !== undefined && holders.some((p) => p.id === chair.id);
  const chairAudio = chair && !chairHolds ? of(chair.id, 'mic', false) : null;
  return { video: pickedVideo, floorAudio, chairAudio };
}

function byTerminalFirst(a: Participant, b: Participant): number {
  return Number(b.role === 'venue') - Number(a.role === 'venue');
}
