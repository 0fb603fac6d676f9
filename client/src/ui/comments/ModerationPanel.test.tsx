// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import type { StaffComment } from '../../../../signaling/comments/model.js';
import { fullRoom, type TestRoom } from '../../../../signaling/room/testing.js';
import { setLanguage } from '../../i18n/index.js';
import { RoomClient } from '../../RoomClient.js';
import { SidePanel } from '../room/SidePanel.js';
import { renderInRoom } from '../testing.js';
import { aModerationPage, aStaffComment, fakeFetch, HOSTILE, type Routes, type Sent } from './fakeCommentsServer.js';
import { ModerationPanel } from './ModerationPanel.js';

beforeAll(() => setLanguage('en'));

type News = Parameters<RoomClient['onComments']>[0];
let listeners: News[];

beforeEach(() => {
  listeners = [];
  // The socket of a rendered panel never connects: the server's news is handed to the listeners here.
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

/** The staff's routes over a list the test changes (?status= as the contract has it); every moderation answers the comment. */
function staffRoutes(room: TestRoom, list: { comments: StaffComment[] }, themes: string[] = []): Routes {
  const base = `/api/comments/${room.state.id}`;
  const routes: Routes = {
    [`GET ${base}/moderation`]: (sent) => {
      const status = new URL(sent.path, 'http://x').searchParams.get('status');
      const page = aModerationPage(list.comments, themes);
      return { status: 200, body: status === null ? page : { ...page, comments: page.comments.filter((c) => c.status === status) } };
    },
  };
  // The comment as the list has it when the moderation arrives (a test changes it first).
  for (const c of list.comments) routes[`POST ${base}/${c.id}/moderate`] = () => ({ status: 200, body: { comment: list.comments.find((x) => x.id === c.id) ?? c } });
  return routes;
}

/** Renders `ui` for participant `me` with the invite the page joined with. */
function renderAs(room: TestRoom, me: string, ui: Parameters<typeof renderInRoom>[2] = (r) => <ModerationPanel room={r} />) {
  const rendered = renderInRoom(room, me, ui);
  act(() => rendered.store.dispatch({ type: 'invite', invite: { kind: 'loading', token: `${me}-invite` } }));
  return rendered;
}

const card = (id: string) => screen.getAllByTestId('moderation-comment').find((c) => c.dataset['commentId'] === id) as HTMLElement;
const moderations = (sent: Sent[]) => sent.filter((s) => s.method === 'POST').map((s) => [s.path.split('/').at(-2), s.body, s.auth]);

describe('the 留言 tab for the staff', () => {
  test('the queue comes first with its count and what the word list held each for; approving sends it and the list is fetched again', async () => {
    const room = fullRoom();
    const held = aStaffComment({ status: 'pending', text: 'call me on 138…', heldFor: ['电话', 'call'], createdAt: 1_000 });
    const later = aStaffComment({ status: 'pending', text: 'later', createdAt: 2_000 });
    const shown = aStaffComment({ status: 'approved', text: 'published' });
    const list = { comments: [later, shown, held] };
    const sent = fakeFetch(staffRoutes(room, list));
    renderAs(room, 'sec');

    const queue = await screen.findByTestId('moderation-pending');
    expect(within(queue).getAllByTestId('comment-text').map((t) => t.textContent)).toEqual(['call me on 138…', 'later']);
    expect(screen.getByTestId('moderation-pending-count').textContent).toBe('2');
    expect(within(card(held.id)).getByTestId('moderation-held').textContent).toBe('Held for: 电话、call');
    expect(screen.getByTestId('moderation-counts').textContent).toBe('3 received · 2 pending · 1 published · 0 rejected · 0 merged · 0 answered');
    expect(sent[0]?.auth).toBe('Bearer sec-invite');

    list.comments = [later, shown, { ...held, status: 'approved' }];
    fireEvent.click(within(card(held.id)).getByRole('button', { name: 'Approve' }));
    await waitFor(() => expect(within(screen.getByTestId('moderation-pending')).getAllByTestId('moderation-comment')).toHaveLength(1));
    expect(moderations(sent)).toEqual([[held.id, { action: 'approve' }, 'Bearer sec-invite']]);
    expect(within(screen.getByTestId('moderation-approved')).getAllByTestId('comment-text').map((t) => t.textContent)).toContain('call me on 138…');
    // The approved comment came in the server's answer: only the queue was fetched again.
    expect(sent.filter((s) => s.method === 'GET').map((s) => s.path)).toEqual([`/api/comments/${room.state.id}/moderation`, `/api/comments/${room.state.id}/moderation?status=pending`]);
  });

  test('a thousand comments: each list shows twenty at a time, the queue oldest first and the rest newest first; 显示更多 adds twenty', async () => {
    const room = fullRoom();
    const made = (status: StaffComment['status'], count: number, from: number) =>
      Array.from({ length: count }, (_, i) => aStaffComment({ status, text: `${status} #${i + 1}`, createdAt: from + i }));
    const pending = made('pending', 30, 1_000);
    const approved = made('approved', 1000, 10_000);
    const merged = made('merged', 25, 20_000).map((c) => ({ ...c, mergedInto: approved[0]?.id ?? null }));
    fakeFetch(staffRoutes(room, { comments: [...approved, ...pending, ...merged] }));
    renderAs(room, 'sec');

    const texts = (section: HTMLElement) => within(section).getAllByTestId('comment-text').map((t) => t.textContent);
    // The queue's 显示更多 follows its list.
    const after = (list: HTMLElement) => list.nextElementSibling as HTMLElement | null;
    const queue = await screen.findByTestId('moderation-pending');
    expect(texts(queue)).toEqual(Array.from({ length: 20 }, (_, i) => `pending #${i + 1}`));
    expect(screen.getByTestId('moderation-pending-count').textContent).toBe('30');
    expect(after(queue)?.dataset['testid']).toBe('comments-more');
    expect(after(queue)?.textContent).toBe('Show more comments (10 more)');
    fireEvent.click(after(queue) as HTMLElement);
    expect(texts(queue)).toHaveLength(30);
    expect(after(queue)?.dataset['testid']).not.toBe('comments-more');

    const published = screen.getByTestId('moderation-approved');
    expect(texts(published)).toEqual(Array.from({ length: 20 }, (_, i) => `approved #${1000 - i}`));
    expect(within(published).getByTestId('comments-more').textContent).toBe('Show more comments (980 more)');
    fireEvent.click(within(published).getByTestId('comments-more'));
    expect(texts(published)).toHaveLength(40);

    // Merged ones name the comment they went into.
    const mergedSection = screen.getByTestId('moderation-merged');
    expect(within(mergedSection).getAllByTestId('moderation-comment')).toHaveLength(20);
    expect(within(mergedSection).getAllByText(`Merged into the comment by ${approved[0]?.name}`)).toHaveLength(20);
  });

  test('the published list is newest first, or most upvoted first for a chair looking for what to put on stage', async () => {
    const room = fullRoom();
    const old = aStaffComment({ status: 'approved', text: 'old, many upvotes', upvotes: 40, createdAt: 1_000 });
    const middle = aStaffComment({ status: 'approved', text: 'middle', upvotes: 5, createdAt: 2_000 });
    const fresh = aStaffComment({ status: 'approved', text: 'fresh', upvotes: 0, createdAt: 3_000 });
    fakeFetch(staffRoutes(room, { comments: [middle, fresh, old] }));
    renderAs(room, 'host');
    const published = await screen.findByTestId('moderation-approved');
    const texts = () => within(published).getAllByTestId('comment-text').map((t) => t.textContent);
    expect(texts()).toEqual(['fresh', 'middle', 'old, many upvotes']);
    expect(within(published).getByRole('button', { name: 'Newest' }).getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(within(published).getByRole('button', { name: 'Most upvoted' }));
    expect(texts()).toEqual(['old, many upvotes', 'middle', 'fresh']);
  });

  test('a published comment can be taken down with a reason', async () => {
    const room = fullRoom();
    const c = aStaffComment({ status: 'approved' });
    const sent = fakeFetch(staffRoutes(room, { comments: [c] }));
    renderAs(room, 'sec');
    await screen.findByTestId('moderation-approved');
    fireEvent.click(within(card(c.id)).getByRole('button', { name: 'Reject' }));
    const dialog = screen.getByRole('dialog', { name: 'Reason for rejecting' });
    fireEvent.click(within(dialog).getByRole('radio', { name: 'Personal data' }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Reject' }));
    await waitFor(() => expect(moderations(sent)).toEqual([[c.id, { action: 'reject', reason: 'personalData' }, 'Bearer sec-invite']]));
  });

  test('rejecting asks for one of the four reasons first', async () => {
    const room = fullRoom();
    const c = aStaffComment({ status: 'pending' });
    const sent = fakeFetch(staffRoutes(room, { comments: [c] }));
    renderAs(room, 'host');
    fireEvent.click(within(await screen.findByTestId('moderation-pending')).getByRole('button', { name: 'Reject' }));
    const dialog = screen.getByRole('dialog', { name: 'Reason for rejecting' });
    expect(within(dialog).getAllByRole('radio').map((r) => r.closest('label')?.textContent)).toEqual(['Off-topic', 'Abusive', 'Personal data', 'Duplicate']);
    const confirm = within(dialog).getByRole<HTMLButtonElement>('button', { name: 'Reject' });
    expect(confirm.disabled).toBe(true);
    fireEvent.click(within(dialog).getByRole('radio', { name: 'Personal data' }));
    fireEvent.click(confirm);
    await waitFor(() => expect(moderations(sent)).toEqual([[c.id, { action: 'reject', reason: 'personalData' }, 'Bearer host-invite']]));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  test('merging picks the target from the published and pending comments, never the comment itself or a rejected one', async () => {
    const room = fullRoom();
    const dup = aStaffComment({ status: 'pending', name: 'Dup', text: 'same' });
    const target = aStaffComment({ status: 'approved', name: 'First', text: 'same, said first' });
    const other = aStaffComment({ status: 'pending', name: 'Other', text: 'other' });
    const rejected = aStaffComment({ status: 'rejected', rejectReason: 'abusive', name: 'Rude' });
    const sent = fakeFetch(staffRoutes(room, { comments: [dup, target, other, rejected] }));
    renderAs(room, 'sec');
    await screen.findByTestId('moderation-pending');
    fireEvent.click(within(card(dup.id)).getByRole('button', { name: 'Merge' }));
    const dialog = screen.getByRole('dialog', { name: 'Merge into another comment' });
    const select = within(dialog).getByLabelText<HTMLSelectElement>('Merge into');
    expect([...select.options].map((o) => o.value).sort()).toEqual([target.id, other.id].sort());
    fireEvent.change(select, { target: { value: target.id } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Merge' }));
    await waitFor(() => expect(moderations(sent)).toEqual([[dup.id, { action: 'merge', into: target.id }, 'Bearer sec-invite']]));
    // A merge changes the comment merged into as well: the whole page is fetched again.
    await waitFor(() => expect(sent.filter((s) => s.method === 'GET').map((s) => s.path)).toEqual([`/api/comments/${room.state.id}/moderation`, `/api/comments/${room.state.id}/moderation`]));
    // The rejected comment is listed with its reason, and may be approved after all.
    expect(within(card(rejected.id)).getByText('Reason: Abusive')).toBeTruthy();
    fireEvent.click(within(card(rejected.id)).getByRole('button', { name: 'Approve' }));
    await waitFor(() => expect(moderations(sent).at(-1)).toEqual([rejected.id, { action: 'approve' }, 'Bearer sec-invite']));
  });

  test('查找 narrows every list to the comments with each word typed, in any field, and says how many', async () => {
    const room = fullRoom();
    const parking = aStaffComment({ status: 'pending', name: '王阿姨', place: '东城街道', text: '小区停车位太少' });
    const lift = aStaffComment({ status: 'approved', name: '李师傅', place: '西城', text: '加装电梯的费用', themes: ['资金'] });
    const answered = aStaffComment({ status: 'approved', name: '赵', place: '东城', text: '路灯坏了', answer: { department: '城管局', text: '已安排维修', answeredAt: 5 } });
    const rude = aStaffComment({ status: 'rejected', rejectReason: 'abusive', name: 'Ｒude', text: 'PARKING!!' });
    // More than a step of comments (20): the box is there to find one among them.
    const others = Array.from({ length: 20 }, (_, i) => aStaffComment({ status: 'merged', name: `某${i}`, place: '', text: `其他 ${i}` }));
    fakeFetch(staffRoutes(room, { comments: [parking, lift, answered, rude, ...others] }));
    renderAs(room, 'sec');
    await screen.findByTestId('moderation-pending');
    const ids = () => screen.queryAllByTestId('moderation-comment').map((c) => c.dataset['commentId']).filter((id) => !others.some((o) => o.id === id));
    const find = (text: string) => fireEvent.change(screen.getByLabelText('Find comments'), { target: { value: text } });

    find('东城');
    expect(ids()).toEqual([parking.id, answered.id]);
    expect(screen.getByTestId('moderation-found').textContent).toBe('2 found');
    // Every word must be found, in any of the fields.
    find('东城 停车');
    expect(ids()).toEqual([parking.id]);
    find('资金');
    expect(ids()).toEqual([lift.id]);
    find('维修');
    expect(ids()).toEqual([answered.id]);
    // Case and full-width letters are folded.
    find('rude parking');
    expect(ids()).toEqual([rude.id]);
    find('没有这样的留言');
    expect(ids()).toEqual([]);
    expect(screen.getByTestId('moderation-found').textContent).toBe('0 found');
    // The counts above are still the topic's.
    expect(screen.getByTestId('moderation-pending-count').textContent).toBe('1');
    find('  ');
    expect(ids()).toHaveLength(4);
    expect(screen.queryByTestId('moderation-found')).toBeNull();
    find('其他');
    expect(screen.getByTestId('moderation-found').textContent).toBe('20 found');
  });

  test('a small consultation has no 查找 box: every comment is on screen', async () => {
    const room = fullRoom();
    fakeFetch(staffRoutes(room, { comments: Array.from({ length: 20 }, () => aStaffComment({ status: 'pending' })) }));
    renderAs(room, 'sec');
    await screen.findByTestId('moderation-pending');
    expect(screen.queryByLabelText('Find comments')).toBeNull();
  });

  test('the merge dialog finds its target by a word, and merges into one the list shows', async () => {
    const room = fullRoom();
    const dup = aStaffComment({ status: 'pending', name: 'Dup', text: '电梯 again' });
    const many = Array.from({ length: 30 }, (_, i) => aStaffComment({ status: 'approved', name: `N${i}`, text: `topic ${i}` }));
    const lift = aStaffComment({ status: 'approved', name: 'First', text: '加装电梯' });
    const sent = fakeFetch(staffRoutes(room, { comments: [dup, ...many, lift] }));
    renderAs(room, 'sec');
    await screen.findByTestId('moderation-pending');
    fireEvent.click(within(card(dup.id)).getByRole('button', { name: 'Merge' }));
    const dialog = screen.getByRole('dialog', { name: 'Merge into another comment' });
    const select = within(dialog).getByLabelText<HTMLSelectElement>('Merge into');
    expect(select.options).toHaveLength(31);
    fireEvent.change(within(dialog).getByLabelText('Find the comment to merge into'), { target: { value: '电梯' } });
    expect([...select.options].map((o) => o.value)).toEqual([lift.id]);
    expect(select.value).toBe(lift.id);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Merge' }));
    await waitFor(() => expect(moderations(sent)).toEqual([[dup.id, { action: 'merge', into: lift.id }, 'Bearer sec-invite']]));
  });

  test('themes are chips from the organiser’s list; a click sends the comment’s new list', async () => {
    const room = fullRoom();
    const c = aStaffComment({ status: 'approved', themes: ['交通'] });
    const sent = fakeFetch(staffRoutes(room, { comments: [c] }, ['交通', HOSTILE.theme, '养老']));
    const { container } = renderAs(room, 'sec');
    await screen.findByTestId('moderation-approved');
    const chips = within(card(c.id)).getAllByTestId('moderation-theme');
    expect(chips.map((b) => [b.textContent, b.getAttribute('aria-pressed')])).toEqual([
      ['交通', 'true'],
      [HOSTILE.theme, 'false'],
      ['养老', 'false'],
    ]);
    fireEvent.click(chips[1] as HTMLElement);
    await waitFor(() => expect(moderations(sent)).toEqual([[c.id, { action: 'tag', themes: ['交通', HOSTILE.theme] }, 'Bearer sec-invite']]));
    expect(container.querySelectorAll('i')).toHaveLength(0);
  });

  test('hostile text stays text in the queue', async () => {
    const room = fullRoom();
    const c = aStaffComment({ status: 'pending', name: HOSTILE.name, place: HOSTILE.place, text: HOSTILE.text, heldFor: ['<script>'] });
    fakeFetch(staffRoutes(room, { comments: [c] }));
    const { baseElement } = renderAs(room, 'sec');
    const item = await screen.findByTestId('moderation-comment');
    expect(within(item).getByTestId('comment-name').textContent).toBe(HOSTILE.name);
    expect(within(item).getByTestId('comment-place').textContent).toBe(HOSTILE.place);
    expect(within(item).getByTestId('comment-text').textContent).toBe(HOSTILE.text);
    expect(within(item).getByTestId('moderation-held').textContent).toBe('Held for: <script>');
    fireEvent.click(within(item).getByRole('button', { name: 'Merge' }));
    expect(baseElement.querySelectorAll('img, script, b, a, iframe')).toHaveLength(0);
  });

  test('every comment downloads as CSV with the staff invite, under the server’s file name', async () => {
    const room = fullRoom();
    const saved: string[] = [];
    vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:csv');
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved.push(this.download);
    });
    const routes = staffRoutes(room, { comments: [] });
    const sent = fakeFetch(routes);
    const fetchMock = vi.mocked(fetch);
    const answer = fetchMock.getMockImplementation();
    fetchMock.mockImplementation(async (url, init) =>
      String(url).endsWith('/export.csv')
        ? new Response('id,status\n', { headers: { 'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent('留言-老旧小区.csv')}` } })
        : (answer as typeof fetch)(url, init),
    );
    renderAs(room, 'sec');
    fireEvent.click(await screen.findByRole('button', { name: 'Download all comments (CSV)' }));
    await waitFor(() => expect(saved).toEqual(['留言-老旧小区.csv']));
    const csv = fetchMock.mock.calls.find(([url]) => String(url).endsWith('/export.csv'));
    expect(new Headers(csv?.[1]?.headers).get('Authorization')).toBe('Bearer sec-invite');
    expect(sent.length).toBeGreaterThan(0);
  });

  test('news of the queue from the server fetches the queue alone; the other lists stay', async () => {
    const room = fullRoom();
    const published = aStaffComment({ status: 'approved', text: 'published' });
    const first = aStaffComment({ status: 'pending', text: 'first' });
    const list = { comments: [first, published] };
    const sent = fakeFetch(staffRoutes(room, list));
    renderAs(room, 'sec');
    await screen.findByTestId('moderation-pending');
    const before = sent.length;
    list.comments = [...list.comments, aStaffComment({ status: 'pending', text: 'just in' })];
    act(() => listeners.forEach((l) => l.pending?.({ roomId: room.state.id, pending: 2 })));
    expect(await screen.findByText('just in')).toBeTruthy();
    expect(sent.slice(before).map((s) => s.path)).toEqual([`/api/comments/${room.state.id}/moderation?status=pending`]);
    expect(within(screen.getByTestId('moderation-approved')).getByText('published')).toBeTruthy();
    // Rejected by another moderator: it leaves the queue with the next news.
    list.comments = list.comments.map((c) => (c.id === first.id ? { ...c, status: 'rejected', rejectReason: 'offTopic' } : c));
    act(() => listeners.forEach((l) => l.pending?.({ roomId: room.state.id, pending: 1 })));
    await waitFor(() => expect(within(screen.getByTestId('moderation-pending')).queryByText('first')).toBeNull());
    expect(within(screen.getByTestId('moderation-pending')).getByText('just in')).toBeTruthy();
    expect(within(screen.getByTestId('moderation-approved')).getByText('published')).toBeTruthy();
  });
});

test('back after a dropped connection, every list is fetched again: what was sent, moderated or upvoted meanwhile came as no news', async () => {
  const room = fullRoom();
  const published = aStaffComment({ status: 'approved', text: 'published', upvotes: 1 });
  const list = { comments: [published] };
  const sent = fakeFetch(staffRoutes(room, list));
  renderAs(room, 'sec');
  await screen.findByText('published');
  const before = sent.length;
  list.comments = [{ ...published, upvotes: 7 }, aStaffComment({ status: 'pending', text: 'sent while away' })];
  act(() => listeners.forEach((l) => l.resumed?.()));
  expect(await screen.findByText('sent while away')).toBeTruthy();
  expect(within(card(published.id)).getByText('Upvote 7')).toBeTruthy();
  expect(sent.slice(before).map((s) => s.path)).toEqual([`/api/comments/${room.state.id}/moderation`]);
});

test('news of published comments (an upvote, an answer) is folded in without fetching the list again', async () => {
  const room = fullRoom();
  const c = aStaffComment({ status: 'approved', upvotes: 1, heldFor: ['电话'] });
  const sent = fakeFetch(staffRoutes(room, { comments: [c] }));
  renderAs(room, 'sec');
  await screen.findByTestId('moderation-approved');
  const before = sent.length;
  const { rejectReason: _r, mergedInto: _m, heldFor: _h, moderatedAt: _a, ...shown } = c;
  act(() => listeners.forEach((l) => l.changed?.({ roomId: room.state.id, comments: [{ ...shown, upvotes: 40, answer: { department: '住建局', text: '已列入计划', answeredAt: 9 } }] })));
  expect(within(card(c.id)).getByText('Upvote 40')).toBeTruthy();
  expect(within(card(c.id)).getByTestId('comment-answer').textContent).toContain('已列入计划');
  expect(sent.length).toBe(before);
});

describe('上屏 (put on stage)', () => {
  test('the chair puts a published comment on stage and may ask a department present to answer; the secretary has no such button', async () => {
    const room = fullRoom();
    const c = aStaffComment({ status: 'approved', text: 'Where will the lift go?' });
    fakeFetch(staffRoutes(room, { comments: [c] }));
    const view = renderAs(room, 'host');
    await screen.findByTestId('moderation-approved');
    fireEvent.click(within(card(c.id)).getByRole('button', { name: 'Put on stage' }));
    const dialog = screen.getByRole('dialog', { name: 'Put this comment on stage' });
    const ask = within(dialog).getByLabelText<HTMLSelectElement>('Ask a department to answer (optional)');
    expect([...ask.options].map((o) => o.textContent)).toEqual(['Nobody', '住建局 · name-dept']);
    fireEvent.change(ask, { target: { value: 'dept' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Put on stage' }));
    await waitFor(() => expect(view.sent.map((s) => [s.type, s.fields])).toEqual([['comment:stage', { commentId: c.id, askParticipantId: 'dept' }]]));
    cleanup();

    renderAs(room, 'sec');
    await screen.findByTestId('moderation-approved');
    expect(within(card(c.id)).queryByRole('button', { name: 'Put on stage' })).toBeNull();
  });
});

describe('the 留言 tab in the side panel', () => {
  const panel = (r: Parameters<typeof SidePanel>[0]['room']) => <SidePanel room={r} />;

  test('is shown to the chair, the secretary and a department, and to nobody else', () => {
    const room = fullRoom();
    fakeFetch(staffRoutes(room, { comments: [] }));
    // Who has the tab, written here apart from the code's role table.
    const expected = { host: true, sec: true, dept: true, m1: false, v1: false, obs: false };
    for (const [me, shown] of Object.entries(expected)) {
      renderAs(room, me, panel);
      expect([me, screen.queryByRole('tab', { name: /^Comments/ }) !== null]).toEqual([me, shown]);
      cleanup();
    }
  });

  test('the staff’s tab counts the comments awaiting review, and follows the server’s news', async () => {
    const room = fullRoom();
    fakeFetch(staffRoutes(room, { comments: [aStaffComment({ status: 'pending' }), aStaffComment({ status: 'pending' }), aStaffComment()] }));
    renderAs(room, 'sec', panel);
    const tab = screen.getByRole('tab', { name: /^Comments/ });
    await waitFor(() => expect(tab.textContent).toBe('Comments2(2 awaiting review)'));
    act(() => listeners.forEach((l) => l.pending?.({ roomId: room.state.id, pending: 5 })));
    expect(tab.textContent).toBe('Comments5(5 awaiting review)');
    // News of another room is not ours.
    act(() => listeners.forEach((l) => l.pending?.({ roomId: 'elsewhere', pending: 9 })));
    expect(tab.textContent).toBe('Comments5(5 awaiting review)');
  });

  test('back after a dropped connection, the staff’s tab counts the queue afresh', async () => {
    const room = fullRoom();
    const list = { comments: [aStaffComment({ status: 'pending' }), aStaffComment()] };
    fakeFetch(staffRoutes(room, list));
    renderAs(room, 'sec', panel);
    const tab = screen.getByRole('tab', { name: /^Comments/ });
    await waitFor(() => expect(tab.textContent).toBe('Comments1(1 awaiting review)'));
    list.comments = [...list.comments, aStaffComment({ status: 'pending' }), aStaffComment({ status: 'pending' })];
    act(() => listeners.forEach((l) => l.resumed?.()));
    await waitFor(() => expect(tab.textContent).toBe('Comments3(3 awaiting review)'));
  });

  test('a department’s tab holds the answer panel, with no moderation controls', async () => {
    const room = fullRoom();
    const routes: Routes = { [`GET /api/comments/${room.state.id}`]: () => ({ status: 200, body: { ...aPublicPageFor(room), comments: [] } }) };
    const sent = fakeFetch(routes);
    const view = renderAs(room, 'dept', panel);
    act(() => view.client.showPanel('comments'));
    expect(await screen.findByTestId('comments-answers')).toBeTruthy();
    expect(screen.queryByTestId('comments-moderation')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();
    // A department never asks for the staff's list.
    expect(sent.some((s) => s.path.includes('/moderation'))).toBe(false);
  });
});

function aPublicPageFor(room: TestRoom) {
  return {
    room: { roomId: room.state.id, topic: room.state.info.topic, startsAt: null, ended: false },
    settings: { opensAt: null, closesAt: null, background: '', themes: [] },
    open: false,
    comments: [],
    mine: [],
    upvoted: [],
    counts: { approved: 0, answered: 0 },
  };
}
