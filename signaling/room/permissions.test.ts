/**
 * Who may do what, written down here from the meeting's rules (DESIGN.md, "Roles") and NOT
 * read from the code's own table (roles.ts): if the two disagree, one of them is wrong, and
 * this test says so. Checked against `decide` for every command × role × status.
 */
import { describe, expect, test } from 'vitest';
import { COMMAND_CASES } from './commandCases.js';
import { CLIENT_COMMAND_TYPES, type ClientCommandType } from './commands.js';
import { ROLES, type Role } from './state.js';
import { fullRoom, ROLE_IDS } from './testing.js';

const HOST: Role[] = ['host'];
const KEEPS_MINUTES: Role[] = ['host', 'secretary'];
/**
 * Those who ask for the floor and speak: members, venue terminals, invited observers, and the
 * departments (部门, e.g. 住建局) invited to answer: they raise a hand and speak when granted.
 */
const SPEAK: Role[] = ['member', 'venue', 'observer', 'department'];
/** Those who vote: members and venue terminals (observers and departments do not: they are not of the body). */
const VOTE: Role[] = ['member', 'venue'];
/**
 * Those called in a roll call of members: the seats, members and venue terminals. The chair
 * calls it, the secretary records it, observers attend without a seat, the public watches.
 */
const CALLED: Role[] = ['member', 'venue'];

/**
 * The roles that may issue each command in a running meeting, when admitted. The public only
 * watches: it issues none of them.
 */
const MAY: Record<ClientCommandType, Role[]> = {
  // The chair runs the meeting: the lobby, who is in it, its settings and its end; and only
  // the chair gives the chair away (to a member: a vice-chair presiding in their place).
  'lobby:admit': HOST,
  'lobby:admitAll': HOST,
  'lobby:deny': HOST,
  'participant:remove': HOST,
  'room:settings': HOST,
  'room:end': HOST,
  'room:handOver': HOST,
  // Hands are raised and withdrawn by those who speak; the list is the chair's.
  'queue:raise': SPEAK,
  'queue:withdraw': SPEAK,
  'queue:remove': HOST,
  'queue:move': HOST,
  'queue:setOpen': HOST,
  'queue:lowerAll': HOST,
  // The chair gives, times and ends the floor; the speaker may end their own speech.
  'floor:grant': HOST,
  'floor:extend': HOST,
  'floor:pause': HOST,
  'floor:resume': HOST,
  'floor:revoke': HOST,
  // Only the chair stops a speech for a point of order.
  'floor:interrupt': HOST,
  'floor:yield': SPEAK,
  // The chair holds the polls; members and venues vote.
  'poll:create': HOST,
  'poll:open': HOST,
  'poll:vote': VOTE,
  'poll:close': HOST,
  'poll:publish': HOST,
  'rollCall:start': HOST,
  'rollCall:confirm': CALLED,
  'rollCall:end': HOST,
  // A venue terminal speaks for its hall, so it alone says how many members sit there; a
  // member answers for themselves only, and the chair reads what the hall reports.
  'rollCall:headcount': ['venue'],
  // Only the chair mutes and lets unmute.
  'media:forceMute': HOST,
  'media:muteAll': HOST,
  'media:allowUnmute': HOST,
  // The minutes are kept by the chair and the secretary; a speaker answers for their own
  // passage, and anybody who speaks may hand in a written statement; the chair publishes.
  'minutes:edit': KEEPS_MINUTES,
  'minutes:addAction': KEEPS_MINUTES,
  'minutes:removeAction': KEEPS_MINUTES,
  'minutes:submitStatement': SPEAK,
  'minutes:requestConfirmation': KEEPS_MINUTES,
  'minutes:confirm': SPEAK,
  'minutes:proposeCorrection': SPEAK,
  'minutes:acceptCorrection': KEEPS_MINUTES,
  'minutes:rejectCorrection': KEEPS_MINUTES,
  'minutes:lock': KEEPS_MINUTES,
  'minutes:unlockNewVersion': KEEPS_MINUTES,
  'minutes:publish': HOST,
  // The chair decides what the meeting looks at: a public comment goes on the stage and comes
  // down by the chair alone (the secretary moderates comments, but does not run the stage).
  'comment:stage': HOST,
  'comment:unstage': HOST,
  // The chair decides what is recorded and when the public may see the recording.
  'recording:start': HOST,
  'recording:stop': HOST,
  'recording:publish': HOST,
};

/** What an admitted participant gets in a running meeting, as a participant who is not (yet, or any more) admitted. */
const NOT_ADMITTED: Record<'lobby' | 'removed' | 'denied' | 'left', string> = {
  lobby: 'IN_LOBBY',
  removed: 'FORBIDDEN',
  denied: 'FORBIDDEN',
  left: 'FORBIDDEN',
};

describe('who may do what (an independent reading of the rules)', () => {
  const pairs = CLIENT_COMMAND_TYPES.flatMap((type) => ROLES.map((role) => [type, role] as const));

  test.each(pairs)('%s by an admitted %s', (type, role) => {
    const room = fullRoom();
    const actor = ROLE_IDS[role];
    const { command, setup, refusedFor } = COMMAND_CASES[type];
    setup?.(room, actor, role);
    const before = room.state;
    const result = room.run(command, actor);
    if (!MAY[type].includes(role)) {
      // Not theirs to do: refused, and nothing recorded.
      expect(result).toMatchObject({ ok: false });
      expect(room.state).toBe(before);
    } else if (refusedFor?.[role] !== undefined) {
      expect(result).toMatchObject({ ok: false, error: refusedFor[role] });
    } else {
      expect(result).toMatchObject({ ok: true });
      expect(room.state.seq).toBeGreaterThan(before.seq);
    }
  });

  const statuses = Object.keys(NOT_ADMITTED) as Array<keyof typeof NOT_ADMITTED>;
  const byStatus = CLIENT_COMMAND_TYPES.flatMap((type) => statuses.map((status) => [type, status] as const));

  test.each(byStatus)('%s by a member who is %s: refused, nothing recorded', (type, status) => {
    const room = fullRoom();
    // A member of their own, in the given status, besides the room's usual cast.
    room.arrive('x', 'member', 'd1');
    if (status === 'removed') room.ok({ type: 'participant:remove', participantId: 'x' }, 'host');
    if (status === 'denied') room.ok({ type: 'lobby:deny', participantId: 'x' }, 'host');
    if (status === 'left') {
      room.ok({ type: 'lobby:admit', participantId: 'x' }, 'host');
      room.ok({ type: 'system:leave', participantId: 'x' }, { kind: 'system' });
    }
    expect(room.state.participants['x']?.status).toBe(status);
    // No preparation of the command: in a running meeting the status decides before any rule.
    const { command } = COMMAND_CASES[type];
    const before = room.state;
    expect(room.run(command, 'x')).toMatchObject({ ok: false, error: NOT_ADMITTED[status] });
    expect(room.state).toBe(before);
  });

  test('the public, admitted, may issue no command at all', () => {
    for (const type of CLIENT_COMMAND_TYPES) {
      const room = fullRoom();
      const { command, setup } = COMMAND_CASES[type];
      setup?.(room, ROLE_IDS.public, 'public');
      expect(room.run(command, ROLE_IDS.public), type).toMatchObject({ ok: false });
    }
  });
});
