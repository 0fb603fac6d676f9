/**
 * Who may do what. One table, so the whole policy reads at a glance and the tests can walk
 * every command × role pair; the role groups below are its words, and every other check in
 * the product (who votes, who speaks, who runs the meeting) reads them here.
 */
import type { ClientCommandType } from './commands.js';
import type { Role } from './state.js';

const HOST: readonly Role[] = ['host'];
/** Those who run the meeting: the chair and the secretary (straight in, heard, keep the minutes). */
const STAFF: readonly Role[] = ['host', 'secretary'];
/**
 * Those who ask for the floor and speak: members, venue terminals, invited observers, and the
 * departments (部门) invited to answer, who speak as an observer does when the chair grants it.
 */
const SPEAKERS: readonly Role[] = ['member', 'venue', 'observer', 'department'];
/** Those who answer public comments (答复): the departments invited to the consultation. */
const ANSWERERS: readonly Role[] = ['department'];
/** Those who vote: members and venue terminals; they hold the seats a roll call calls (attendance.ts). */
const VOTERS: readonly Role[] = ['member', 'venue'];
/** Venue terminals: they speak for a hall, and report how many members sit in it. */
const HALLS: readonly Role[] = ['venue'];
/** Anyone may answer for a speech of their own; decide checks that it is theirs. */
const ANYONE: readonly Role[] = ['host', 'secretary', 'member', 'venue', 'observer', 'department', 'public'];

/** Roles allowed to issue each client command (further rules live in decide). */
export const PERMISSIONS: Record<ClientCommandType, readonly Role[]> = {
  'lobby:admit': HOST,
  'lobby:admitAll': HOST,
  'lobby:deny': HOST,
  'participant:remove': HOST,
  'room:settings': HOST,
  'room:end': HOST,
  'room:handOver': HOST,
  'queue:raise': SPEAKERS,
  'queue:withdraw': SPEAKERS,
  'queue:remove': HOST,
  'queue:move': HOST,
  'queue:setOpen': HOST,
  'queue:lowerAll': HOST,
  'floor:grant': HOST,
  'floor:extend': HOST,
  'floor:pause': HOST,
  'floor:resume': HOST,
  'floor:revoke': HOST,
  'floor:interrupt': HOST,
  'floor:yield': SPEAKERS,
  'poll:create': HOST,
  'poll:open': HOST,
  'poll:vote': VOTERS,
  'poll:close': HOST,
  'poll:publish': HOST,
  'rollCall:start': HOST,
  'rollCall:confirm': VOTERS,
  'rollCall:end': HOST,
  'rollCall:headcount': HALLS,
  'media:forceMute': HOST,
  'media:muteAll': HOST,
  'media:allowUnmute': HOST,
  'minutes:edit': STAFF,
  'minutes:addAction': STAFF,
  'minutes:removeAction': STAFF,
  'minutes:submitStatement': SPEAKERS,
  'minutes:requestConfirmation': STAFF,
  'minutes:confirm': ANYONE,
  'minutes:proposeCorrection': ANYONE,
  'minutes:acceptCorrection': STAFF,
  'minutes:rejectCorrection': STAFF,
  'minutes:lock': STAFF,
  'minutes:unlockNewVersion': STAFF,
  'minutes:publish': HOST,
  'comment:stage': HOST,
  'comment:unstage': HOST,
  'recording:start': HOST,
  'recording:stop': HOST,
  'recording:publish': HOST,
};

/**
 * Who may take the chair from the host: a member (委员), as a vice-chair presides when the chair
 * must go. Not a venue terminal (a hall's device, whose seat and vote stand for the hall), not
 * the secretary (the minutes would lose their keeper), not an observer or department (not of
 * the body that consults), never the public.
 */
const CHAIR_SUCCESSORS: readonly Role[] = ['member'];

/**
 * What the former chair becomes: an observer (列席). Present, may ask for the floor, no vote
 * and no seat: the chair held none, so quorum and ballots are the same before and after.
 */
export const FORMER_CHAIR_ROLE: Role = 'observer';

/** May a participant of this role take the chair when the host hands it over? */
export function mayTakeChair(role: Role): boolean {
  return CHAIR_SUCCESSORS.includes(role);
}

/** May `role` issue `command` at all? */
export function mayIssue(role: Role, command: ClientCommandType): boolean {
  return PERMISSIONS[command].includes(role);
}

/** Does this role run the meeting (the chair or a secretary)? */
export function isStaff(role: Role): boolean {
  return STAFF.includes(role);
}

/** Does this role ask for the floor and speak? */
export function isSpeaker(role: Role): boolean {
  return SPEAKERS.includes(role);
}

/** Does this role vote? */
export function isVoter(role: Role): boolean {
  return VOTERS.includes(role);
}

/** Does this role answer public comments (答复: server/http/commentRoutes.ts), and may the chair ask it to answer one on the floor? */
export function answersComments(role: Role): boolean {
  return ANSWERERS.includes(role);
}

/**
 * A role's part in the public comments during the meeting, which its meeting page shows:
 * moderating them and putting them on the stage (the staff), answering them (departments), or
 * none (the others see only what is put on the stage).
 */
export function commentsPartOf(role: Role): 'moderate' | 'answer' | null {
  if (isStaff(role)) return 'moderate';
  return answersComments(role) ? 'answer' : null;
}

/**
 * Does this role's meeting page follow the public comments live (`comments:changed`)? Those
 * with a part in them. Nobody else is sent each change: in a flood of comments that was two
 * messages a second to every member's socket, for no page.
 */
export function followsComments(role: Role): boolean {
  return commentsPartOf(role) !== null;
}

/** Does this role see everybody's choices in a named poll, and every result as soon as it exists? (The chair.) */
export function seesEveryChoice(role: Role): boolean {
  return HOST.includes(role);
}

/** Does this role keep the minutes (sees their texts, writes and locks them)? */
export function keepsMinutes(role: Role): boolean {
  return mayIssue(role, 'minutes:edit');
}
