/**
 * The minutes of a consultation as files: Markdown, print-friendly HTML, DOCX. Whoever asks
 * presents their invite token (`Authorization: Bearer …`). The host and the secretary get any
 * version, by default the current one (a draft, or the locked version); once the host has
 * published the minutes, every invite of the room gets the locked versions, by default the
 * latest. `?version=<n>` asks for one version.
 *
 * A recorded meeting's exports link its recording (each part, each speech's place in it) with
 * absolute URLs: without a key once the host has published the recording, else, for the host
 * and the secretary only, with keys valid KEY_HOURS hours (signaling/http/recording.ts).
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { AppError, type ErrorCode } from '../../signaling/errors.js';
import { ApiErrorBody } from '../../signaling/http/errors.js';
import { RoomIdParam } from '../../signaling/http/invites.js';
import { MINUTES_ROUTE, MinutesFormat, MinutesQuery } from '../../signaling/http/minutes.js';
import { atOffset, KEY_HOURS, recordingFilePath } from '../../signaling/http/recording.js';
import { latestLockedVersion, minutesRecord } from '../../signaling/record/skeleton.js';
import type { RoomState } from '../../signaling/room/state.js';
import type { Minutes } from '../../signaling/record/types.js';
import { minutesToDocx } from '../export/docx.js';
import { asciiFileName, contentDisposition, minutesFileName } from '../export/fileName.js';
import { minutesToHtml } from '../export/html.js';
import { minutesToMarkdown } from '../export/markdown.js';
import type { RenderOptions } from '../export/recordingSection.js';
import type { InviteTokens } from '../identity/InviteTokens.js';
import { keepsMinutes } from '../../signaling/room/roles.js';
import { roleInRoom } from '../../signaling/room/seats.js';
import type { Logger } from '../log.js';
import { requestFields } from './requestLog.js';
import { sendJson } from './sendJson.js';

/** What the minutes routes need. */
export type MinutesRouterDeps = {
  invites: InviteTokens;
  state: (roomId: string) => Promise<RoomState | undefined>;
  logger: Logger;
  /** This server's address as its users reach it (the recording's links are absolute: the file may be opened anywhere). */
  publicUrl?: (req: Request) => string;
  /** Signs the keys of an unpublished recording's links (server/recording/RecordingKeys); without it only a published recording is linked. */
  recordingKeys?: { sign(roomId: string, part: string, untilMs: number): string };
  /** The clock the keys expire by. */
  now?: () => number;
};

const STATUS: Partial<Record<ErrorCode, number>> = { UNAUTHORIZED: 401, INVITE_REVOKED: 410, FORBIDDEN: 403, NOT_FOUND: 404 };

/** GET /api/rooms/:roomId/minutes.(md|html|docx) for the host and the secretary. */
export function createMinutesRouter(deps: MinutesRouterDeps): Router {
  const router = express.Router();
  router.get(MINUTES_ROUTE.pattern, async (req, res) => {
    const roomId = RoomIdParam.safeParse(req.params['roomId']);
    const format = MinutesFormat.safeParse(req.params['format']);
    const query = MinutesQuery.safeParse(req.query);
    if (!roomId.success || !format.success || !query.success) {
      sendJson(res, ApiErrorBody, { error: 'BAD_REQUEST', detail: 'GET /api/rooms/<roomId>/minutes.md|html|docx[?version=<n>]' }, 400);
      return;
    }
    const token = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
    if (token === undefined) throw new AppError('UNAUTHORIZED', 'present your invite: Authorization: Bearer <invite token>');
    const claims = await deps.invites.verify(token, roomId.data);
    const state = await deps.state(roomId.data);
    if (!state) throw new AppError('NOT_FOUND', `no room ${roomId.data}`);
    // The room's word on the role: a chair handed over keeps the minutes with the chair.
    const staff = keepsMinutes(roleInRoom(state, claims.inviteId, claims.role));
    if (!staff && !state.minutes.published) {
      throw new AppError('FORBIDDEN', 'the minutes are not published: until the host publishes them, only the host and the secretary can download them');
    }
    const version = query.data.version ?? (staff ? state.minutes.version : latestLockedVersion(state));
    const minutes = version === null ? undefined : minutesRecord(state, version);
    if (!minutes) throw new AppError('NOT_FOUND', `no version ${version ?? ''} of the minutes`);
    // Published means the locked versions: a draft stays with the host and the secretary.
    if (!staff && minutes.lockedAt === null) throw new AppError('FORBIDDEN', `version ${version ?? ''} of the minutes is a draft, not published`);
    // Named by topic and day; an ASCII name goes beside it for clients without RFC 5987.
    const named = (kind: 'attachment' | 'inline'): string =>
      contentDisposition(kind, minutesFileName(minutes, format.data), asciiFileName(minutes, format.data));
    const options: RenderOptions = recordingLinks(deps, req, state, minutes, staff);
    res.set('Cache-Control', 'no-store');
    if (format.data === 'md') {
      res.type('text/markdown; charset=utf-8').set('Content-Disposition', named('attachment')).send(minutesToMarkdown(minutes, options));
    } else if (format.data === 'html') {
      // The print page carries its own <style> (it is read alone, printed, archived) and runs no
      // script; it is shown, not saved (its name is for "save as").
      res
        .type('text/html; charset=utf-8')
        .set('Content-Disposition', named('inline'))
        .set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
        .send(minutesToHtml(minutes, options));
    } else {
      res
        .type('application/vnd.openxmlformats-officedocument.wordprocessingml.document')
        .set('Content-Disposition', named('attachment'))
        .send(await minutesToDocx(minutes, options));
    }
  });
  router.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    if (error instanceof AppError) {
      const status = STATUS[error.code] ?? 400;
      sendJson(res, ApiErrorBody, { error: error.code, detail: error.message }, status);
      return;
    }
    deps.logger.error('minutes export failed', requestFields(req), error);
    sendJson(res, ApiErrorBody, { error: 'INTERNAL' }, 500);
  });
  return router;
}

/**
 * The links to the recording in an export: none without a recording or a public address; plain
 * once the recording is published; for staff, keyed for KEY_HOURS hours (a key per part, as a
 * player asks for one file at a time); for anybody else, none until it is published.
 */
function recordingLinks(deps: MinutesRouterDeps, req: Request, state: RoomState, minutes: Minutes, staff: boolean): RenderOptions {
  const parts = minutes.recording?.parts.map((p) => p.name) ?? [];
  if (parts.length === 0 || !deps.publicUrl) return {};
  const published = state.recording.published;
  const keys = published ? undefined : deps.recordingKeys;
  if (!published && !(staff && keys)) return {};
  const base = deps.publicUrl(req).replace(/\/+$/, '');
  const until = (deps.now ?? Date.now)() + KEY_HOURS * 3_600_000;
  const urls = parts.map((name) => base + recordingFilePath(state.id, name, keys?.sign(state.id, name, until)));
  return {
    recordingUrl: (partIndex, offsetMs) => {
      const url = urls[partIndex];
      return url === undefined ? undefined : atOffset(url, offsetMs);
    },
  };
}
