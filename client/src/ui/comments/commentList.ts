/** The comment lists' arithmetic: sorting 最热 / 最新, finding, and folding live changes and pages in. */
import type { CommentSort } from '../../../../signaling/comments/api.js';
import type { PublicComment } from '../../../../signaling/comments/model.js';

/** 最热: most upvoted first (newest first among equals); 最新: newest first. */
export function sortComments<T extends PublicComment>(comments: readonly T[], sort: CommentSort): T[] {
  const newest = (a: T, b: T): number => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1);
  return [...comments].sort(sort === 'hot' ? (a, b) => b.upvotes - a.upvotes || newest(a, b) : newest);
}

/**
 * The lists after `changed` comments: an approved one is put in (or replaces its old self, with
 * a new count or answer), one no longer approved (rejected, merged) is taken out; this
 * browser's own pending comment leaves the 待审核 list once staff have decided on it.
 */
export function applyChanges(
  lists: { comments: readonly PublicComment[]; mine: readonly PublicComment[] },
  changed: readonly PublicComment[],
): { comments: PublicComment[]; mine: PublicComment[] } {
  const byId = new Map(lists.comments.map((c) => [c.id, c]));
  let mine = [...lists.mine];
  for (const comment of changed) {
    if (comment.status === 'approved') byId.set(comment.id, comment);
    else byId.delete(comment.id);
    if (comment.status !== 'pending') mine = mine.filter((m) => m.id !== comment.id);
  }
  return { comments: [...byId.values()], mine };
}

/**
 * The list after a page of the server's: `fetched` comes in (replacing the held copies of the
 * same comments, the server's being the newer) and every other held comment stays. A page holds
 * the first `offset + fetched.length` of its order exactly; what else is held came from the
 * other order or from live changes.
 */
export function withFetched(held: readonly PublicComment[], fetched: readonly PublicComment[]): PublicComment[] {
  const byId = new Map(held.map((c) => [c.id, c]));
  for (const comment of fetched) byId.set(comment.id, comment);
  return [...byId.values()];
}

/** How a query and a comment's fields are compared: case and width folded (Ａ and a alike). */
const folded = (text: string): string => text.normalize('NFKC').toLocaleLowerCase('zh-CN');

/**
 * Whether a comment has every word of `query` (split at spaces) in its name, place, text, themes
 * or answer: what a chair types to find "the one about 停车 from 东城". An empty query finds all.
 */
export function matchesQuery(comment: PublicComment, query: string): boolean {
  const words = folded(query).split(/\s+/u).filter((w) => w !== '');
  if (words.length === 0) return true;
  const haystack = folded([comment.name, comment.place, comment.text, ...comment.themes, comment.answer?.department ?? '', comment.answer?.text ?? ''].join('\n'));
  return words.every((w) => haystack.includes(w));
}
