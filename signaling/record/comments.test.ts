/**
 * The minutes' 群众留言 section: drawn from the log (the comments put on stage, the counts at
 * the end) and from the summary a lock records; absent for a meeting that knew no comments,
 * so records drawn before comments existed keep their content hash.
 */
import { describe, expect, test } from 'vitest';
import { fullRoom, publicComment } from '../room/testing.js';
import { minutesRecord, minutesSkeleton } from './skeleton.js';
import { COMMENTS_SUMMARY, NAMES, recordedMeeting } from './testing.js';
import { MinutesSchema } from './types.js';

describe('the 群众留言 section', () => {
  test('a meeting that knew no comments has no section at all (its record is what it always was)', () => {
    const m = minutesSkeleton(recordedMeeting().state);
    expect(m).not.toHaveProperty('comments');
    expect(MinutesSchema.parse(m)).toEqual(m);
  });

  test('the draft after the meeting: the counts at the end and every comment put on stage, with its answer and the department asked', () => {
    const room = recordedMeeting({ comments: true });
    const m = minutesSkeleton(room.state);
    expect(MinutesSchema.parse(m)).toEqual(m);
    const staged = room.log.filter((e) => e.type === 'comment.staged');
    expect(m.comments).toEqual({
      countedAt: 'end',
      counts: { ...COMMENTS_SUMMARY.counts, received: 55, upvotes: 301 },
      byTheme: [],
      mostUpvoted: [],
      staged: [
        {
          name: '王阿姨',
          place: '幸福街道',
          text: COMMENTS_SUMMARY.mostUpvoted[0]?.text,
          themes: ['费用分摊'],
          stagedAt: staged[0]?.at,
          askedDepartment: NAMES.dept,
          // Answered while it was up: the answer came down with it.
          answer: COMMENTS_SUMMARY.mostUpvoted[0]?.answer,
        },
        { name: '一楼住户', place: '', text: '低层住户的采光和噪音影响怎么补偿？', themes: ['低层补偿'], stagedAt: staged[1]?.at, askedDepartment: null, answer: null },
      ],
      chainHead: null,
    });
  });

  test('the locked record carries the summary its lock recorded: counts, themes, the most upvoted and the chain head', () => {
    const room = recordedMeeting({ comments: true });
    room.ok({ type: 'minutes:lock' }, 'sec');
    const locked = minutesRecord(room.state, 1);
    expect(locked?.comments).toMatchObject({
      countedAt: 'lock',
      counts: COMMENTS_SUMMARY.counts,
      byTheme: COMMENTS_SUMMARY.byTheme,
      chainHead: COMMENTS_SUMMARY.chainHead,
    });
    expect(locked?.comments?.mostUpvoted.map((c) => [c.name, c.upvotes, c.answer?.department ?? null])).toEqual([
      ['王阿姨', 88, '区住建局'],
      ['一楼住户', 40, null],
    ]);
    // Nothing of the store's internals (ids, statuses, room ids) is copied into the record.
    expect(JSON.stringify(locked?.comments)).not.toMatch(/"(id|status|roomId|createdAt)"/);
    // The record is exactly what a lock hashes: the skeleton drawn with the lock's summary.
    expect(locked?.comments).toEqual(minutesSkeleton(room.state, { comments: COMMENTS_SUMMARY }).comments);
  });

  test('a staged comment taken back later: its text leaves the draft, while a version locked before keeps what it locked', () => {
    const room = recordedMeeting({ comments: true });
    room.ok({ type: 'minutes:lock' }, 'sec');
    const lockedBefore = minutesRecord(room.state, 1);
    room.ok({ type: 'system:commentWithdrawn', commentId: 'c1' }, { kind: 'system' });
    // The locked version is what it was (its content hash still holds).
    expect(minutesRecord(room.state, 1)).toEqual(lockedBefore);
    room.ok({ type: 'minutes:unlockNewVersion' }, 'sec');
    const draft = minutesSkeleton(room.state);
    expect(MinutesSchema.parse(draft)).toEqual(draft);
    expect(draft.comments?.staged[0]).toEqual({ name: '', place: '', text: '', themes: [], stagedAt: lockedBefore?.comments?.staged[0]?.stagedAt, askedDepartment: NAMES.dept, answer: null, withdrawn: true });
    expect(draft.comments?.staged[1]?.name).toBe('一楼住户');
    expect(JSON.stringify(draft.comments?.staged)).not.toContain('王阿姨');
  });

  test('a meeting still running: what was staged so far, counts not yet taken', () => {
    const room = fullRoom();
    room.comments.set('c1', publicComment('c1'));
    room.ok({ type: 'comment:stage', commentId: 'c1' }, 'host');
    const m = minutesSkeleton(room.state);
    expect(m.comments).toMatchObject({ countedAt: null, counts: null, staged: [{ name: '留言人c1' }] });
  });

  test('a meeting with a comment store that received nothing says so with zero counts', () => {
    const room = fullRoom();
    room.commentCounts = { received: 0, pending: 0, approved: 0, rejected: 0, merged: 0, answered: 0, upvotes: 0 };
    room.ok({ type: 'room:end' }, 'host');
    expect(minutesSkeleton(room.state).comments).toMatchObject({ countedAt: 'end', counts: { received: 0 }, staged: [] });
  });
});
