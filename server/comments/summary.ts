/** The 群众留言 figures the minutes read at lock, computed alike by both stores. */
import type { CommentCounts, CommentsSummary, PublicComment } from '../../signaling/comments/model.js';
import type { ChainHead } from './chain.js';

/** How many of the most upvoted comments the summary lists. */
export const MOST_UPVOTED = 10;

/** The summary from the counts, every approved comment (most upvoted first) and the chain head read with them. */
export function summaryOf(counts: CommentCounts, approvedHotFirst: readonly PublicComment[], chainHead: ChainHead): CommentsSummary {
  const byTheme = new Map<string, number>();
  for (const c of approvedHotFirst) for (const t of c.themes) byTheme.set(t, (byTheme.get(t) ?? 0) + 1);
  return {
    counts,
    byTheme: [...byTheme].map(([theme, count]) => ({ theme, count })).sort((a, b) => b.count - a.count || a.theme.localeCompare(b.theme, 'zh-CN')),
    mostUpvoted: approvedHotFirst.slice(0, MOST_UPVOTED),
    chainHead,
  };
}
