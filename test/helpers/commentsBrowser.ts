/**
 * A phone's browser for the comment routes, as a test drives them over raw HTTP: the invite it
 * came with, its cookie jar (the signed browser id the server sets), and answers parsed with the
 * contract's schemas.
 */
import { expect } from 'vitest';
import type { z } from 'zod';
import { SubmittedCommentSchema } from '../../signaling/comments/api.js';
import type { CommentSettings } from '../../signaling/comments/model.js';
import type { RunningServer } from '../../server/app.js';
import { parseAnswer } from './http.js';
import { createRoom, invite } from './rooms.js';

/** One phone's browser: its cookie jar and the invite it came with. */
export class CommentsBrowser {
  cookie: string | undefined;
  constructor(
    readonly baseUrl: string,
    readonly token: string | undefined,
  ) {}

  async call(method: string, path: string, options: { body?: unknown; raw?: string; contentType?: string; cookie?: string } = {}) {
    const headers: Record<string, string> = {};
    if (this.token !== undefined) headers['authorization'] = `Bearer ${this.token}`;
    const cookie = options.cookie ?? this.cookie;
    if (cookie !== undefined) headers['cookie'] = cookie;
    const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    if (body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
    const res = await fetch(`${this.baseUrl}/api${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
    const set = res.headers.get('set-cookie');
    if (set !== null) this.cookie = set.split(';')[0];
    // ignoreBOM keeps a byte-order mark in the text (fetch's text() would drop it unseen).
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());
    const json: unknown = res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : undefined;
    /** The answer parsed with its schema from the contract; fails the test with the body if it does not match. */
    const parse = <S extends z.ZodType>(schema: S): z.output<S> => parseAnswer(schema, json, `${method} ${path}: HTTP ${res.status}`, text);
    return { status: res.status, headers: res.headers, text, json, parse, setCookie: set };
  }
}


/** Sets a room's comment settings as the organiser does, with the server's admin secret. */
export async function putCommentSettings(server: Pick<RunningServer, 'url' | 'adminSecret'>, roomId: string, settings: CommentSettings): Promise<void> {
  const res = await fetch(`${server.url}/api/admin/rooms/${roomId}/comments`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${server.adminSecret}`, 'content-type': 'application/json' },
    body: JSON.stringify(settings),
  });
  expect(res.status, await res.text()).toBe(200);
}

/** A room's comments as a test reaches them: the server, the room, a public invite and a staff one. */
export type CommentsRoom = { url: string; roomId: string; publicInvite: string; staffInvite: string };

/** A comment submitted by a browser of its own (201 expected), pending; answers its id. */
export async function submitComment(room: CommentsRoom, text: string, name = '市民'): Promise<string> {
  const res = await new CommentsBrowser(room.url, room.publicInvite).call('POST', `/comments/${room.roomId}`, { body: { name, text } });
  expect(res.status, res.text).toBe(201);
  return res.parse(SubmittedCommentSchema).comment.id;
}

/** A comment submitted and approved by the staff invite (200 expected); answers its id. */
export async function publishComment(room: CommentsRoom, text: string, name = '市民'): Promise<string> {
  const id = await submitComment(room, text, name);
  const approved = await new CommentsBrowser(room.url, room.staffInvite).call('POST', `/comments/${room.roomId}/${id}/moderate`, { body: { action: 'approve' } });
  expect(approved.status, approved.text).toBe(200);
  return id;
}

/** An open room with comments open from a minute ago for an hour, and its host's, a secretary's and a public invite. */
export async function openCommentsRoom(server: Pick<RunningServer, 'url' | 'adminSecret'>): Promise<CommentsRoom & { hostInvite: string }> {
  const { roomId, hostInvite } = await createRoom(server, { open: true });
  await putCommentSettings(server, roomId, { opensAt: Date.now() - 60_000, closesAt: Date.now() + 3_600_000, background: '', themes: [], heldWords: [] });
  return {
    url: server.url,
    roomId,
    hostInvite,
    publicInvite: await invite(server, roomId, 'public'),
    staffInvite: await invite(server, roomId, 'secretary', 'city', '秘书'),
  };
}
