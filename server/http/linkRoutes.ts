/**
 * The public ways in that a person types or scans: a short link `/j/<code>` (looked up by the
 * page at `GET /api/links/<code>`) and a meeting number (`GET /api/meetings/<number>`). Both are
 * limited per address, and lookups that find nothing block the address a while, so codes and
 * numbers cannot be enumerated. A meeting number leads only to the room's public link: it never
 * grants a member's seat.
 */
import express, { type Request, type Router } from 'express';
import { AppError, NotFoundError, ValidationError } from '../../signaling/errors.js';
import { LINK_ROUTES, Meeting, MeetingNumberParam, ShortCodeParam, ShortLink } from '../../signaling/http/links.js';
import type { InviteRecord, InviteRegistry } from '../invites/InviteRegistry.js';
import type { Limits } from '../limits/Limits.js';
import { createLogger, type Logger } from '../log.js';
import { addressOf } from '../sockets/context.js';
import { apiErrorHandler, type RoomDirectory } from './adminRoutes.js';
import { sendJson } from './sendJson.js';

/** What createLinkRouter needs. */
export type LinkRouterDeps = {
  registry: InviteRegistry;
  limits: Pick<Limits, 'lookup' | 'failedLookup'>;
  rooms: Pick<RoomDirectory, 'state'>;
  /** Proxies in front (TRUST_PROXY): the address counted is the client's, not the proxy's. */
  trustProxy: number;
  publicUrl: (req: Request) => string;
  logger?: Logger;
  now?: () => number;
};

/** The routes; the app mounts them at `/api`. */
export function createLinkRouter(deps: LinkRouterDeps): Router {
  const router = express.Router();
  const now = deps.now ?? Date.now;
  const joinUrl = (req: Request, token: string): string =>
    `${deps.publicUrl(req).replace(/\/+$/, '')}/join?invite=${encodeURIComponent(token)}`;

  /** Runs one lookup within the address's limits; one that finds nothing (or is malformed) counts against it. */
  const lookup = async <T>(req: Request, find: () => Promise<T>): Promise<T> => {
    const address = addressOf(req.socket.remoteAddress ?? '', req.headers['x-forwarded-for'], deps.trustProxy);
    await deps.limits.lookup(address);
    try {
      return await find();
    } catch (error) {
      if (error instanceof AppError && (error.code === 'NOT_FOUND' || error.code === 'BAD_REQUEST')) await deps.limits.failedLookup(address);
      throw error;
    }
  };

  router.get(LINK_ROUTES.link.pattern, async (req, res) => {
    const invite = await lookup(req, async () => {
      const parsed = ShortCodeParam.safeParse(req.params.code);
      if (!parsed.success) throw new ValidationError('this is not a short link of ours: a code is 8 letters and digits');
      const found = await deps.registry.byCode(parsed.data);
      if (found === undefined) throw new NotFoundError('no invite has this short link');
      return found;
    });
    if (invite.revokedAt !== null) throw new AppError('INVITE_REVOKED', 'the organiser revoked this invite');
    if (invite.expiresAt <= now()) throw new AppError('UNAUTHORIZED', 'the invite has expired');
    sendJson(res.set('Cache-Control', 'no-store'), ShortLink, { token: invite.token, url: joinUrl(req, invite.token) });
  });

  router.get(LINK_ROUTES.meeting.pattern, async (req, res) => {
    const room = await lookup(req, async () => {
      const parsed = MeetingNumberParam.safeParse(req.params.number);
      if (!parsed.success) throw new ValidationError('a meeting number is 9 digits, e.g. 123 456 789');
      const found = await deps.registry.roomByNumber(parsed.data);
      if (found === undefined) throw new NotFoundError('no meeting has this number');
      return found;
    });
    const state = await deps.rooms.state(room.roomId);
    if (state === undefined) throw new NotFoundError('no meeting has this number');
    const open = publicEntry(await deps.registry.list(room.roomId), now());
    sendJson(res.set('Cache-Control', 'no-store'), Meeting, {
      meetingNumber: room.meetingNumber,
      topic: state.info.topic,
      startsAt: state.info.startsAt,
      ended: state.ended,
      // Null: the organisers issued no public link (or revoked it); the page says so.
      publicInvite: open === undefined ? null : { token: open.token, url: joinUrl(req, open.token) },
    });
  });

  router.use(apiErrorHandler(deps.logger ?? createLogger('info', 'http:links')));
  return router;
}

/** The room's public entry: its newest public invite still valid. Never a personal one. */
function publicEntry(invites: readonly InviteRecord[], now: number): InviteRecord | undefined {
  return invites.find((i) => i.role === 'public' && i.revokedAt === null && i.expiresAt > now);
}
