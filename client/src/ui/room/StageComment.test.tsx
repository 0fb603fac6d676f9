// @vitest-environment jsdom
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { fullRoom, publicComment, type TestRoom } from '../../../../signaling/room/testing.js';
import { setLanguage } from '../../i18n/index.js';
import { renderInRoom } from '../testing.js';
import { StageComment } from './StageComment.js';

afterEach(cleanup);

const HOSTILE = '<img src=x onerror=alert(1)><script>alert(2)</script>';

/** A room where the chair put an approved comment on the stage and asked the department. */
function staged(): TestRoom {
  const room = fullRoom();
  room.comments.set(
    'c1',
    publicComment('c1', {
      name: `王阿姨${HOSTILE}`,
      place: '幸福街道',
      text: `六楼老人出行难\n${HOSTILE}`,
      themes: ['出行'],
      answer: { department: 'name-dept', text: '年内完成评估', answeredAt: room.now },
    }),
  );
  room.ok({ type: 'comment:stage', commentId: 'c1', askParticipantId: 'dept' }, 'host');
  return room;
}

describe('StageComment (zh-CN)', () => {
  beforeAll(() => setLanguage('zh-CN'));

  test('every participant sees the comment, its author and place, the department asked and the answer; hostile text stays text', () => {
    const room = staged();
    for (const me of ['m1', 'sec', 'v1']) {
      const { container, unmount } = renderInRoom(room, me, (r) => <StageComment room={r} />);
      const card = screen.getByRole('region', { name: '上屏的群众留言' });
      expect(within(card).getByText('群众留言')).toBeTruthy();
      expect(within(card).getByText('出行')).toBeTruthy();
      expect(screen.getByTestId('stage-comment-text').textContent).toBe(`六楼老人出行难\n${HOSTILE}`);
      expect(screen.getByTestId('stage-comment-author').textContent).toBe(`王阿姨${HOSTILE} · 幸福街道`);
      expect(screen.getByTestId('stage-comment-asked').textContent).toBe('请name-dept答复');
      expect(screen.getByTestId('stage-comment-answer').textContent).toBe('name-dept答复年内完成评估');
      expect(container.querySelectorAll('img, script')).toHaveLength(0);
      // Only the chair takes it down.
      expect(screen.queryByRole('button', { name: '撤下' })).toBeNull();
      unmount();
    }
  });

  test('the department asked reads that it is asked', () => {
    renderInRoom(staged(), 'dept', (r) => <StageComment room={r} />);
    expect(screen.getByTestId('stage-comment-asked').textContent).toBe('主持人请您答复此留言');
  });

  test('the chair takes it down with 撤下, and the card goes for everybody', () => {
    const room = staged();
    const { sent } = renderInRoom(room, 'host', (r) => <StageComment room={r} />);
    fireEvent.click(screen.getByRole('button', { name: '撤下' }));
    expect(sent).toEqual([{ type: 'comment:unstage', fields: {}, ok: true }]);
    expect(room.state.stage).toBeNull();
    expect(screen.queryByTestId('stage-comment')).toBeNull();
  });

  test('nothing shows while the stage is empty', () => {
    renderInRoom(fullRoom(), 'm1', (r) => <StageComment room={r} />);
    expect(screen.queryByTestId('stage-comment')).toBeNull();
  });
});

describe('StageComment (en)', () => {
  beforeAll(() => setLanguage('en'));

  test('reads in English, without an answer or a department when there is none', () => {
    const room = fullRoom();
    room.comments.set('c2', publicComment('c2', { name: 'Li', place: '', text: 'When will the lift be built?' }));
    room.ok({ type: 'comment:stage', commentId: 'c2' }, 'host');
    renderInRoom(room, 'host', (r) => <StageComment room={r} />);
    expect(screen.getByRole('region', { name: 'Public comment on screen' })).toBeTruthy();
    expect(screen.getByTestId('stage-comment-author').textContent).toBe('Li');
    expect(screen.queryByTestId('stage-comment-asked')).toBeNull();
    expect(screen.queryByTestId('stage-comment-answer')).toBeNull();
    expect(screen.getByRole('button', { name: 'Take down' })).toBeTruthy();
  });
});
