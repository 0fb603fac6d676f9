// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { minutesRecord, minutesSkeleton } from '../../../../signaling/record/skeleton.js';
import { recordedMeeting } from '../../../../signaling/record/testing.js';
import { fullRoom } from '../../../../signaling/room/testing.js';
import { setLanguage } from '../../i18n/index.js';
import { CommentRecords } from './CommentRecords.js';

afterEach(cleanup);

describe('CommentRecords', () => {
  beforeAll(() => setLanguage('zh-CN'));

  test('the draft after the meeting: the counts at its end and the comments put on screen with their answers', () => {
    render(<CommentRecords section={minutesSkeleton(recordedMeeting({ comments: true }).state).comments} />);
    expect(screen.getByTestId('minutes-comments-counts').textContent).toBe(
      '截至会议结束时，共收到留言 55 条：审核通过 41 条，未通过 9 条，待审核 3 条；部门已答复 12 条。',
    );
    const staged = screen.getAllByTestId('minutes-comment-staged').map((li) => li.textContent);
    expect(staged).toHaveLength(2);
    expect(staged[0]).toContain('王阿姨 · 幸福街道');
    expect(staged[0]).toContain('请区住建局答复');
    expect(staged[0]).toContain('区住建局答复：将按楼层系数测算分摊方案，年内公示。');
    expect(staged[1]).toContain('暂无答复');
  });

  test('a comment taken back after it was shown is listed without its content', () => {
    const room = recordedMeeting({ comments: true });
    room.ok({ type: 'system:commentWithdrawn', commentId: 'c1' }, { kind: 'system' });
    render(<CommentRecords section={minutesSkeleton(room.state).comments} />);
    const staged = screen.getAllByTestId('minutes-comment-staged').map((li) => li.textContent);
    expect(staged[0]).toBe('该留言上屏后已被撤回，内容不予记录。');
    expect(staged[1]).toContain('一楼住户');
  });

  test('the locked version: the counts and themes its lock recorded', () => {
    const room = recordedMeeting({ comments: true });
    room.ok({ type: 'minutes:lock' }, 'sec');
    render(<CommentRecords section={minutesRecord(room.state)?.comments} />);
    expect(screen.getByTestId('minutes-comments-counts').textContent).toMatch(/^截至纪要锁定时，共收到留言 57 条/);
    expect(screen.getByText('费用分摊：17 条')).toBeTruthy();
  });

  test('a meeting that received nothing says so; one without comments shows no section', () => {
    const room = fullRoom();
    room.commentCounts = { received: 0, pending: 0, approved: 0, rejected: 0, merged: 0, answered: 0, upvotes: 0 };
    room.ok({ type: 'room:end' }, 'host');
    const { unmount } = render(<CommentRecords section={minutesSkeleton(room.state).comments} />);
    expect(screen.getByTestId('minutes-comments-none').textContent).toBe('本次未收到群众留言。');
    unmount();
    render(<CommentRecords section={minutesSkeleton(recordedMeeting().state).comments} />);
    expect(screen.queryByTestId('minutes-comments')).toBeNull();
  });

  test('reads in English', () => {
    setLanguage('en');
    render(<CommentRecords section={minutesSkeleton(recordedMeeting({ comments: true }).state).comments} />);
    expect(screen.getByRole('heading', { name: 'Public comments' })).toBeTruthy();
    expect(screen.getByTestId('minutes-comments-counts').textContent).toMatch(/^By the end of the meeting: 55 comments received/);
  });
});
