/**
 * Who may issue which command. One table, so the whole policy reads at a glance and the
 * tests can walk every command × role pair.
 */
import type { ClientCommandType } from './commands.js';
import type { Role } from './state.js';

const HOST: readonly Role[] = ['host'];
const SPEAKERS: readonly Role[] = ['member', 'venue', 'observer'];
const PRESENT: readonly Role[] = ['host', 'secretary', 'member', 'venue', 'observer'];
const MINUTES: readonly Role[] = ['host', 'secretary'];
/** Anyone may answer for a speech of their own; decide checks that it is theirs. */
const ANYONE: readonly Role[] = ['host', 'secretary', 'member', 'venue', 'observer', 'public'];

/** Roles allowed to issue each client command (further rules live in decide). */
export const PERMISSIONS: Record<ClientCommandType, readonly Role[]> = {
  'lobby:admit': HOST,
  'lobby:admitAll': HOST,
  'lobby:deny': HOST,
  'participant:remove': HOST,
  'room:settings': HOST,
  'room:end': HOST,
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
  'floor:yield': SPEAKERS,
  'poll:create': HOST,
  'poll:open': HOST,
  'poll:vote': ['member', 'venue'],
  'poll:close': HOST,
  'poll:publish': HOST,
  'rollCall:start': HOST,
  'rollCall:confirm': PRESENT,
  'rollCall:end': HOST,
  'media:forceMute': HOST,
  'media:muteAll': HOST,
  'media:allowUnmute': HOST,
  'minutes:edit': MINUTES,
  'minutes:addAction': MINUTES,
  'minutes:removeAction': MINUTES,
  'minutes:submitStatement': SPEAKERS,
  'minutes:requestConfirmation': MINUTES,
  'minutes:confirm': ANYONE,
  'minutes:proposeCorrection': ANYONE,
  'minutes:acceptCorrection': MINUTES,
  'minutes:rejectCorrection': MINUTES,
  'minutes:lock': MINUTES,
  'minutes:unlockNewVersion': MINUTES,
  'minutes:publish': HOST,
};

/** May `role` issue `command` at all? */
export function mayIssue(role: Role, command: ClientCommandType): boolean {
  return PERMISSIONS[command].includes(role);
}
