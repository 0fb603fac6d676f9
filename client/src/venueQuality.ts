/**
 * Connection quality per venue for the host console, from the peers' scores (0–10, mediasoup's
 * producer scores as the server reports them in `media:quality`).
 */
import type { RoomState } from '../../signaling/room/state.js';

/** A score in words: what the console says next to the figure. */
export type QualityLevel = 'good' | 'fair' | 'poor';

/** Lowest score that is still good, and still fair. */
const GOOD_FROM = 8;
const FAIR_FROM = 5;

/** The word for a score. */
export function qualityLevel(score: number): QualityLevel {
  if (score >= GOOD_FROM) return 'good';
  if (score >= FAIR_FROM) return 'fair';
  return 'poor';
}

/** One venue's line: how many connections are measured, their weakest and average (null while none is). */
export type VenueQuality = {
  venue: string;
  name: string;
  measured: number;
  score: { worst: number; average: number; level: QualityLevel } | null;
};

/**
 * Each venue of the room, in its order, with the scores of its participants who are
 * reported; the level follows the weakest connection (the one the chair will hear breaking up).
 */
export function venueQualities(room: RoomState, scores: Readonly<Record<string, number>>): VenueQuality[] {
  return room.info.venues.map((v) => {
    const inVenue: number[] = [];
    for (const [peerId, score] of Object.entries(scores)) if (room.participants[peerId]?.venue === v.id) inVenue.push(score);
    if (inVenue.length === 0) return { venue: v.id, name: v.name, measured: 0, score: null };
    const worst = Math.min(...inVenue);
    const average = Math.round((inVenue.reduce((a, b) => a + b, 0) / inVenue.length) * 10) / 10;
    return { venue: v.id, name: v.name, measured: inVenue.length, score: { worst, average, level: qualityLevel(worst) } };
  });
}

/**
 * Who in a venue is audio-only now, by name, for the chair's line of that venue: admitted and
 * online only (a flag of someone who left says nothing any more).
 */
export function audioOnlyNames(room: RoomState, venue: string, flags: Readonly<Record<string, boolean>>): string[] {
  const names: string[] = [];
  for (const [peerId, on] of Object.entries(flags)) {
    const p = room.participants[peerId];
    if (on && p !== undefined && p.venue === venue && p.status === 'admitted' && p.online) names.push(p.name);
  }
  return names.sort((a, b) => a.localeCompare(b, 'zh-CN'));
}
