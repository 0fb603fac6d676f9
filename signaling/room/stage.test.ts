/**
 * The stage for public comments (群众留言上屏): what the chair may put on it, whom they may
 * ask to answer, and what the log keeps. The comment store is stood in for by `room.comments`.
 */
import { describe, expect, test } from 'vitest';
import { CLIENT_COMMANDS } from './commands.js';
import type { RoomCommand } from './commands.js';
import { fullRoom, publicComment } from './testing.js';
import { dependsOnViewer, lobbyView, stateForViewer } from './visibility.js';

const stage = (commentId: string, askParticipantId?: string): RoomCommand => ({
  type: 'comment:stage',
  commentId,
  ...(askParticipantId === undefined ? {} : { askParticipantId }),
});

describe('comment:stage', () => {
  test('the chair puts an approved comment on the stage: everybody folds the same snapshot', () => {
    const room = fullRoom();
    room.comments.set('c1', publicComment('c1', { name: '王阿姨', place: '幸福街道', text: '三楼以上老人出行难', themes: ['出行'] }));
    const [event] = room.ok(stage('c1', 'dept'), 'host');
    expect(event?.type).toBe('comment.staged');
    expect(room.state.stage).toEqual({
      commentId: 'c1',
      name: '王阿姨',
      place: '幸福街道',
      text: '三楼以上老人出行难',
      themes: ['出行'],
      answer: null,
      stagedAt: room.now,
      askedParticipantId: 'dept',
    });
    expect(room.state.comments.staged).toEqual([room.state.stage]);
  });

  test('a comment unknown to the store, pending, rejected or merged is NOT_FOUND, and nothing is recorded', () => {
    const room = fullRoom();
    room.comments.set('p', publicComment('p', { status: 'pending' }));
    room.comments.set('r', publicComment('r', { status: 'rejected' }));
    room.comments.set('m', publicComment('m', { status: 'merged' }));
    const before = room.state;
    for (const id of ['nope', 'p', 'r', 'm']) expect(room.run(stage(id), 'host'), id).toMatchObject({ ok: false, error: 'NOT_FOUND' });
    expect(room.state).toBe(before);
  });

  test('only the chair stages: secretary, member, department and public are FORBIDDEN', () => {
    const room = fullRoom();
    room.comments.set('c1', publicComment('c1'));
    for (const who of ['sec', 'm1', 'v1', 'obs', 'dept', 'pub']) {
      expect(room.run(stage('c1'), who), who).toMatchObject({ ok: false, error: 'FORBIDDEN' });
    }
    expect(room.state.stage).toBeNull();
  });

  test('the chair may ask only a department admitted to the meeting', () => {
    const room = fullRoom();
    room.comments.set('c1', publicComment('c1'));
    expect(room.run(stage('c1', 'm1'), 'host')).toMatchObject({ ok: false, error: 'NOT_ELIGIBLE' });
    expect(room.run(stage('c1', 'obs'), 'host')).toMatchObject({ ok: false, error: 'NOT_ELIGIBLE' });
    expect(room.run(stage('c1', 'nobody'), 'host')).toMatchObject({ ok: false, error: 'NOT_FOUND' });
    // A department waiting in the lobby, then one that left, is not there to answer.
    room.arrive('dept2', 'department', 'city', '交通局');
    expect(room.state.participants['dept2']?.status).toBe('lobby');
    expect(room.run(stage('c1', 'dept2'), 'host')).toMatchObject({ ok: false, error: 'INVALID_STATE' });
    room.ok({ type: 'system:leave', participantId: 'dept' }, { kind: 'system' });
    expect(room.run(stage('c1', 'dept'), 'host')).toMatchObject({ ok: false, error: 'INVALID_STATE' });
    expect(room.state.stage).toBeNull();
  });

  test('a repeat of what is on the stage changes nothing; another comment replaces it, both on the record', () => {
    const room = fullRoom();
    room.comments.set('c1', publicComment('c1'));
    room.comments.set('c2', publicComment('c2'));
    room.ok(stage('c1'), 'host');
    const seq = room.state.seq;
    room.advance(1000);
    expect(room.run(stage('c1'), 'host')).toMatchObject({ ok: false, error: 'INVALID_STATE' });
    expect(room.state.seq).toBe(seq);
    // Asking a department about the comment already up is a new step, and is recorded.
    room.ok(stage('c1', 'dept'), 'host');
    room.ok(stage('c2'), 'host');
    expect(room.state.stage?.commentId).toBe('c2');
    expect(room.state.comments.staged.map((s) => [s.commentId, s.askedParticipantId])).toEqual([
      ['c1', null],
      ['c1', 'dept'],
      ['c2', null],
    ]);
  });

  test('a client cannot hand the server the comment: the payload carries the id only', () => {
    // A hostile client sends its own snapshot along: the schema drops it, and decide only
    // ever reads the comment the server got from the store.
    const parsed = CLIENT_COMMANDS['comment:stage'].parse({
      commentId: 'c1',
      comment: { commentId: 'c1', name: '伪造', text: '未经审核的内容', status: 'approved' },
      stagedAt: 1,
    });
    expect(parsed).toEqual({ commentId: 'c1' });
    const room = fullRoom();
    room.comments.set('c1', publicComment('c1', { status: 'pending', text: '未经审核的内容' }));
    expect(room.run({ type: 'comment:stage', ...parsed }, 'host')).toMatchObject({ ok: false, error: 'NOT_FOUND' });
    expect(room.state.stage).toBeNull();
  });

  test('a client cannot send the stage event as a system command either', () => {
    const room = fullRoom();
    const forged = { type: 'system:stage', commentId: 'c1' } as unknown as RoomCommand;
    expect(room.run(forged, 'host')).toMatchObject({ ok: false, error: 'FORBIDDEN' });
    expect(room.state.stage).toBeNull();
  });

  test('refused once the meeting has ended', () => {
    const room = fullRoom();
    room.comments.set('c1', publicComment('c1'));
    room.ok({ type: 'room:end' }, 'host');
    expect(room.run(stage('c1'), 'host')).toMatchObject({ ok: false, error: 'MEETING_ENDED' });
  });
});

