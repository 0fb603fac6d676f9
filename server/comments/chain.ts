/**
 * The comment chain of a room: every change of its comments is one entry, hashed like the room
 * log (SHA-256 over the previous hash and the entry). `applyEntry` is the one definition of what
 * an entry does to the comments; both stores write what it computes, and `verifyCommentExport`
 * replays an export's chain with it, so an export whose comments or entries were edited after
 * the fact does not verify.
 */
import { createHash } from 'node:crypto';
import type { CommentAnswer, RejectReason, StaffComment } from '../../signaling/comments/model.js';

/** What one entry says happened. */
export type CommentChange =
  | {
      type: 'submitted';
      data: { comment: { id: string; name: string; place: string; text: string; createdAt: number; heldFor: string[] } };
    }
  | { type: 'approved'; data: { commentId: string } }
  | { type: 'rejected'; data: { commentId: string; reason: RejectReason } }
  /** `upvotes`: the target's count once the duplicate's upvoters are counted for it. */
  | { type: 'merged'; data: { commentId: string; into: string; upvotes: number } }
  | { type: 'tagged'; data: { commentId: string; themes: string[] } }
  /** `countedFor`: the comment the upvote counts for (the target when `commentId` was merged). */
  | { type: 'upvoted'; data: { commentId: string; countedFor: string; upvotes: number } }
  | { type: 'answered'; data: { commentId: string; answer: CommentAnswer } };

/** One entry of a room's comment chain. No browser id or address is ever part of it. */
export type CommentEntry = CommentChange & { seq: number; at: number; hash: string };

/** The chain's end: seq 0 and '' before the first entry. */
export type ChainHead = { seq: number; hash: string };

/** Every comment of a room with the chain that produced them. */
export type CommentExport = { roomId: string; comments: StaffComment[]; chain: CommentEntry[] };

/** JSON with object keys sorted, so the hash does not depend on the order fields were written in. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** SHA-256 (hex) of the previous hash followed by the canonical entry (without its hash). */
export function hashEntry(prevHash: string, entry: Omit<CommentEntry, 'hash'>): string {
  return createHash('sha256').update(prevHash).update(canonical({ seq: entry.seq, at: entry.at, type: entry.type, data: entry.data })).digest('hex');
}

/** The entry after `head`, hashed. */
export function nextEntry(head: ChainHead, at: number, change: CommentChange): CommentEntry {
  const unhashed = { ...change, seq: head.seq + 1, at } as Omit<CommentEntry, 'hash'>;
  return { ...unhashed, hash: hashEntry(head.hash, unhashed) } as CommentEntry;
}

/**
 * The comments an entry changes, as they are after it. `get` gives a comment as it was before
 * (undefined if unknown). Throws if the entry refers to a comment that does not exist.
 */
export function applyEntry(get: (id: string) => StaffComment | undefined, entry: CommentEntry, roomId: string): StaffComment[] {
  const existing = (id: string): StaffComment => {
    const comment = get(id);
    if (!comment) throw new Error(`comment chain seq ${entry.seq}: no comment ${id}`);
    return comment;
  };
  const at = entry.at;
  switch (entry.type) {
    case 'submitted': {
      const c = entry.data.comment;
      return [
        {
          id: c.id, roomId, name: c.name, place: c.place, text: c.text, createdAt: c.createdAt, status: 'pending', upvotes: 0,
          themes: [], answer: null, rejectReason: null, mergedInto: null, heldFor: [...c.heldFor], moderatedAt: null,
        },
      ];
    }
    case 'approved':
      return [{ ...existing(entry.data.commentId), status: 'approved', rejectReason: null, moderatedAt: at }];
    case 'rejected':
      return [{ ...existing(entry.data.commentId), status: 'rejected', rejectReason: entry.data.reason, moderatedAt: at }];
    case 'merged':
      return [
        { ...existing(entry.data.commentId), status: 'merged', mergedInto: entry.data.into, moderatedAt: at },
        { ...existing(entry.data.into), upvotes: entry.data.upvotes },
      ];
    case 'tagged':
      return [{ ...existing(entry.data.commentId), themes: [...entry.data.themes], moderatedAt: at }];
    case 'upvoted':
      return [{ ...existing(entry.data.countedFor), upvotes: entry.data.upvotes }];
    case 'answered':
      return [{ ...existing(entry.data.commentId), answer: { ...entry.data.answer } }];
  }
}

/** Where an export stops being what the store wrote. */
export type CommentChainBreak = { seq: number; reason: string };

/**
 * Checks an export: seqs 1, 2, 3 …, every hash, and that replaying the chain gives exactly the
 * exported comments. Null when it is whole.
 */
export function verifyCommentExport(exported: CommentExport): CommentChainBreak | null {
  let prev = '';
  const comments = new Map<string, StaffComment>();
  for (const [i, entry] of exported.chain.entries()) {
    if (entry.seq !== i + 1) return { seq: entry.seq, reason: `seq ${entry.seq} where ${i + 1} should be` };
    const { hash, ...rest } = entry;
    if (hashEntry(prev, rest) !== hash) return { seq: entry.seq, reason: 'its hash does not match its content and the hash before it' };
    prev = hash;
    try {
      for (const c of applyEntry((id) => comments.get(id), entry, exported.roomId)) comments.set(c.id, c);
    } catch (error) {
      return { seq: entry.seq, reason: error instanceof Error ? error.message : String(error) };
    }
  }
  const seq = exported.chain.length;
  if (exported.comments.length !== comments.size) return { seq, reason: `${exported.comments.length} comments exported, the chain makes ${comments.size}` };
  for (const c of exported.comments) {
    const replayed = comments.get(c.id);
    if (!replayed || canonical(replayed) !== canonical(c)) return { seq, reason: `comment ${c.id} is not what the chain makes of it` };
  }
  return null;
}
