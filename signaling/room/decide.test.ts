import { describe, expect, test } from 'vitest';
import { COMMAND_CASES } from './commandCases.js';
import { CLIENT_COMMAND_TYPES, type ClientCommand } from './commands.js';
import { mayIssue } from './roles.js';
import { ROLES } from './state.js';
import { fullRoom, ROLE_IDS } from './testing.js';

describe('every command × every role', () => {
  const pairs = CLIENT_COMMAND_TYPES.flatMap((type) => ROLES.map((role) => [type, role] as const));

  test.each(pairs)('%s by %s: allowed and applied, or refused with the exact code', (type, role) => {
    const room = fullRoom();
    const actor = ROLE_IDS[role];
    const { command, setup, refusedFor } = COMMAND_CASES[type];
    setup?.(room, actor, role);
    const seqBefore = room.state.seq;
    const result = room.run(command, actor);
    const expected = !mayIssue(role, type) ? 'FORBIDDEN' : refusedFor?.[role];
    if (expected) {
      expect(result).toMatchObject({ ok: false, error: expected });
      expect(room.state.seq).toBe(seqBefore);
    } else {
      expect(result).toMatchObject({ ok: true });
      expect(room.state.seq).toBeGreaterThan(seqBefore);
    }
  });

  test('participants in the lobby, removed or unknown get IN_LOBBY, FORBIDDEN, NOT_JOINED', () => {
    const room = fullRoom();
    room.arrive('late', 'member');
    const raise: ClientCommand = { type: 'queue:raise', speechType: 'statement', note: '' };
    expect(room.run(raise, 'late')).toMatchObject({ ok: false, error: 'IN_LOBBY' });
    room.ok({ type: 'participant:remove', participantId: 'm2' }, 'host');
    expect(room.run(raise, 'm2')).toMatchObject({ ok: false, error: 'FORBIDDEN' });
    expect(room.run(raise, 'ghost')).toMatchObject({ ok: false, error: 'NOT_JOINED' });
  });

  test('system commands from a participant are refused, client commands from the system too', () => {
    const room = fullRoom();
    expect(room.run({ type: 'system:tick' }, 'host')).toMatchObject({ ok: false, error: 'FORBIDDEN' });
    expect(room.run({ type: 'room:end' }, { kind: 'system' })).toMatchObject({ ok: false, error: 'FORBIDDEN' });
  });

  test('after the meeting ends every command but the minutes\' gets MEETING_ENDED; only reviewers enter, never the public', () => {
    const room = fullRoom();
    room.ok({ type: 'room:end' }, 'host');
    expect(room.run({ type: 'queue:raise', speechType: 'statement', note: '' }, 'm1')).toMatchObject({ error: 'MEETING_ENDED' });
    expect(room.arrive('newbie', 'member')).toMatchObject({ ok: true, events: [{ type: 'participant.arrivedForReview' }] });
    expect(room.arrive('stranger', 'public')).toMatchObject({ ok: false, error: 'MEETING_ENDED' });
  });
});
