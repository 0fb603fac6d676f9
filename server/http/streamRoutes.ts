/**
 * The live HLS stream over HTTP (contract: signaling/http/stream.ts). A room's stream is open to
 * whoever may watch its public page: the room exists, has not ended, and has a valid public
 * invite. Answers carry the cache headers that let nginx or a CDN in front carry the audience.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import express, { type Response, type Router } from 'express';
import { AppError, NotFoundError } from '../../signaling/errors.js';
import { PLAYLIST_NAME, SegmentName, STREAM_PREFIX, STREAM_ROUTES, StreamRoomId } from '../../signaling/http/stream.js';
import type { InviteRegistry } from '../invites/InviteRegistry.js';
import { createLogger, type Logger } from '../log.js';
import { apiErrorHandler, type RoomDirectory } from './adminRoutes.js';

/** How long a room's "may it be watched" answer is reused: a crowd's requests cost one look-up. */
const ACCESS_CACHE_MS = 5000;
/** How long a first playlist request waits for the encoder's first segments. */
const FIRST_PLAYLIST_WAIT_MS = 12_000;

/** The streams, as the routes see them (LiveStreams). */
export type StreamSource = {
  playlistDir(roomId: string, withinMs: number): Promise<string | null>;
  runningDir(roomId: string): string | null;
  stop(roomId: string): void;
};

/** What createStreamRouter needs; `streams` undefined: STREAM=off. */
export type StreamRouterDeps = {
  streams: StreamSource | undefined;
  registry: Pick<InviteRegistry, 'list'>;
  rooms: Pick<RoomDirectory, 'state'>;
  logger?: Logger;
  now?: () => number;
};

/** The routes, mounted at the root. */
export function createStreamRouter(deps: StreamRouterDeps): Router {
  const router = express.Router();
  const now = deps.now ?? Date.now;
  const access = new Map<string, { open: boolean; until: number }>();

  /** The room id if the room may be watched now; NotFoundError otherwise (as for no room at all). */
  const watchable = async (raw: string | undefined): Promise<string> => {
    const parsed = StreamRoomId.safeParse(raw);
    if (!parsed.success) throw new NotFoundError('no live stream here');
    const roomId = parsed.data;
    const at = now();
    let known = access.get(roomId);
    if (!known || known.until <= at) {
      const state = await deps.rooms.state(roomId);
      // A meeting that has ended has no stream: its encoder stops at the players' next request, not when idle.
      if (state?.ended) deps.streams?.stop(roomId);
      const invites = state && !state.ended ? await deps.registry.list(roomId) : [];
      const open = invites.some((i) => i.role === 'public' && i.revokedAt === null && i.expiresAt > at);
      known = { open, until: at + ACCESS_CACHE_MS };
      if (access.size > 10_000) access.clear();
      access.set(roomId, known);
    }
    if (!known.open) throw new NotFoundError('this meeting has no public live stream');
    return roomId;
  };

  const streams = (): StreamSource => {
    if (!deps.streams) throw new NotFoundError('the live stream is off on this server (STREAM=off)');
    return deps.streams;
  };

  router.get(STREAM_ROUTES.playlist, async (req, res) => {
    const roomId = await watchable(req.params.roomId);
    const dir = await streams().playlistDir(roomId, FIRST_PLAYLIST_WAIT_MS);
    if (dir === null) {
      res.set('Retry-After', '2');
      throw new AppError('UNAVAILABLE', 'the live stream is starting; try again in a moment');
    }
    const body = await readFile(path.join(dir, PLAYLIST_NAME));
    res.set({ 'Content-Type': 'application/vnd.apple.mpegurl', 'Cache-Control': 'public, max-age=1' }).send(body);
  });

  router.get(STREAM_ROUTES.segment, async (req, res) => {
    const roomId = await watchable(req.params.roomId);
    const name = SegmentName.safeParse(req.params.segment);
    if (!name.success) throw new NotFoundError('no such segment: names are seg-<run>-<n>.ts');
    const dir = streams().runningDir(roomId);
    if (dir === null) throw new NotFoundError('the live stream is not running; load its playlist first');
    await sendSegment(res, path.join(dir, name.data));
  });

  // Anything else under /stream is not ours to serve (never the client app's index).
  router.use(STREAM_PREFIX, (_req, _res, next) => next(new NotFoundError('no such stream file')));
  router.use(STREAM_PREFIX, (error: unknown, _req: express.Request, res: Response, next: express.NextFunction) => {
    res.set('Cache-Control', 'no-store');
    next(error);
  });
  router.use(STREAM_PREFIX, apiErrorHandler(deps.logger ?? createLogger('info', 'http:stream')));
  return router;
}

/** Sends a segment file, or NOT_FOUND if it is gone (deleted from the window) or never was. */
async function sendSegment(res: Response, file: string): Promise<void> {
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') throw new NotFoundError('no such segment (it may have left the live window)');
    throw error;
  }
  res.set({ 'Content-Type': 'video/mp2t', 'Cache-Control': 'public, max-age=86400, immutable' }).send(body);
}
