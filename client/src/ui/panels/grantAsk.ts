/**
 * What the chair is asked before giving the floor: nothing, "end the current speech?", or, when
 * the speaker's venue has used its speeches (RoomSettings.speechesPerVenue), whether to give it
 * anyway. Only then does the grant carry `overrideQuota`, which the server requires past the
 * quota and records; the same rule the server applies (selectors.quotaUsedUp), read from the
 * room the chair sees.
 */
import type { TFunction } from 'i18next';
import { holderVenue, quotaUsedUp } from '../../../../signaling/room/selectors.js';
import type { FloorHolder, RoomState, SpeechType } from '../../../../signaling/room/state.js';
import { venueName } from '../../roomSelectors.js';

/** The ConfirmButton props of a grant, and whether the grant overrides the quota. */
export type GrantAsk = { confirm: string | null; confirmLabel?: string; overrideQuota: boolean };

/**
 * `whileSpeaking`: the question asked when someone holds the floor (granting ends that speech).
 * A point of order never counts against the quota.
 */
export function grantAsk(t: TFunction, room: RoomState, grant: { holder: FloorHolder; type: SpeechType }, whileSpeaking: string): GrantAsk {
  const venue = holderVenue(room, grant.holder);
  const usedUp = grant.type === 'order' ? null : quotaUsedUp(room, venue);
  if (usedUp === null) return { confirm: room.floor === null ? null : whileSpeaking, overrideQuota: false };
  const question = t(room.floor === null ? 'quota.confirm' : 'quota.confirmEnding', { venue: venueName(room, venue), limit: usedUp.limit });
  return { confirm: question, confirmLabel: t('quota.grantAnyway'), overrideQuota: true };
}

/** The speech a queued participant would give: their hand's type, a statement if they have none. */
export function queuedGrant(room: RoomState, participantId: string): { holder: FloorHolder; type: SpeechType } {
  const entry = room.queue.entries.find((q) => q.participantId === participantId);
  return { holder: { kind: 'participant', participantId }, type: entry?.type ?? 'statement' };
}
