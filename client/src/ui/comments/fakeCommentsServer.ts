/**
 * A stand-in for the comment routes in component tests: `fetch` answered from plain data, as
 * the contract (signaling/comments/api.ts) describes, with every request recorded. It is no
 * model of the server's rules; tests set the answers they need and check what was sent.
 */
import { vi } from 'vitest';
import type { ModerationPage, PublicCommentsPage } from '../../../../signaling/comments/api.js';
import type { CommentCounts, PublicComment, StaffComment } from '../../../../signaling/comments/model.js';

/** One request the page made. */
export type Sent = { method: string; path: string; auth: string | null; body: unknown };

/** An answer: a JSON body with a status. */
export type Answer = { status: number; body: unknown };

/** Handlers by "METHOD path-without-query"; unmatched requests answer 404 NOT_FOUND. */
export type Routes = Record<string, (sent: Sent) => Answer>;

/** Stubs `fetch` with `routes`; answers the list of requests made. */
export function fakeFetch(routes: Routes): Sent[] {
  const sent: Sent[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit = {}) => {
      const method = init.method ?? 'GET';
      const path = url.split('?')[0] ?? url;
      const headers = new Headers(init.headers);
      const request: Sent = { method, path: url, auth: headers.get('Authorization'), body: typeof init.body === 'string' ? JSON.parse(init.body) : null };
      sent.push(request);
      const route = routes[`${method} ${path}`];
      const answer = route ? route(request) : { status: 404, body: { error: 'NOT_FOUND', detail: `${method} ${path}` } };
      if (answer.status === 204) return new Response(null, { status: 204 });
      return new Response(JSON.stringify(answer.body), { status: answer.status, headers: { 'content-type': 'application/json' } });
    }),
  );
  return sent;
}

let next = 0;

/** A published comment with defaults. */
export function aComment(over: Partial<PublicComment> = {}): PublicComment {
  next += 1;
  return {
    id: `c${next}`,
    roomId: 'r1',
    name: `Resident ${next}`,
    place: 'Huangpu',
    text: `Comment ${next}`,
    createdAt: Date.UTC(2026, 11, 1, 8, next),
    status: 'approved',
    upvotes: 0,
    themes: [],
    answer: null,
    ...over,
  };
}

/** A comment as staff see it. */
export function aStaffComment(over: Partial<StaffComment> = {}): StaffComment {
  return { ...aComment(), rejectReason: null, mergedInto: null, heldFor: [], moderatedAt: null, ...over };
}

/** The public page with defaults: open for a week, no comments. */
export function aPublicPage(over: Partial<PublicCommentsPage> = {}): PublicCommentsPage {
  const comments = over.comments ?? [];
  return {
    room: { roomId: 'r1', topic: 'Lifts for old residential buildings', startsAt: null, ended: false },
    settings: { opensAt: Date.now() - 60_000, closesAt: Date.now() + 7 * 86_400_000, background: '', themes: [] },
    open: true,
    comments,
    mine: [],
    upvoted: [],
    counts: { approved: comments.length, answered: comments.filter((c) => c.answer !== null).length },
    ...over,
  };
}

/** Counts of a list of staff comments. */
export function countsOf(comments: StaffComment[]): CommentCounts {
  const n = (status: StaffComment['status']): number => comments.filter((c) => c.status === status).length;
  return {
    received: comments.length,
    pending: n('pending'),
    approved: n('approved'),
    rejected: n('rejected'),
    merged: n('merged'),
    answered: comments.filter((c) => c.answer !== null).length,
    upvotes: comments.reduce((sum, c) => sum + c.upvotes, 0),
  };
}

/** The moderation page of `comments`, with the organiser's `themes`. */
export function aModerationPage(comments: StaffComment[], themes: string[] = []): ModerationPage {
  return { comments, counts: countsOf(comments), settings: { opensAt: null, closesAt: null, background: '', themes, heldWords: [] } };
}

/** Hostile text for every field: markup, a script, a very long unbroken line, right-to-left, emoji. */
export const HOSTILE = {
  name: '<img src=x onerror="alert(1)">مرحبا',
  place: '<script>alert("place")</script>‮dlrow',
  text: `<b>bold?</b> <a href="javascript:alert(1)">click</a> ${'W'.repeat(600)} 👍🏽👨‍👩‍👧 &amp; {{t}}`,
  theme: '<i>交通</i>',
  answer: '<iframe src="https://example.com"></iframe> שלום 住建局答复',
  department: '<u>住建局</u>',
} as const;