describe('who sees the stage', () => {
  test('everybody in the meeting, the same; nobody waiting in the lobby', () => {
    const room = fullRoom();
    room.comments.set('c1', publicComment('c1'));
    const [staged] = room.ok(stage('c1', 'dept'), 'host');
    expect(staged && dependsOnViewer(staged)).toBe(false);
    for (const [participantId, role] of [['m1', 'member'], ['obs', 'observer'], ['dept', 'department'], ['sec', 'secretary']] as const) {
      expect(stateForViewer(room.state, { participantId, role }).stage).toEqual(room.state.stage);
    }
    room.arrive('late', 'member', 'd1');
    expect(lobbyView(room.state, 'late').stage).toBeNull();
  });
});

describe('comment:unstage', () => {
  test('the chair takes the comment down; the answer given meanwhile goes on the record', () => {
    const room = fullRoom();
    room.comments.set('c1', publicComment('c1'));
    room.ok(stage('c1', 'dept'), 'host');
    const answer = { department: '住建局', text: '年内完成加装评估', answeredAt: room.now + 5000 };
    room.comments.set('c1', publicComment('c1', { answer }));
    const [event] = room.ok({ type: 'comment:unstage' }, 'host');
    expect(event).toMatchObject({ type: 'comment.unstaged', data: { commentId: 'c1', answer } });
    expect(room.state.stage).toBeNull();
    expect(room.state.comments.staged).toEqual([expect.objectContaining({ commentId: 'c1', answer, askedParticipantId: 'dept' })]);
  });

  test('a comment gone from the store keeps the answer it was staged with', () => {
    const room = fullRoom();
    const answer = { department: '住建局', text: '已答复', answeredAt: room.now };
    room.comments.set('c1', publicComment('c1', { answer }));
    room.ok(stage('c1'), 'host');
    room.comments.delete('c1');
    room.ok({ type: 'comment:unstage' }, 'host');
    expect(room.state.comments.staged[0]?.answer).toEqual(answer);
  });

  test('nothing on the stage: INVALID_STATE; not the chair: FORBIDDEN', () => {
    const room = fullRoom();
    expect(room.run({ type: 'comment:unstage' }, 'host')).toMatchObject({ ok: false, error: 'INVALID_STATE' });
    room.comments.set('c1', publicComment('c1'));
    room.ok(stage('c1'), 'host');
    for (const who of ['sec', 'm1', 'dept', 'pub']) expect(room.run({ type: 'comment:unstage' }, who), who).toMatchObject({ ok: false, error: 'FORBIDDEN' });
    expect(room.state.stage?.commentId).toBe('c1');
  });
});

