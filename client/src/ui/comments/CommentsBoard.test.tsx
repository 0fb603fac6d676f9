// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import type { CommentsChanged } from '../../../../signaling/audience.js';
import type { PublicComment } from '../../../../signaling/comments/model.js';
import { setLanguage } from '../../i18n/index.js';
import { CommentsBoard } from './CommentsBoard.js';
import { aComment, aPublicPage, fakeFetch, HOSTILE, type Routes } from './fakeCommentsServer.js';

beforeAll(() => setLanguage('en'));
beforeEach(() => vi.stubGlobal('scrollTo', () => undefined));
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  localStorage.clear();
});

const PAGE = 'GET /api/comments/r1';
const board = (subscribe?: Parameters<typeof CommentsBoard>[0]['subscribe']) =>
  render(<CommentsBoard roomId="r1" invite="public-invite" {...(subscribe ? { subscribe } : {})} />);
const cards = () => screen.getAllByTestId('comment');
const textsOf = (els: HTMLElement[]) => els.map((el) => within(el).getByTestId('comment-text').textContent);

describe('the public comments board', () => {
  test('folds a long background, and sorts 最热 by upvotes and 最新 by time', async () => {
    const old = aComment({ text: 'old but popular', upvotes: 9, createdAt: 1_000 });
    const fresh = aComment({ text: 'fresh', upvotes: 1, createdAt: 3_000 });
    const middle = aComment({ text: 'middle', upvotes: 4, createdAt: 2_000 });
    const background = 'Paragraph one.\n'.repeat(30);
    const sent = fakeFetch({ [PAGE]: () => ({ status: 200, body: aPublicPage({ comments: [fresh, old, middle], settings: { ...aPublicPage().settings, background } }) }) });
    board();
    await screen.findByTestId('comments-background');
    expect(sent[0]?.auth).toBe('Bearer public-invite');

    const bg = screen.getByTestId('comments-background');
    expect(bg.className).toContain('folded');
    fireEvent.click(screen.getByRole('button', { name: 'Show all' }));
    expect(bg.className).not.toContain('folded');
    expect(bg.textContent).toBe(background);

    expect(textsOf(cards())).toEqual(['old but popular', 'middle', 'fresh']);
    expect(screen.getByRole('button', { name: 'Most upvoted' }).getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(screen.getByRole('button', { name: 'Newest' }));
    expect(textsOf(cards())).toEqual(['fresh', 'middle', 'old but popular']);
  });

  test('a thousand comments are shown twenty at a time, the most upvoted first; 显示更多 adds twenty, a live approval counts among the rest', async () => {
    // Comment i has i upvotes: 最热 shows 1000, 999, … first; 最新 the latest made.
    const many = Array.from({ length: 1000 }, (_, i) => aComment({ text: `#${i + 1}`, upvotes: i + 1, createdAt: 1_000 + i }));
    fakeFetch({ [PAGE]: () => ({ status: 200, body: aPublicPage({ comments: many }) }) });
    let listener: ((c: CommentsChanged) => void) | null = null;
    board((l) => {
      listener = l;
      return () => undefined;
    });
    await screen.findAllByTestId('comment');
    const expected = (from: number, count: number) => Array.from({ length: count }, (_, i) => `#${from - i}`);
    expect(textsOf(cards())).toEqual(expected(1000, 20));
    expect(screen.getByTestId('comments-counts').textContent).toBe('1000 published · 0 answered');
    expect(screen.getByTestId('comments-more').textContent).toBe('Show more comments (980 more)');
    fireEvent.click(screen.getByTestId('comments-more'));
    expect(textsOf(cards())).toEqual(expected(1000, 40));
    expect(screen.getByTestId('comments-more').textContent).toBe('Show more comments (960 more)');
    // A new approval with few upvotes is among the rest, not on screen.
    act(() => listener?.({ roomId: 'r1', comments: [aComment({ text: 'new', upvotes: 0, createdAt: 5_000 })] }));
    expect(cards()).toHaveLength(40);
    expect(screen.getByTestId('comments-more').textContent).toBe('Show more comments (961 more)');
    // 最新: the newest first, still forty on screen.
    fireEvent.click(screen.getByRole('button', { name: 'Newest' }));
    expect(textsOf(cards())).toEqual(['new', ...expected(1000, 39)]);
  });

  test('the last step shows what is left and the button goes', async () => {
    const some = Array.from({ length: 45 }, (_, i) => aComment({ text: `#${i + 1}`, upvotes: i + 1 }));
    fakeFetch({ [PAGE]: () => ({ status: 200, body: aPublicPage({ comments: some }) }) });
    board();
    await screen.findAllByTestId('comment');
    fireEvent.click(screen.getByTestId('comments-more'));
    expect(screen.getByTestId('comments-more').textContent).toBe('Show more comments (5 more)');
    fireEvent.click(screen.getByTestId('comments-more'));
    expect(cards()).toHaveLength(45);
    expect(screen.queryByTestId('comments-more')).toBeNull();
  });

  describe('a topic larger than the 100 comments the server sends at once', () => {
    // The server's paging as the contract has it: 100 a page from ?offset= in the order asked,
    // with the whole topic's counts. Comment #i has i upvotes and was made i minutes before the
    // last, so 最热 starts at #250 and 最新 at #1: the two orders' first pages do not meet.
    const TOPIC = 250;
    const topic = Array.from({ length: TOPIC }, (_, i) => aComment({ text: `#${i + 1}`, upvotes: i + 1, createdAt: 1_000_000 - (i + 1) * 60_000 }));
    const hot = [...topic].reverse();
    const server = (fail?: (offset: number) => boolean) =>
      fakeFetch({
        [PAGE]: (sent) => {
          const query = new URL(sent.path, 'http://x').searchParams;
          const offset = Number(query.get('offset') ?? '0');
          if (fail?.(offset)) return { status: 503, body: { error: 'UNAVAILABLE', detail: 'busy' } };
          const order = query.get('sort') === 'new' ? topic : hot;
          return { status: 200, body: aPublicPage({ comments: order.slice(offset, offset + 100), counts: { approved: TOPIC, answered: 0 } }) };
        },
      });
    const texts = (from: readonly PublicComment[], count: number) => from.slice(0, count).map((c) => c.text);
    const more = () => screen.getByTestId<HTMLButtonElement>('comments-more');

    test('steps past the hundred held fetch the next page from where the first ended; 还有 N counts the whole topic', async () => {
      const sent = server();
      board();
      await screen.findAllByTestId('comment');
      expect(screen.getByTestId('comments-counts').textContent).toBe('250 published · 0 answered');
      expect(more().textContent).toBe('Show more comments (230 more)');
      for (let i = 0; i < 4; i++) fireEvent.click(more());
      expect(textsOf(cards())).toEqual(texts(hot, 100));
      expect(sent).toHaveLength(1);
      fireEvent.click(more());
      await waitFor(() => expect(cards()).toHaveLength(120));
      expect(textsOf(cards())).toEqual(texts(hot, 120));
      expect(sent.map((s) => s.path)).toEqual(['/api/comments/r1?sort=hot', '/api/comments/r1?sort=hot&offset=100']);
      expect(more().textContent).toBe('Show more comments (130 more)');
      for (let shown = 140; shown <= 240; shown += 20) {
        fireEvent.click(more());
        await waitFor(() => expect(cards()).toHaveLength(shown));
      }
      fireEvent.click(more());
      expect(textsOf(cards())).toEqual(texts(hot, TOPIC));
      expect(screen.queryByTestId('comments-more')).toBeNull();
      expect(sent.map((s) => s.path).slice(2)).toEqual(['/api/comments/r1?sort=hot&offset=200']);
    });

    test('最新 fetches its own first page: the newest of the topic, which 最热\'s first page did not hold', async () => {
      const sent = server();
      board();
      await screen.findAllByTestId('comment');
      fireEvent.click(screen.getByRole('button', { name: 'Newest' }));
      await waitFor(() => expect(textsOf(cards())).toEqual(texts(topic, 20)));
      expect(sent.map((s) => s.path)).toEqual(['/api/comments/r1?sort=hot', '/api/comments/r1?sort=new']);
      // Back to 最热: both first pages are held, and what 最热 shows is its own first twenty.
      fireEvent.click(screen.getByRole('button', { name: 'Most upvoted' }));
      await waitFor(() => expect(textsOf(cards())).toEqual(texts(hot, 20)));
    });

    test('a next page that fails says so and leaves the button to try again', async () => {
      let failing = true;
      const sent = server((offset) => offset > 0 && failing);
      board();
      await screen.findAllByTestId('comment');
      for (let i = 0; i < 5; i++) fireEvent.click(more());
      expect((await screen.findByTestId('comments-notice')).textContent).toMatch(/^Could not load more comments: /);
      await waitFor(() => expect(more().disabled).toBe(false));
      expect(cards()).toHaveLength(100);
      failing = false;
      fireEvent.click(more());
      await waitFor(() => expect(textsOf(cards())).toEqual(texts(hot, 120)));
      expect(sent.filter((s) => s.path.endsWith('offset=100'))).toHaveLength(2);
    });
  });

  test('hostile text in every field is shown as the very text typed, never as markup', async () => {
    const hostile = aComment({
      name: HOSTILE.name,
      place: HOSTILE.place,
      text: HOSTILE.text,
      themes: [HOSTILE.theme],
      answer: { department: HOSTILE.department, text: HOSTILE.answer, answeredAt: 5_000 },
    });
    fakeFetch({ [PAGE]: () => ({ status: 200, body: aPublicPage({ comments: [hostile], mine: [aComment({ status: 'pending', text: HOSTILE.text })] }) }) });
    const { container } = board();
    const card = (await screen.findAllByTestId('comment'))[0] as HTMLElement;
    expect(within(card).getByTestId('comment-name').textContent).toBe(HOSTILE.name);
    expect(within(card).getByTestId('comment-place').textContent).toBe(HOSTILE.place);
    expect(within(card).getByTestId('comment-text').textContent).toBe(HOSTILE.text);
    expect(within(card).getByTestId('comment-theme').textContent).toBe(HOSTILE.theme);
    const answer = within(card).getByTestId('comment-answer');
    expect(answer.textContent).toContain(`Answer from ${HOSTILE.department}`);
    expect(answer.textContent).toContain(HOSTILE.answer);
    // None of the markup became elements, and no link to javascript: exists.
    expect(container.querySelectorAll('img, script, b, a, i, u, iframe')).toHaveLength(0);
    // Right-to-left names and texts are isolated so that they do not reorder the line around them.
    expect(within(card).getByTestId('comment-name').getAttribute('dir')).toBe('auto');
    expect(within(card).getByTestId('comment-text').getAttribute('dir')).toBe('auto');
  });

  test('the text counts characters as the server does (an emoji is one) and cannot be sent over the limit', async () => {
    fakeFetch({ [PAGE]: () => ({ status: 200, body: aPublicPage() }) });
    board();
    const text = await screen.findByLabelText('Your comment');
    fireEvent.change(screen.getByLabelText('Display name'), { target: { value: '王阿姨' } });
    const submit = screen.getByRole<HTMLButtonElement>('button', { name: 'Submit comment' });

    fireEvent.change(text, { target: { value: '👍'.repeat(1000) } });
    expect(screen.getByTestId('comment-form-count').textContent).toBe('1000 / 1000 characters');
    expect(submit.disabled).toBe(false);

    fireEvent.change(text, { target: { value: `${'电'.repeat(1000)}梯` } });
    expect(screen.getByTestId('comment-form-count').textContent).toBe('1001 / 1000 characters · 1 characters too long: please shorten it');
    expect(text.getAttribute('aria-invalid')).toBe('true');
    expect(submit.disabled).toBe(true);

    // A name over 40 characters is refused before it is sent, and says by how much.
    fireEvent.change(text, { target: { value: 'ok' } });
    fireEvent.change(screen.getByLabelText('Display name'), { target: { value: '名'.repeat(41) } });
    expect(screen.getByText('41 / 40 characters')).toBeTruthy();
    expect(submit.disabled).toBe(true);

    // Without a display name there is nothing to send either.
    fireEvent.change(text, { target: { value: 'ok' } });
    fireEvent.change(screen.getByLabelText('Display name'), { target: { value: '   ' } });
    expect(submit.disabled).toBe(true);
  });

  test('a submitted comment is on top for its author, marked awaiting review, and the form says so', async () => {
    const stored = aComment({ status: 'pending', name: '王阿姨', place: '', text: 'Please add a ramp' });
    const routes: Routes = { [PAGE]: () => ({ status: 200, body: aPublicPage({ comments: [aComment()] }) }), 'POST /api/comments/r1': () => ({ status: 201, body: { comment: stored } }) };
    const sent = fakeFetch(routes);
    board();
    fireEvent.change(await screen.findByLabelText('Display name'), { target: { value: '  王阿姨 ' } });
    fireEvent.change(screen.getByLabelText('Your comment'), { target: { value: ' Please add a ramp \n' } });
    fireEvent.click(screen.getByRole('button', { name: 'Submit comment' }));

    const mine = await screen.findByTestId('comment-mine');
    expect(within(mine).getByTestId('comment-pending').textContent).toBe('Awaiting review');
    expect(within(mine).getByTestId('comment-text').textContent).toBe('Please add a ramp');
    expect(screen.getByTestId('comment-form-status').textContent).toBe('Your comment was submitted and awaits review; it will be shown once approved.');
    expect(sent.at(-1)).toEqual({ method: 'POST', path: '/api/comments/r1', auth: 'Bearer public-invite', body: { name: '王阿姨', place: '', text: 'Please add a ramp' } });
    // The text goes, the name stays for a next comment; the pending one is not among the published.
    expect(screen.getByLabelText<HTMLTextAreaElement>('Your comment').value).toBe('');
    expect(screen.getByLabelText<HTMLInputElement>('Display name').value).toBe('  王阿姨 ');
    expect(cards()).toHaveLength(1);
  });

  test('a phone that commented is not asked its name and place again; a stored value past the limits is ignored', async () => {
    const routes: Routes = {
      [PAGE]: () => ({ status: 200, body: aPublicPage() }),
      'POST /api/comments/r1': () => ({ status: 201, body: { comment: aComment({ status: 'pending', name: '王阿姨', place: '幸福街道' }) } }),
    };
    fakeFetch(routes);
    board();
    fireEvent.change(await screen.findByLabelText('Display name'), { target: { value: ' 王阿姨 ' } });
    fireEvent.change(screen.getByLabelText(/District/), { target: { value: '幸福街道' } });
    fireEvent.change(screen.getByLabelText('Your comment'), { target: { value: 'Please add a ramp' } });
    fireEvent.click(screen.getByRole('button', { name: 'Submit comment' }));
    await screen.findByTestId('comment-mine');
    cleanup();

    // The next visit (a reload, another consultation): filled in, trimmed as sent.
    board();
    expect((await screen.findByLabelText<HTMLInputElement>('Display name')).value).toBe('王阿姨');
    expect(screen.getByLabelText<HTMLInputElement>(/District/).value).toBe('幸福街道');
    cleanup();

    // Storage is outside input: a name over 40 characters, or junk, is not offered.
    localStorage.setItem('wsl.commenter', JSON.stringify({ name: '长'.repeat(41), place: '' }));
    board();
    expect((await screen.findByLabelText<HTMLInputElement>('Display name')).value).toBe('');
    cleanup();
    localStorage.setItem('wsl.commenter', '{not json');
    board();
    expect((await screen.findByLabelText<HTMLInputElement>('Display name')).value).toBe('');
  });

  test('in Chinese, the own pending comment reads 待审核', async () => {
    await setLanguage('zh-CN');
    try {
      fakeFetch({ [PAGE]: () => ({ status: 200, body: aPublicPage({ mine: [aComment({ status: 'pending' })] }) }) });
      board();
      expect((await screen.findByTestId('comment-pending')).textContent).toBe('待审核');
    } finally {
      await setLanguage('en');
    }
  });

  test('an upvote is shown as used at once and takes the server’s count; one already given shows as used', async () => {
    const a = aComment({ upvotes: 3 });
    const b = aComment({ upvotes: 7 });
    const sent = fakeFetch({
      [PAGE]: () => ({ status: 200, body: aPublicPage({ comments: [a, b], upvoted: [b.id] }) }),
      [`POST /api/comments/r1/${a.id}/upvote`]: () => ({ status: 200, body: { commentId: a.id, upvotes: 5 } }),
    });
    board();
    await screen.findAllByTestId('comment');
    const button = (id: string) => within(screen.getAllByTestId('comment').find((c) => c.dataset['commentId'] === id) as HTMLElement).getByTestId<HTMLButtonElement>('comment-upvote');
    expect(button(b.id).getAttribute('aria-pressed')).toBe('true');
    expect(button(b.id).disabled).toBe(true);
    expect(button(b.id).textContent).toBe('Upvoted 7');
    expect(button(a.id).getAttribute('aria-pressed')).toBe('false');

    fireEvent.click(button(a.id));
    expect(button(a.id).getAttribute('aria-pressed')).toBe('true');
    await waitFor(() => expect(button(a.id).textContent).toBe('Upvoted 5'));
    fireEvent.click(button(a.id));
    expect(sent.filter((s) => s.method === 'POST')).toHaveLength(1);
  });

  test('a refused upvote comes back, saying when to try again', async () => {
    const a = aComment({ upvotes: 3 });
    fakeFetch({
      [PAGE]: () => ({ status: 200, body: aPublicPage({ comments: [a] }) }),
      [`POST /api/comments/r1/${a.id}/upvote`]: () => ({ status: 429, body: { error: 'RATE_LIMITED', detail: 'upvotes', retryAfterMs: 11_200 } }),
    });
    board();
    const button = within(await screen.findByTestId('comment')).getByTestId<HTMLButtonElement>('comment-upvote');
    fireEvent.click(button);
    expect((await screen.findByTestId('comments-notice')).textContent).toBe('Could not upvote: Too many requests: please try again in 12 s.');
    expect(button.getAttribute('aria-pressed')).toBe('false');
    expect(button.textContent).toBe('Upvote 3');
  });

  test('a refused comment keeps its text and says when to try again', async () => {
    fakeFetch({
      [PAGE]: () => ({ status: 200, body: aPublicPage() }),
      'POST /api/comments/r1': () => ({ status: 429, body: { error: 'RATE_LIMITED', detail: 'comments', retryAfterMs: 60_000 } }),
    });
    board();
    fireEvent.change(await screen.findByLabelText('Display name'), { target: { value: 'A' } });
    fireEvent.change(screen.getByLabelText('Your comment'), { target: { value: 'again' } });
    fireEvent.click(screen.getByRole('button', { name: 'Submit comment' }));
    expect((await screen.findByText(/^Could not submit/)).textContent).toBe('Could not submit: Too many requests: please try again in 60 s.');
    expect(screen.getByLabelText<HTMLTextAreaElement>('Your comment').value).toBe('again');
    expect(screen.queryByTestId('comment-mine')).toBeNull();
  });

  test('before comments open it says when they open, after they close that they closed, and offers no form', async () => {
    const opensAt = Date.now() + 3 * 86_400_000;
    let page = aPublicPage({ open: false, settings: { ...aPublicPage().settings, opensAt, closesAt: opensAt + 86_400_000 } });
    fakeFetch({ [PAGE]: () => ({ status: 200, body: page }) });
    board();
    expect((await screen.findByTestId('comments-state')).textContent).toMatch(/^Comments open on .+\.$/);
    expect(screen.queryByTestId('comment-form')).toBeNull();
    cleanup();

    page = aPublicPage({ open: false, comments: [aComment()], settings: { ...aPublicPage().settings, opensAt: 1_000, closesAt: Date.now() - 1_000 } });
    board();
    expect((await screen.findByTestId('comments-state')).textContent).toMatch(/^Comments closed on .+\. Thank you for your interest\.$/);
    expect(screen.queryByTestId('comment-form')).toBeNull();
    // The published comments stay readable after the close; upvotes, like comments, are over.
    expect(cards()).toHaveLength(1);
    expect(within(cards()[0] as HTMLElement).getByTestId<HTMLButtonElement>('comment-upvote').disabled).toBe(true);
  });

  test('with a socket, changes arrive live: new approvals join, an own comment moves out of 待审核, a rejected one goes', async () => {
    const shown = aComment({ text: 'shown', upvotes: 1 });
    const mine = aComment({ status: 'pending', text: 'mine' });
    fakeFetch({ [PAGE]: () => ({ status: 200, body: aPublicPage({ comments: [shown], mine: [mine] }) }) });
    let listener: ((c: CommentsChanged) => void) | null = null;
    const unsubscribe = vi.fn();
    board((l) => {
      listener = l;
      return unsubscribe;
    });
    await screen.findByTestId('comment-mine');
    const push = (comments: CommentsChanged['comments'], counts?: CommentsChanged['counts'], roomId = 'r1') =>
      act(() => listener?.({ roomId, comments, ...(counts && { counts }) }));

    push([aComment({ text: 'other room' })], { approved: 50, answered: 50 }, 'r2');
    expect(textsOf(cards())).toEqual(['shown']);
    expect(screen.getByTestId('comments-counts').textContent).toBe('1 published · 0 answered');
    // The counts are the server's, of the whole topic (a page may hold only part of it).
    push([{ ...mine, status: 'approved', upvotes: 2, themes: ['交通'] }], { approved: 2, answered: 0 });
    expect(screen.queryByTestId('comment-mine')).toBeNull();
    expect(textsOf(cards())).toEqual(['mine', 'shown']);
    expect(within(cards()[0] as HTMLElement).getByTestId('comment-theme').textContent).toBe('交通');
    expect(screen.getByTestId('comments-counts').textContent).toBe('2 published · 0 answered');
    push([{ ...shown, status: 'merged' }], { approved: 1, answered: 0 });
    expect(textsOf(cards())).toEqual(['mine']);
    push([{ ...mine, status: 'approved', upvotes: 2, answer: { department: '住建局', text: 'Yes', answeredAt: 9 } }], { approved: 1, answered: 1 });
    expect(screen.getByTestId('comments-counts').textContent).toBe('1 published · 1 answered');
    // A change the server could not count keeps the last counts.
    push([{ ...mine, status: 'approved', upvotes: 3, answer: { department: '住建局', text: 'Yes', answeredAt: 9 } }]);
    expect(screen.getByTestId('comments-counts').textContent).toBe('1 published · 1 answered');
    cleanup();
    expect(unsubscribe).toHaveBeenCalled();
  });

  test('a board not shown reads nothing and hears nothing; shown, it reads and listens; when the changes come (again), it reads afresh', async () => {
    let comments = [aComment({ text: 'first' })];
    const sent = fakeFetch({ [PAGE]: () => ({ status: 200, body: aPublicPage({ comments }) }) });
    const gets = () => sent.filter((s) => s.method === 'GET').length;
    const listening: Array<{ onFollowing: (() => void) | undefined }> = [];
    let stopped = 0;
    const subscribe = (_listener: (c: CommentsChanged) => void, onFollowing?: () => void) => {
      listening.push({ onFollowing });
      return () => void stopped++;
    };
    const view = (active: boolean) => <CommentsBoard roomId="r1" invite="public-invite" subscribe={subscribe} active={active} />;
    const { rerender } = render(view(false));
    fireEvent.focus(window);
    await act(async () => undefined);
    expect({ gets: gets(), listening: listening.length }).toEqual({ gets: 0, listening: 0 });
    rerender(view(true));
    await screen.findByText('first');
    expect({ gets: gets(), listening: listening.length }).toEqual({ gets: 1, listening: 1 });
    // The changes come from now on: what changed before is read afresh.
    comments = [...comments, aComment({ text: 'before the changes came', upvotes: 5 })];
    act(() => listening[0]?.onFollowing?.());
    await screen.findByText('before the changes came');
    expect(gets()).toBe(2);
    rerender(view(false));
    expect(stopped).toBe(1);
    // Shown again: what is held shows at once; the changes, once they come again, bring it up to date.
    comments = [...comments, aComment({ text: 'while not shown', upvotes: 9 })];
    rerender(view(true));
    expect(screen.getByText('first')).toBeTruthy();
    expect({ gets: gets(), listening: listening.length }).toEqual({ gets: 2, listening: 2 });
    act(() => listening[1]?.onFollowing?.());
    await screen.findByText('while not shown');
    expect(gets()).toBe(3);
  });

  test('without a socket, the board fetches again when the page gets the focus back', async () => {
    let comments = [aComment({ text: 'first' })];
    const sent = fakeFetch({ [PAGE]: () => ({ status: 200, body: aPublicPage({ comments }) }) });
    board();
    await screen.findByText('first');
    comments = [...comments, aComment({ text: 'second', upvotes: 5 })];
    fireEvent.focus(window);
    await screen.findByText('second');
    expect(sent.filter((s) => s.method === 'GET')).toHaveLength(2);
  });
});
