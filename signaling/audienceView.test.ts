/**
 * The public view (码上商量): what a viewer sees of a meeting, written from the promise to the
 * public — the topic and phase, who speaks (name and venue) and their clock, the comment on the
 * stage, published results as counts — and nothing else: no participant, no note, no vote.
 */
import { describe, expect, test } from 'vitest';
import { publicView } from './audienceView.js';
import { createdRoom, fullRoom, publicComment } from './room/testing.js';

const counts = { online: 12, visits: 340 };

describe('publicView', () => {
  test('a view carries exactly the public fields, with the counts given', () => {
    const view = publicView(fullRoom().state, counts);
    expect(Object.keys(view).sort()).toEqual(['audience', 'floor', 'phase', 'recording', 'recordingPublished', 'results', 'roomId', 'stage', 'startsAt', 'topic']);
    expect(view).toMatchObject({ roomId: 'test-room', topic: '老旧小区加装电梯', audience: counts });
  });

  test('waiting until the chair is in, live while they are, ended once the meeting ends', () => {
    const room = createdRoom();
    room.arrive('m1', 'member');
    expect(publicView(room.state, counts).phase).toBe('waiting');
    room.arrive('host', 'host');
    expect(publicView(room.state, counts).phase).toBe('live');
    room.ok({ type: 'room:end' }, 'host');
    expect(publicView(room.state, counts).phase).toBe('ended');
  });

  test('the floor: the speaker by name and venue, never the note of their raised hand', () => {
    const room = fullRoom();
    room.ok({ type: 'queue:raise', speechType: 'question', note: '只给主持人看的备注' }, 'm2');
    room.ok({ type: 'floor:grant', target: { kind: 'participant', participantId: 'm2' }, seconds: 90 }, 'host');
    const view = publicView(room.state, counts);
    const venue = room.state.info.venues.find((v) => v.id === 'd1')?.name;
    expect(view.floor).toEqual({ name: 'name-m2', venue, type: 'question', grantedAt: room.now, limitMs: 90_000, pausedAt: null, pausedMs: 0 });
    expect(JSON.stringify(view)).not.toContain('只给主持人看的备注');
  });

  test('the comment on stage is shown as staged', () => {
    const room = fullRoom();
    room.comments.set('c1', publicComment('c1', { name: '王阿姨', text: '三楼以上老人出行难' }));
    room.ok({ type: 'comment:stage', commentId: 'c1' }, 'host');
    expect(publicView(room.state, counts).stage).toEqual(room.state.stage);
  });

  test('results: published polls only, counts and outcome, no voters, choices or reasons', () => {
    const room = fullRoom();
    room.ok({ type: 'poll:create', question: '是否赞同？', kind: 'consensus', options: [], secret: false, allowChange: true, threshold: 'none', basis: 'cast', quorumPercent: null, durationSeconds: null }, 'host');
    room.ok({ type: 'poll:open', pollId: 'poll-1' }, 'host');
    room.ok({ type: 'poll:vote', pollId: 'poll-1', choices: [3], reason: '分摊不公的理由' }, 'm1');
    room.ok({ type: 'poll:close', pollId: 'poll-1' }, 'host');
    expect(publicView(room.state, counts).results).toEqual([]);
    room.ok({ type: 'poll:publish', pollId: 'poll-1' }, 'host');
    const [result] = publicView(room.state, counts).results;
    expect(result).toMatchObject({ pollId: 'poll-1', kind: 'consensus', question: '是否赞同？', result: { counts: [0, 0, 0, 1], votes: 1, reasons: [] } });
    const text = JSON.stringify(publicView(room.state, counts));
    for (const secret of ['分摊不公的理由', 'm1', 'name-m1', '"voted"', '"choices"']) expect(text).not.toContain(secret);
  });
});

describe('the recording in the public view', () => {
  test('录制中 while the host records, and published only once the host publishes it', () => {
    const room = fullRoom();
    expect(publicView(room.state, counts)).toMatchObject({ recording: false, recordingPublished: false });
    room.ok({ type: 'recording:start' }, 'host');
    expect(publicView(room.state, counts)).toMatchObject({ recording: true, recordingPublished: false });
    room.ok({ type: 'recording:stop' }, 'host');
    expect(publicView(room.state, counts).recording).toBe(false);
  });
});
