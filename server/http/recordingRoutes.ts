/**
 * The recording over HTTP (contract: signaling/http/recording.ts): the listing for whoever holds
 * an invite of the room (staff always, others once published), and the files themselves for a
 * valid key or, once published, for anyone.
 */
import express, { type Request, type Response, type Router } from 'express';
import { AppError, NotFoundError } from '../../signaling/errors.js';
import { RoomIdParam } from '../../signaling/http/invites.js';
import { KEY_HOURS, RECORDING_FILE, RECORDING_FILE_ROUTE, RECORDING_ROUTE, RECORDINGS_PREFIX, RecordingListing, recordingFilePath } from '../../signaling/http/recording.js';
import { recordedAtLastLock } from '../../signaling/room/recording.js';
import { keepsMinutes } from '../../signaling/room/roles.js';
import { roleInRoom } from '../../signaling/room/seats.js';
import type { RoomState } from '../../signaling/room/state.js';
import { contentDisposition } from '../export/fileName.js';
import type { InviteTokens } from '../identity/InviteTokens.js';
import type { Limits } from '../limits/Limits.js';
import { addressOf } from '../sockets/context.js';
import type { Logger } from '../log.js';
import { sizeOnceWritten } from '../recording/firstBytes.js';
import type { RecordingFiles } from '../recording/RecordingFiles.js';
import type { RecordingKeys } from '../recording/RecordingKeys.js';
import { apiErrorHandler } from './adminRoutes.js';
import { sendJson } from './sendJson.js';

/** What the recording routes need. */
export type RecordingRouterDeps = {
  invites: Pick<InviteTokens, 'verify'>;
  state: (roomId: string) => Promise<RoomState | undefined>;
  files: RecordingFiles;
  keys: RecordingKeys;
  limits: Pick<Limits, 'recordingRequest'>;
  /** How many proxies stand in front (TRUST_PROXY): where a request's address is read. */
  trustProxy: number;
  logger: Logger;
  now?: () => number;
};

/**
 * How long a request for a part that its encoder has not written yet waits for the first bytes
 * (firstBytes.ts) before it is answered 503 with Retry-After.
 */
const FIRST_BYTES_WAIT_MS = 10_000;

/** Spends one of the address's recording requests (429 beyond). */
function limited(deps: RecordingRouterDeps, req: Request): Promise<void> {
  return deps.limits.recordingRequest(addressOf(req.socket.remoteAddress ?? '', req.headers['x-forwarded-for'], deps.trustProxy));
}

/** GET /api/rooms/:roomId/recording (mounted under /api). */
export function createRecordingListingRouter(deps: RecordingRouterDeps): Router {
  const router = express.Router();
  const now = deps.now ?? Date.now;
  router.get(RECORDING_ROUTE.pattern, async (req, res) => {
    await limited(deps, req);
    const roomId = RoomIdParam.safeParse(req.params['roomId']);
    if (!roomId.success) throw new AppError('BAD_REQUEST', 'GET /api/rooms/<roomId>/recording');
    const token = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
    if (token === undefined) throw new AppError('UNAUTHORIZED', 'present your invite: Authorization: Bearer <invite token>');
    const claims = await deps.invites.verify(token, roomId.data);
    const state = await deps.state(roomId.data);
    if (!state) throw new NotFoundError(`no room ${roomId.data}`);
    // The room's word on the role: a chair handed over keeps the recording with the chair.
    const staff = keepsMinutes(roleInRoom(state, claims.inviteId, claims.role));
    const { published } = state.recording;
    if (!staff && !published) throw new AppError('FORBIDDEN', 'the recording is not published: until the host publishes it, only the host and the secretary have it');
    const read = recordedAtLastLock(state);
    const until = now() + KEY_HOURS * 3600_000;
    const parts = state.recording.parts.map((part) => {
      const locked = read.find((r) => r.name === part.name);
      return {
        name: part.name,
        startedAt: part.startedAt,
        durationMs: locked?.durationMs ?? null,
        bytes: locked?.bytes ?? null,
        sha256: locked?.sha256 ?? null,
        url: published ? recordingFilePath(state.id, part.name) : recordingFilePath(state.id, part.name, deps.keys.sign(state.id, part.name, until)),
      };
    });
    res.set('Cache-Control', 'no-store');
    sendJson(res, RecordingListing, { recording: state.recording.on, published, parts }, 200);
  });
  router.use(RECORDING_ROUTE.pattern, apiErrorHandler(deps.logger));
  return router;
}

/** GET /recordings/<roomId>/<part>.mp4 (mounted at the root). */
export function createRecordingFileRouter(deps: RecordingRouterDeps): Router {
  const router = express.Router();
  const now = deps.now ?? Date.now;
  router.get(RECORDING_FILE_ROUTE, async (req, res) => {
    await limited(deps, req);
    const roomId = RoomIdParam.safeParse(req.params.roomId);
    const part = RECORDING_FILE.exec(req.params.file ?? '')?.[1];
    // Every refusal is the same 404: a file's existence is not told to someone it is not for.
    const missing = (): NotFoundError => new NotFoundError('no such recording file (or its link has expired)');
    if (!roomId.success || part === undefined) throw missing();
    const state = await deps.state(roomId.data);
    if (!state?.recording.parts.some((p) => p.name === part)) throw missing();
    const key = typeof req.query['key'] === 'string' ? req.query['key'] : undefined;
    const open = state.recording.published || (key !== undefined && deps.keys.opens(key, state.id, part, now()));
    if (!open) throw missing();
    const file = deps.files.file(state.id, part);
    const size = await sizeOnceWritten(file, FIRST_BYTES_WAIT_MS);
    if (size === null) throw missing();
    if (size === 0) {
      res.set('Retry-After', '2');
      throw new AppError('UNAVAILABLE', 'the recording is starting; try again in a moment');
    }
    const index = state.recording.parts.findIndex((p) => p.name === part) + 1;
    const name = `${state.info.topic.slice(0, 60)}-录像-第${index}段.mp4`;
    // The part being recorded still grows: nobody may keep what it was a moment ago.
    const growing = state.recording.on && state.recording.parts.at(-1)?.name === part;
    await sendFile(res, file, {
      'Content-Type': 'video/mp4',
      // A keyed link is one person's; a published file may be kept by a cache for a while.
      'Cache-Control': growing ? 'no-cache' : state.recording.published && key === undefined ? 'public, max-age=300' : 'private, max-age=300',
      'Content-Disposition': contentDisposition(req.query['download'] === '1' ? 'attachment' : 'inline', name, `recording-${state.id}-${index}.mp4`),
    });
  });
  router.use(RECORDINGS_PREFIX, (_req, _res, next) => next(new NotFoundError('no such recording file')));
  router.use(RECORDINGS_PREFIX, (error: unknown, _req: Request, res: Response, next: express.NextFunction) => {
    res.set('Cache-Control', 'no-store');
    next(error);
  });
  router.use(RECORDINGS_PREFIX, apiErrorHandler(deps.logger));
  return router;
}

/** Sends the file with Range support (a player seeks to a speech), as express's sendFile does. */
function sendFile(res: Response, file: string, headers: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    res.sendFile(file, { headers, acceptRanges: true, cacheControl: false, lastModified: true, dotfiles: 'deny' }, (error) => (error ? reject(error) : resolve()));
  });
}
