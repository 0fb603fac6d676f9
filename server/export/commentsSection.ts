/**
 * The minutes' 群众留言 section as blocks that every export renders alike: the renderer
 * escapes the parts marked as user text (a commenter's name, place, text, a department's
 * answer, a theme) and writes the rest, which is ours, as it is.
 */
import type { CommentRecord, CommentsSection, StagedCommentRecord } from '../../signaling/record/types.js';
import { formatTime } from './common.js';

/** Our text, or `{ user }`: text from a commenter or a department, escaped by the renderer. */
export type Part = string | { user: string };

/** One block of the section. */
export type Block =
  | { kind: 'heading'; parts: Part[] }
  | { kind: 'line'; parts: Part[] }
  /** Multi-line user text, as paragraphs. */
  | { kind: 'text'; text: string }
  | { kind: 'table'; head: string[]; rows: Part[][] }
  /** A numbered entry: its first line, then its own blocks. */
  | { kind: 'item'; n: number; head: Part[]; body: Block[] };

/** The section's heading. */
export const COMMENTS_HEADING = '群众留言';

/** The blocks under the heading; none when the record has no section (a meeting without comments). */
export function commentsBlocks(section: CommentsSection | undefined): Block[] {
  if (!section) return [];
  const { counts, countedAt } = section;
  const line = (...parts: Part[]): Block => ({ kind: 'line', parts });
  const heading = (...parts: Part[]): Block => ({ kind: 'heading', parts });
  const out: Block[] = [];
  if (counts === null) out.push(line('留言数量在会议结束时记录。'));
  else if (counts.received === 0 && section.staged.length === 0) out.push(line('本次未收到群众留言。'));
  else {
    const when = countedAt === 'lock' ? '统计截至纪要锁定时' : '统计截至会议结束时';
    out.push(
      line(
        `${when}，共收到留言 ${counts.received} 条：审核通过 ${counts.approved} 条，未通过 ${counts.rejected} 条，待审核 ${counts.pending} 条，` +
          `合并重复 ${counts.merged} 条；部门已答复 ${counts.answered} 条；点赞共 ${counts.upvotes} 次。`,
      ),
    );
    if (countedAt === 'lock') {
      out.push(heading('按主题'));
      out.push(
        section.byTheme.length === 0
          ? line('无')
          : { kind: 'table', head: ['主题', '审核通过的留言（条）'], rows: section.byTheme.map((t) => [{ user: t.theme }, String(t.count)]) },
      );
      out.push(heading('点赞最多的留言'));
      if (section.mostUpvoted.length === 0) out.push(line('无'));
      section.mostUpvoted.forEach((c, i) => out.push(upvotedItem(c, i + 1)));
    }
  }
  if (counts === null || counts.received > 0 || section.staged.length > 0) {
    out.push(heading('上屏的留言'));
    if (section.staged.length === 0) out.push(line('无'));
    section.staged.forEach((st, i) => out.push(stagedItem(st, i + 1)));
  }
  if (section.chainHead) out.push(line(`留言记录链头：第 ${section.chainHead.seq} 条，哈希 ${section.chainHead.hash || '—'}`));
  return out;
}

function author(c: { name: string; place: string }): Part[] {
  return c.place ? [{ user: c.name }, '（', { user: c.place }, '）'] : [{ user: c.name }];
}

function themes(list: string[]): Part[] {
  if (list.length === 0) return [];
  return [' · 主题：', ...list.flatMap((t, i): Part[] => (i === 0 ? [{ user: t }] : ['、', { user: t }]))];
}

function answerBlocks(answer: CommentRecord['answer'], none: string | null): Block[] {
  if (answer === null) return none === null ? [] : [{ kind: 'line', parts: [none] }];
  return [
    { kind: 'line', parts: [{ user: answer.department }, `答复（${formatTime(answer.answeredAt)}）：`] },
    { kind: 'text', text: answer.text },
  ];
}

function upvotedItem(c: CommentRecord, n: number): Block {
  return { kind: 'item', n, head: [...author(c), ` · 点赞 ${c.upvotes} 次`, ...themes(c.themes)], body: [{ kind: 'text', text: c.text }, ...answerBlocks(c.answer, null)] };
}

function stagedItem(st: StagedCommentRecord, n: number): Block {
  if (st.withdrawn) return { kind: 'item', n, head: [`上屏 ${formatTime(st.stagedAt)} · 该留言其后已被撤回，内容不予记录`], body: [] };
  const asked: Part[] = st.askedDepartment === null ? [] : [' · 请', { user: st.askedDepartment }, '答复'];
  return {
    kind: 'item',
    n,
    head: [...author(st), ` · 上屏 ${formatTime(st.stagedAt)}`, ...asked, ...themes(st.themes)],
    body: [{ kind: 'text', text: st.text }, ...answerBlocks(st.answer, '暂无答复')],
  };
}
