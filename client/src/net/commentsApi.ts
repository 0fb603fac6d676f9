/**
 * Public comments (留言) over HTTP: one typed call per route of signaling/comments/api.ts. The
 * invite is sent as a bearer token (never in the URL, so it stays out of logs); the browser's
 * cookie, which the server sets on the first request, goes along so that the server knows this
 * browser's upvotes and its own pending comments. Answers are parsed with zod, never cast; an
 * error body becomes a ClientError with its code (RATE_LIMITED carries retryAfterMs).
 */
import { z } from 'zod';
import {
  COMMENT_ROUTES,
  ModeratedCommentSchema as Moderated,
  ModerationPageSchema as Moderation,
  PublicCommentsPageSchema as PublicPage,
  SubmittedCommentSchema as Submitted,
  UpvotedSchema,
  type AnswerComment,
  type CommentSettingsInput,
  type CommentSort,
  type ModerateComment,
  type ModerationPage,
  type PublicCommentsPage,
  type SubmitComment,
  type Upvoted,
} from '../../../signaling/comments/api.js';
import type { CommentSettings, CommentStatus, PublicComment, StaffComment } from '../../../signaling/comments/model.js';
import { CommentSettingsSchema as Settings } from '../../../signaling/comments/schemas.js';
import { ApiErrorBody } from '../../../signaling/http/errors.js';
import { ClientError } from '../errors.js';
import { fileNameOf } from './minutesApi.js';
import { NoContent, requestJson } from './http.js';

/** The contract names no body for the settings routes: the settings, bare or wrapped, or none. */
const SettingsAnswer = z.union([Settings, z.object({ settings: Settings }).transform((s) => s.settings)]);


/**
 * `GET /comments/:roomId`: the public page (topic, settings, approved comments, this browser's
 * own); `offset` > 0 asks for the approved comments after the first `offset` of that order.
 */
export function fetchPublicComments(roomId: string, invite: string, sort: CommentSort = 'hot', offset = 0): Promise<PublicCommentsPage> {
  const query = offset > 0 ? `?sort=${sort}&offset=${offset}` : `?sort=${sort}`;
  return requestJson(`${COMMENT_ROUTES.page.path({ roomId })}${query}`, PublicPage, { bearer: invite });
}

/** `POST /comments/:roomId`: the comment as stored (pending until staff approve it). */
export async function submitComment(roomId: string, invite: string, input: z.input<typeof SubmitComment>): Promise<PublicComment> {
  return (await requestJson(COMMENT_ROUTES.page.path({ roomId }), Submitted, { method: 'POST', body: input, bearer: invite })).comment;
}

/** `POST …/upvote`: the comment's count after this browser's upvote. */
export function upvoteComment(roomId: string, commentId: string, invite: string): Promise<Upvoted> {
  return requestJson(COMMENT_ROUTES.upvote.path({ roomId, commentId }), UpvotedSchema, { method: 'POST', bearer: invite });
}

/** `GET /comments/:roomId/moderation`: every comment as staff see it, the counts and the settings. */
export function fetchModeration(roomId: string, invite: string, status?: CommentStatus): Promise<ModerationPage> {
  const query = status === undefined ? '' : `?status=${status}`;
  return requestJson(`${COMMENT_ROUTES.moderation.path({ roomId })}${query}`, Moderation, { bearer: invite });
}

/** `POST …/moderate`: approve, reject with a reason, merge into another, or tag. */
export async function moderateComment(roomId: string, commentId: string, invite: string, action: ModerateComment): Promise<StaffComment> {
  return (await requestJson(COMMENT_ROUTES.moderate.path({ roomId, commentId }), Moderated, { method: 'POST', body: action, bearer: invite })).comment;
}

/** `POST …/answer`: a department's answer (答复). */
export async function answerComment(roomId: string, commentId: string, invite: string, input: AnswerComment): Promise<StaffComment> {
  return (await requestJson(COMMENT_ROUTES.answer.path({ roomId, commentId }), Moderated, { method: 'POST', body: input, bearer: invite })).comment;
}

/** A CSV file to save. */
export type CsvFile = { blob: Blob; fileName: string };

/** `GET /comments/:roomId/approved.csv`: the approved comments, for anyone with the link. */
export function fetchApprovedCsv(roomId: string, invite: string): Promise<CsvFile> {
  return fetchCsv(COMMENT_ROUTES.approvedCsv.path({ roomId }), invite, `comments-${roomId}-approved.csv`);
}

/** `GET /comments/:roomId/export.csv`: every comment with status, themes, upvotes and answer (staff). */
export function fetchExportCsv(roomId: string, invite: string): Promise<CsvFile> {
  return fetchCsv(COMMENT_ROUTES.exportCsv.path({ roomId }), invite, `comments-${roomId}.csv`);
}

/** `GET /admin/rooms/:roomId/comments`: the organiser's settings (admin secret, or the session cookie when undefined). */
export function fetchCommentSettings(roomId: string, secret: string | undefined): Promise<CommentSettings> {
  return requestJson(COMMENT_ROUTES.settings.path({ roomId }), SettingsAnswer, { bearer: secret });
}

/** `PUT /admin/rooms/:roomId/comments`: sets them; answers the settings as stored (or as sent, if none come back). */
export async function saveCommentSettings(roomId: string, secret: string | undefined, input: CommentSettingsInput): Promise<CommentSettings> {
  const answer = await requestJson(COMMENT_ROUTES.settings.path({ roomId }), z.union([SettingsAnswer, NoContent]), { method: 'PUT', body: input, bearer: secret });
  return answer ?? input;
}

async function fetchCsv(url: string, invite: string, fallbackName: string): Promise<CsvFile> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { Authorization: `Bearer ${invite}` }, cache: 'no-store', credentials: 'same-origin' });
  } catch (error) {
    throw new ClientError('DISCONNECTED', error instanceof Error ? error.message : 'fetch failed');
  }
  if (!response.ok) {
    const parsed = ApiErrorBody.safeParse(await errorBody(response));
    if (parsed.success) throw new ClientError(parsed.data.error, parsed.data.detail, parsed.data.retryAfterMs);
    throw new ClientError(response.status === 401 ? 'UNAUTHORIZED' : 'INTERNAL', `HTTP ${response.status}`);
  }
  return { blob: await response.blob(), fileName: fileNameOf(response.headers.get('content-disposition'), fallbackName) };
}

/** The JSON error body of a failed answer, or null when it has none (a proxy's HTML page). */
async function errorBody(response: Response): Promise<unknown> {
  try {
    const body: unknown = await response.json();
    return body;
  } catch (error) {
    console.warn(`comments CSV answered HTTP ${response.status} without a JSON body`, error);
    return null;
  }
}

/** Seconds to wait before trying again after RATE_LIMITED (at least 1), or null for any other failure. */
export function retrySeconds(error: unknown): number | null {
  if (!(error instanceof ClientError) || error.code !== 'RATE_LIMITED') return null;
  return Math.max(1, Math.ceil((error.retryAfterMs ?? 60_000) / 1000));
}
