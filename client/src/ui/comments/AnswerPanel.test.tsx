// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { fullRoom } from '../../../../signaling/room/testing.js';
import { setLanguage } from '../../i18n/index.js';
import { RoomClient } from '../../RoomClient.js';
import { renderInRoom } from '../testing.js';
import { AnswerPanel } from './AnswerPanel.js';
import { aComment, aPublicPage, aStaffComment, fakeFetch, HOSTILE } from './fakeCommentsServer.js';

beforeAll(() => setLanguage('en'));
type News = Parameters<RoomClient['onComments']>[0];
let listeners: News[];
beforeEach(() => {
  listeners = [];
  vi.spyOn(RoomClient.prototype, 'onComments').mockImplementation((news) => {
    listeners.push(news);
    return () => {
      listeners = listeners.filter((l) => l !== news);
    };
  });
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

function renderDept() {
  const room = fullRoom();
  const rendered = renderInRoom(room, 'dept', (r) => <AnswerPanel room={r} />);
  act(() => rendered.store.dispatch({ type: 'invite', invite: { kind: 'loading', token: 'dept-invite' } }));
  return { room, ...rendered };
}

describe('the 留言 tab for a department', () => {
  test('comments without an answer come first, each with a form; answered ones show their answer', async () => {
    const answered = aComment({ text: 'answered one', upvotes: 9, answer: { department: '住建局', text: 'We will build it.', answeredAt: 1_000 } });
    const open = aComment({ text: 'open one', upvotes: 1 });
    const room = fullRoom();
    fakeFetch({ [`GET /api/comments/${room.state.id}`]: () => ({ status: 200, body: aPublicPage({ comments: [answered, open] }) }) });
    renderDept();
    const openList = await screen.findByTestId('answers-open');
    expect(within(openList).getAllByTestId('comment-text').map((t) => t.textContent)).toEqual(['open one']);
    expect(within(openList).getByTestId('answer-form')).toBeTruthy();
    const done = screen.getByTestId('answers-done');
    expect(within(done).getByTestId('comment-answer').textContent).toContain('We will build it.');
    expect(within(done).queryByTestId('answer-form')).toBeNull();
    // The department's side has no moderation.
    expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Put on stage' })).toBeNull();
  });

  test('an answer is sent with the department’s invite and shown in place; hostile answers stay text', async () => {
    const room = fullRoom();
    const open = aComment({ text: 'Where will the lift go?' });
    const sent = fakeFetch({
      [`GET /api/comments/${room.state.id}`]: () => ({ status: 200, body: aPublicPage({ comments: [open] }) }),
      [`POST /api/comments/${room.state.id}/${open.id}/answer`]: (req) => ({
        status: 200,
        body: { comment: aStaffComment({ ...open, answer: { department: HOSTILE.department, text: (req.body as { text: string }).text, answeredAt: 2_000 } }) },
      }),
    });
    const { container } = renderDept();
    const form = await screen.findByTestId('answer-form');
    const submit = within(form).getByRole<HTMLButtonElement>('button', { name: 'Publish answer' });
    expect(submit.disabled).toBe(true);
    fireEvent.change(within(form).getByLabelText('Answer'), { target: { value: `  ${HOSTILE.answer}  ` } });
    fireEvent.click(submit);

    const answer = await screen.findByTestId('comment-answer');
    expect(answer.textContent).toContain(`Answer from ${HOSTILE.department}`);
    expect(answer.textContent).toContain(HOSTILE.answer);
    expect(container.querySelectorAll('iframe, u')).toHaveLength(0);
    const post = sent.find((s) => s.method === 'POST');
    expect(post).toEqual({ method: 'POST', path: `/api/comments/${room.state.id}/${open.id}/answer`, auth: 'Bearer dept-invite', body: { text: HOSTILE.answer } });
    await waitFor(() => expect(screen.queryByTestId('answer-form')).toBeNull());
  });

  test('back after a dropped connection, the comments are fetched again: what was published meanwhile came as no news', async () => {
    const room = fullRoom();
    let comments = [aComment({ text: 'before the drop' })];
    const sent = fakeFetch({ [`GET /api/comments/${room.state.id}`]: () => ({ status: 200, body: aPublicPage({ comments }) }) });
    renderDept();
    await screen.findByText('before the drop');
    comments = [...comments, aComment({ text: 'published while away', upvotes: 3 })];
    act(() => listeners.forEach((l) => l.resumed?.()));
    expect(await screen.findByText('published while away')).toBeTruthy();
    expect(sent.filter((s) => s.method === 'GET')).toHaveLength(2);
  });

  test('a comment published meanwhile joins the list, most upvoted first, without a new fetch', async () => {
    const room = fullRoom();
    const sent = fakeFetch({ [`GET /api/comments/${room.state.id}`]: () => ({ status: 200, body: aPublicPage({ comments: [aComment({ text: 'quiet', upvotes: 1 })] }) }) });
    renderDept();
    await screen.findByTestId('answers-open');
    act(() => listeners.forEach((l) => l.changed?.({ roomId: room.state.id, comments: [aComment({ text: 'popular', upvotes: 30 })] })));
    expect(within(screen.getByTestId('answers-open')).getAllByTestId('comment-text').map((t) => t.textContent)).toEqual(['popular', 'quiet']);
    expect(sent.filter((s) => s.method === 'GET')).toHaveLength(1);
  });

  test('an answer over 2,000 characters cannot be sent', async () => {
    const room = fullRoom();
    fakeFetch({ [`GET /api/comments/${room.state.id}`]: () => ({ status: 200, body: aPublicPage({ comments: [aComment()] }) }) });
    renderDept();
    const form = await screen.findByTestId('answer-form');
    fireEvent.change(within(form).getByLabelText('Answer'), { target: { value: '答'.repeat(2001) } });
    expect(within(form).getByTestId('answer-count').textContent).toBe('2001 / 2000 characters');
    expect(within(form).getByRole<HTMLButtonElement>('button', { name: 'Publish answer' }).disabled).toBe(true);
  });

  test('a hundred comments to answer are shown twenty at a time, the most upvoted first, each with its form', async () => {
    const room = fullRoom();
    const open = Array.from({ length: 100 }, (_, i) => aComment({ text: `#${i + 1}`, upvotes: i + 1 }));
    const answered = Array.from({ length: 30 }, (_, i) => aComment({ text: `done ${i + 1}`, answer: { department: '住建局', text: '已答复', answeredAt: i } }));
    fakeFetch({ [`GET /api/comments/${room.state.id}`]: () => ({ status: 200, body: aPublicPage({ comments: [...open, ...answered] }) }) });
    renderDept();
    const openList = await screen.findByTestId('answers-open');
    const texts = () => within(screen.getByTestId('answers-open')).getAllByTestId('comment-text').map((t) => t.textContent);
    expect(texts()).toEqual(Array.from({ length: 20 }, (_, i) => `#${100 - i}`));
    expect(within(openList).getAllByTestId('answer-form')).toHaveLength(20);
    expect(within(screen.getByTestId('answers-done')).getAllByTestId('answer-comment')).toHaveLength(20);
    const [moreOpen, moreDone] = screen.getAllByTestId('comments-more');
    expect([moreOpen?.textContent, moreDone?.textContent]).toEqual(['Show more comments (80 more)', 'Show more comments (10 more)']);
    fireEvent.click(moreOpen as HTMLElement);
    expect(texts()).toEqual(Array.from({ length: 40 }, (_, i) => `#${100 - i}`));
  });

  test('past the hundred comments held, a step fetches the next page of 最热 for more to answer', async () => {
    const room = fullRoom();
    const TOPIC = 150;
    const hot = Array.from({ length: TOPIC }, (_, i) => aComment({ text: `#${TOPIC - i}`, upvotes: TOPIC - i }));
    const sent = fakeFetch({
      [`GET /api/comments/${room.state.id}`]: (req) => {
        const offset = Number(new URL(req.path, 'http://x').searchParams.get('offset') ?? '0');
        return { status: 200, body: aPublicPage({ comments: hot.slice(offset, offset + 100), counts: { approved: TOPIC, answered: 0 } }) };
      },
    });
    renderDept();
    await screen.findByTestId('answers-open');
    const more = () => screen.getByTestId('comments-more');
    expect(more().textContent).toBe('Show more comments (130 more)');
    for (let i = 0; i < 4; i++) fireEvent.click(more());
    expect(sent).toHaveLength(1);
    fireEvent.click(more());
    await waitFor(() => expect(within(screen.getByTestId('answers-open')).getAllByTestId('answer-comment')).toHaveLength(120));
    expect(sent.map((s) => s.path)).toEqual([`/api/comments/${room.state.id}?sort=hot`, `/api/comments/${room.state.id}?sort=hot&offset=100`]);
    expect(within(screen.getByTestId('answers-open')).getAllByTestId('comment-text').at(-1)?.textContent).toBe('#31');
  });
});
