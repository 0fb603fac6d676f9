/**
 * Who an invite stands for. A personal invite (every role but the public) is one seat: one
 * participant, whoever opens it and however often — a second tab or device takes the seat
 * over (queue place, floor and vote stay with it), it never adds a participant. A public link
 * is shared by strangers; each of its visitors is a participant of their own, without a vote.
 */
import type { Role, RoomState } from './state.js';

/** Does an invite of this role stand for one person (or one venue terminal)? */
export function isPersonal(role: Role): boolean {
  return role !== 'public';
}

/**
 * The participant a personal invite stands for in this room, whatever their status (a denied
 * or removed seat stays turned away); undefined for a public link or an invite not yet used.
 * A log from before seats were enforced may hold several for one invite: the latest counts.
 */
export function seatOf(s: Pick<RoomState, 'participants'>, inviteId: string, role: Role): string | undefined {
  if (!isPersonal(role)) return undefined;
  const seats = Object.values(s.participants).filter((p) => p.inviteId === inviteId && isPersonal(p.role));
  return seats.at(-1)?.id;
}

/**
 * The role an invite stands for in this room now: the room's word for its seat (the chair,
 * handed over, goes with the room, not with the invite), else the invite's own.
 */
export function roleInRoom(s: Pick<RoomState, 'participants'>, inviteId: string, role: Role): Role {
  const seat = seatOf(s, inviteId, role);
  return (seat === undefined ? undefined : s.participants[seat]?.role) ?? role;
}
