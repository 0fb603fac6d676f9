/**
 * The public view of a consultation (signaling/audience.ts): a pure projection of the room's
 * state, the same for every viewer. It is built from an allow-list — only what is copied here
 * reaches the public — so a field added to RoomState later stays private until someone adds
 * it here on purpose: no participant list, no lobby, no minutes, no votes or voters.
 */
import type { StagedComment } from './comments/model.js';
import type { PublicFloor, PublicResult, PublicView } from './audience.js';
import type { RoomState } from './room/state.js';

/** The audience counts that come from outside the room's log. */
export type AudienceCounts = { online: number; visits: number };

/** What the public sees of `state`, with the audience `counts`. */
export function publicView(state: RoomState, counts: AudienceCounts): PublicView {
  return {
    roomId: state.id,
    topic: state.info.topic,
    startsAt: state.info.startsAt,
    phase: phaseOf(state),
    floor: publicFloor(state),
    stage: stageOf(state),
    recording: state.recording.on,
    recordingPublished: state.recording.published,
    results: publicResults(state),
    audience: { online: counts.online, visits: counts.visits },
  };
}

/**
 * The meeting is live while its chair is in it: the room exists (and its public link works)
 * long before the meeting, and the audience waits until someone chairs it.
 */
function phaseOf(state: RoomState): PublicView['phase'] {
  if (state.ended) return 'ended';
  const chaired = Object.values(state.participants).some((p) => p.role === 'host' && p.status === 'admitted' && p.online);
  return chaired ? 'live' : 'waiting';
}

function venueName(state: RoomState, venueId: string): string {
  return state.info.venues.find((v) => v.id === venueId)?.name ?? '';
}

function publicFloor(state: RoomState): PublicFloor | null {
  const floor = state.floor;
  if (!floor) return null;
  const { holder } = floor;
  let name: string;
  let venue: string;
  if (holder.kind === 'venue') {
    venue = venueName(state, holder.venue);
    name = venue;
  } else {
    const speaker = state.participants[holder.participantId];
    venue = speaker ? venueName(state, speaker.venue) : '';
    name = speaker?.name ?? '';
  }
  // The note a speaker gave with their raised hand is for the chair, not the public.
  return { name, venue, type: floor.type, grantedAt: floor.grantedAt, limitMs: floor.limitMs, pausedAt: floor.pausedAt, pausedMs: floor.pausedMs };
}

/**
 * Published results only, counts and outcome: never who voted or what (named polls carry
 * choices), and not the dissenting reasons either — a reason from a small room can name its
 * author as surely as a name does; the minutes carry them.
 */
function publicResults(state: RoomState): PublicResult[] {
  const results: PublicResult[] = [];
  for (const id of state.pollOrder) {
    const poll = state.polls[id];
    if (!poll || poll.status !== 'published' || !poll.result) continue;
    const { counts, votes, eligible, quorumMet, passed } = poll.result;
    results.push({
      pollId: poll.id,
      kind: poll.kind,
      question: poll.question,
      options: [...poll.options],
      result: { counts: [...counts], votes, eligible, quorumMet, passed, reasons: [] },
    });
  }
  return results;
}

/** The public comment on the meeting's stage (it was public already: approved, then staged). */
function stageOf(state: RoomState): StagedComment | null {
  const staged = state.stage;
  return staged ? { ...staged, themes: [...staged.themes] } : null;
}