describe('system:commentWithdrawn (staff took a staged comment back from the public)', () => {
  const withdraw = (commentId: string): RoomCommand => ({ type: 'system:commentWithdrawn', commentId });

  test('the comment leaves the stage and is marked in the record, once', () => {
    const room = fullRoom();
    room.comments.set('c1', publicComment('c1'));
    room.ok(stage('c1'), 'host');
    const [event] = room.ok(withdraw('c1'), { kind: 'system' });
    expect(event).toMatchObject({ type: 'comment.withdrawn', data: { commentId: 'c1' } });
    expect(room.state.stage).toBeNull();
    expect(room.state.comments.withdrawn).toEqual([{ commentId: 'c1', seq: event?.seq }]);
    expect(room.ok(withdraw('c1'), { kind: 'system' })).toEqual([]);
  });

  test('a comment never staged changes nothing; another comment on the stage stays', () => {
    const room = fullRoom();
    room.comments.set('c1', publicComment('c1'));
    room.comments.set('c2', publicComment('c2'));
    room.ok(stage('c1'), 'host');
    room.ok(stage('c2'), 'host');
    expect(room.ok(withdraw('never'), { kind: 'system' })).toEqual([]);
    room.ok(withdraw('c1'), { kind: 'system' });
    expect(room.state.stage?.commentId).toBe('c2');
  });

  test('after the meeting too; never from a client', () => {
    const room = fullRoom();
    room.comments.set('c1', publicComment('c1'));
    room.ok(stage('c1'), 'host');
    for (const who of ['host', 'sec', 'm1']) expect(room.run(withdraw('c1'), who), who).toMatchObject({ ok: false, error: 'FORBIDDEN' });
    room.ok({ type: 'room:end' }, 'host');
    expect(room.ok(withdraw('c1'), { kind: 'system' })).toHaveLength(1);
  });
});

describe('comments at the end and at the lock', () => {
  const counts = { received: 12, pending: 1, approved: 8, rejected: 2, merged: 1, answered: 3, upvotes: 40 };
  const summary = { counts, byTheme: [{ theme: '出行', count: 5 }], mostUpvoted: [publicComment('c1', { upvotes: 9 })], chainHead: { seq: 30, hash: 'ab'.repeat(32) } };

  test('the end takes the stage down and records the counts the store held', () => {
    const room = fullRoom();
    room.comments.set('c1', publicComment('c1'));
    room.ok(stage('c1'), 'host');
    room.commentCounts = counts;
    const [ended] = room.ok({ type: 'room:end' }, 'host');
    expect(ended).toMatchObject({ type: 'room.ended', data: { comments: counts } });
    expect(room.state.stage).toBeNull();
    expect(room.state.comments.countsAtEnd).toEqual(counts);
  });

  test('without a comment store the end carries no counts', () => {
    const room = fullRoom();
    const [ended] = room.ok({ type: 'room:end' }, 'host');
    expect(ended?.data).toEqual({});
    expect(room.state.comments.countsAtEnd).toBeNull();
  });

  test('the lock records the summary with the locked version', () => {
    const room = fullRoom();
    room.ok({ type: 'room:end' }, 'host');
    room.commentsSummary = summary;
    const [locked] = room.ok({ type: 'minutes:lock' }, 'sec');
    expect(locked).toMatchObject({ type: 'minutes.locked', data: { comments: summary } });
    expect(room.state.minutes.lockedVersions[0]?.comments).toEqual(summary);
  });
});
