/**
 * The host's REST API: create a consultation, issue, list and revoke invites, and the public
 * reads a join page needs (room info, invite info, invite QR codes). Mounted by the app at `/api`.
 *
 * The organisers' routes take the admin secret or, with the organisations' directory, a
 * session cookie (orgAuth.ts); a person reaches only the rooms signaling/orgs/access.ts lets
 * them (their organisation's, or below it for an administrator).
 */
import express, { type NextFunction, type Request, type RequestHandler, type Response, type Router } from 'express';
import QRCode from 'qrcode';
import { z } from 'zod';
import { AppError, ForbiddenError, NotFoundError, RateLimitedError, ValidationError, type ErrorCode } from '../../signaling/errors.js';
import {
  ADMIN_ROUTES,
  CreatedRoom,
  CreateRoomBody,
  CreateRoomOrg,
  InviteIdParam,
  IssuedInvite,
  IssuedInvites,
  IssueInvitesBody,
  RevokedInvite,
  RoomInvites,
  RoomList,
  type ListedRoom,
} from '../../signaling/http/admin.js';
import { ApiErrorBody } from '../../signaling/http/errors.js';
import { INVITE_ROUTES, InviteInfo, RoomIdParam, RoomSummary } from '../../signaling/http/invites.js';
import type { InviteClaims } from '../../signaling/invite.js';
import { mayReachRoom, orgsWhere, type Actor } from '../../signaling/orgs/access.js';
import type { RoomInfo, RoomState } from '../../signaling/room/state.js';
import { roleInRoom } from '../../signaling/room/seats.js';
import { requireAdmin } from '../identity/adminAuth.js';
import type { InviteTokens } from '../identity/InviteTokens.js';
import type { InviteRegistry, RegisteredRoom } from '../invites/InviteRegistry.js';
import type { Limits } from '../limits/Limits.js';
import { createLogger, type Logger } from '../log.js';
import type { OrgDirectory } from '../orgs/OrgDirectory.js';
import { addressOf } from '../sockets/context.js';
import { createInviteIssuer, HOUR_MS, newClaims, type RoomDirectory } from './inviteIssuer.js';
import { actorOf, type OrgAuth } from './orgAuth.js';
import { requestFields } from './requestLog.js';
import { sendJson } from './sendJson.js';

/** Anything longer is not one of our tokens; refused before jose spends time on it. */
const MAX_TOKEN_LENGTH = 4096;
/** Rooms the admin page lists to reopen. */
const RECENT_ROOMS = 50;

/** The part of the room service this API uses (kept with the issuing it serves). */
export type { RoomDirectory };

/** What createAdminRouter needs. */
export type AdminRouterDeps = {
  adminSecret: string;
  invites: InviteTokens;
  /** Base URL of links given out (no trailing slash needed), e.g. https://ws.example.org. */
  publicUrl: (req: Request) => string;
  rooms: RoomDirectory;
  /** Where issued invites and meeting numbers are recorded. */
  registry: InviteRegistry;
  /** Wrong admin secrets per address: past the budget the address waits, whatever it sends. */
  limits: Pick<Limits, 'adminAttempt' | 'failedAdminSecret'>;
  /** Proxies in front of the server whose X-Forwarded-For is believed (config TRUST_PROXY). */
  trustProxy: number;
  /** Where unexpected errors are reported; they are never sent to the client. */
  logger?: Logger;
  /** Epoch ms; injected so expiry can be tested. */
  now?: () => number;
  /**
   * Organisations: with them a session cookie is accepted as well as the secret, and a person
   * reaches only their organisations' rooms. Without them (tests of this router alone) only
   * the secret is.
   */
  orgs?: OrganisersAccess;
};

/** The organisations' directory and the check of who asks, for routers that take a session as well as the secret. */
export type OrganisersAccess = { auth: OrgAuth; directory: OrgDirectory };

/** Status of each error code when it answers an HTTP request. */
const STATUS: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  UNSUPPORTED_PROTOCOL: 400,
  UNSUPPORTED_MEDIA: 400,
  UNAUTHORIZED: 401,
  INVITE_REVOKED: 410,
  FORBIDDEN: 403,
  AUDIENCE_ONLY: 403,
  NOT_JOINED: 403,
  NOT_ELIGIBLE: 403,
  NOT_FOUND: 404,
  ALREADY_JOINED: 409,
  INVALID_STATE: 409,
  ROOM_LOCKED: 409,
  IN_LOBBY: 409,
  MEETING_ENDED: 409,
  QUEUE_CLOSED: 409,
  SPEECH_LIMIT: 409,
  ALREADY_VOTED: 409,
  CONFLICT: 409,
  UNAVAILABLE: 503,
  RATE_LIMITED: 429,
  CAPACITY: 503,
  INTERNAL: 500,
};

/** The rooms and invites API; the app mounts it at `/api`. */
export function createAdminRouter(deps: AdminRouterDeps): Router {
  const router = express.Router();
  const secretMatches = requireAdmin(deps.adminSecret);
  // Every admin route, the page's secret check (GET /admin/session) included, counts a wrong
  // secret against the address: a check that answers at once must not be a free oracle.
  const secretOnly: RequestHandler = async (req, res, next) => {
    const address = addressOf(req.socket.remoteAddress ?? '', req.headers['x-forwarded-for'], deps.trustProxy);
    await deps.limits.adminAttempt(address);
    let passed = false;
    // requireBearer answers 401 itself, synchronously, or calls next.
    secretMatches(req, res, () => {
      passed = true;
    });
    if (passed) next();
    else await deps.limits.failedAdminSecret(address);
  };
  // With organisations, orgAuth counts wrong secrets the same way (the same limits) and also takes a session.
  const admin: RequestHandler = deps.orgs?.auth.required ?? secretOnly;
  const actor = (res: Response): Actor => (deps.orgs === undefined ? AUTOMATION : actorOf(res));
  /** 403 unless the one asking may reach the room (access.ts). */
  const reach = async (res: Response, roomId: string): Promise<void> => {
    const who = actor(res);
    if (deps.orgs === undefined || who.kind === 'automation') return;
    const { directory } = deps.orgs;
    const [orgId, orgs] = await Promise.all([directory.orgOfRoom(roomId), directory.orgs()]);
    if (!mayReachRoom(who, orgId, orgs)) throw new ForbiddenError(`room ${roomId} is not one of your organisations'`);
  };
  // Parsed per route and after the admin check, so strangers cannot make us parse bodies.
  const json = express.json({ limit: '64kb' });
  const logger = deps.logger ?? createLogger('info', 'http:admin');
  const now = deps.now ?? Date.now;

  const issuer = createInviteIssuer({ invites: deps.invites, registry: deps.registry, rooms: deps.rooms, publicUrl: deps.publicUrl, now });
  const { answer, issue, registered, shortUrl, joinUrl } = issuer;

  const roomState = async (roomId: string): Promise<Pick<RoomState, 'info' | 'ended' | 'minutes' | 'participants'>> => {
    const state = await deps.rooms.state(roomId);
    if (state === undefined) throw new NotFoundError(`no room ${roomId}`);
    return state;
  };
  const roomInfo = async (roomId: string): Promise<RoomInfo> => (await roomState(roomId)).info;

  const verifiedToken = async (req: Request): Promise<{ token: string; claims: InviteClaims }> => {
    const token = req.params.token;
    if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) throw new AppError('UNAUTHORIZED', 'the invite is malformed');
    return { token, claims: await deps.invites.verify(token) };
  };

  router.post(ADMIN_ROUTES.rooms.pattern, admin, json, async (req, res) => {
    const input = parse(CreateRoomBody, req.body);
    const orgId = await ownerOfNewRoom(actor(res), parse(CreateRoomOrg, req.body).orgId);
    const created = await issuer.createRoom(req, input);
    if (orgId !== null) await deps.orgs?.directory.assignRoom(created.roomId, orgId);
    logger.info('room created', { roomId: created.roomId, meetingNumber: created.meetingNumber, orgId });
    sendJson(res.set('Cache-Control', 'no-store'), CreatedRoom, created, 201);
  });

  /**
   * The organisation a new room belongs to: the one named (if the asker may organise there),
   * else the asker's own; none for the secret without a name (as before organisations).
   */
  const ownerOfNewRoom = async (who: Actor, named: string | undefined): Promise<string | null> => {
    if (deps.orgs === undefined) return null;
    const orgs = await deps.orgs.directory.orgs();
    if (named === undefined) return who.kind === 'account' ? who.orgId : null;
    if (!orgs.some((o) => o.orgId === named)) throw new NotFoundError(`no organisation ${named}`);
    if (!orgsWhere(who, 'organise', orgs).has(named)) throw new ForbiddenError(`not allowed to organise in organisation ${named}`);
    return named;
  };

  // The admin page checks the secret it was given before it shows any form.
  router.get(ADMIN_ROUTES.session.pattern, admin, (_req, res) => {
    res.set('Cache-Control', 'no-store').status(204).end();
  });

  // Rooms to reopen, newest first: a lost tab does not lose a room.
  router.get(ADMIN_ROUTES.rooms.pattern, admin, async (_req, res) => {
    const rooms = await reachableRooms(actor(res));
    sendJson(res.set('Cache-Control', 'no-store'), RoomList, {
      rooms: rooms.map(({ roomId, meetingNumber, topic, startsAt }): ListedRoom => ({ roomId, meetingNumber, topic, startsAt })),
    });
  });

  /** The rooms made last that `who` reaches, newest first. */
  const reachableRooms = async (who: Actor): Promise<RegisteredRoom[]> => {
    if (deps.orgs === undefined || who.kind === 'automation') return deps.registry.recentRooms(RECENT_ROOMS);
    const { directory } = deps.orgs;
    const orgs = await directory.orgs();
    const ids = new Set<string>();
    // roomsOf is newest first: each organisation's last few are enough to find the newest overall.
    for (const orgId of orgsWhere(who, 'organise', orgs)) for (const roomId of (await directory.roomsOf(orgId)).slice(0, RECENT_ROOMS)) ids.add(roomId);
    // Rooms of no organisation (made with the secret alone) reach a root's administrators.
    if (mayReachRoom(who, null, orgs)) {
      for (const room of await deps.registry.recentRooms(RECENT_ROOMS)) if ((await directory.orgOfRoom(room.roomId)) === null) ids.add(room.roomId);
    }
    const rooms = await Promise.all([...ids].map((roomId) => deps.registry.room(roomId)));
    return rooms
      .filter((room): room is RegisteredRoom => room !== undefined)
      .sort((a, b) => b.registeredAt - a.registeredAt)
      .slice(0, RECENT_ROOMS);
  };

  // Every invite issued for the room, revoked ones included, newest first.
  router.get(ADMIN_ROUTES.invites.pattern, admin, async (req, res) => {
    const roomId = parse(RoomIdParam, req.params.roomId);
    await reach(res, roomId);
    const { meetingNumber } = await registered(roomId, await roomInfo(roomId));
    const invites = await deps.registry.list(roomId);
    sendJson(res.set('Cache-Control', 'no-store'), RoomInvites, { meetingNumber, invites: invites.map((r) => answer(req, r)) });
  });

  router.post(ADMIN_ROUTES.revoke.pattern, admin, async (req, res) => {
    const roomId = parse(RoomIdParam, req.params.roomId);
    const inviteId = parse(InviteIdParam, req.params.inviteId);
    await reach(res, roomId);
    const revoked = await deps.registry.revoke(roomId, inviteId, now());
    if (revoked === undefined) throw new NotFoundError(`room ${roomId} has no invite ${inviteId}`);
    logger.info('invite revoked', { roomId, inviteId });
    sendJson(res.set('Cache-Control', 'no-store'), RevokedInvite, { invite: answer(req, revoked) });
  });

  router.get(INVITE_ROUTES.room.pattern, async (req, res) => {
    const roomId = parse(RoomIdParam, req.params.roomId);
    const { topic, startsAt, endsAt, venues } = await roomInfo(roomId);
    sendJson(res, RoomSummary, { roomId, topic, startsAt, endsAt, venues });
  });

  router.post(ADMIN_ROUTES.invites.pattern, admin, json, async (req, res) => {
    const roomId = parse(RoomIdParam, req.params.roomId);
    await reach(res, roomId);
    const body = parse(IssueInvitesBody, req.body);
    const info = await roomInfo(roomId);
    const venue = info.venues.find((v) => v.id === body.venue);
    if (venue === undefined) {
      const known = info.venues.map((v) => v.id).join(', ');
      throw new ValidationError(`venue "${body.venue}" is not one of this room's venues (${known})`);
    }
    // A venue terminal is the hall, not a person: it carries the venue's name, so the join
    // page of the hall's computer asks nobody for 您的姓名.
    const name = body.name ?? (body.role === 'venue' ? venue.name : undefined);
    await registered(roomId, info);
    const expiresAt = now() + body.expiresInHours * HOUR_MS;
    const invites: IssuedInvite[] = [];
    for (let i = 0; i < body.count; i++) {
      const claims = { ...newClaims(roomId, body.role, body.venue), sector: body.sector, name };
      invites.push(await issue(req, claims, expiresAt));
    }
    // Ids only: an invite's token is its bearer's key to the room.
    logger.info('invites issued', { roomId, role: body.role, venue: body.venue, inviteIds: invites.map((i) => i.inviteId) });
    sendJson(res.set('Cache-Control', 'no-store'), IssuedInvites, { invites }, 201);
  });

  router.get(INVITE_ROUTES.invite.pattern, async (req, res) => {
    const { claims } = await verifiedToken(req);
    const state = await roomState(claims.room);
    const { info, ended, minutes } = state;
    const { topic, startsAt, endsAt, venues } = info;
    // The join page of an ended meeting offers the minutes instead of a camera check. The role
    // shown is the room's (a chair who handed over comes back as an observer, not as 主持人).
    sendJson(res.set('Cache-Control', 'no-store'), InviteInfo, {
      invite: { ...claims, role: roleInRoom(state, claims.inviteId, claims.role) },
      room: { roomId: claims.room, topic, startsAt, endsAt, venues, ended, minutesPublished: minutes.published },
    });
  });

  /** What an invite's QR code carries: its short link, or (issued before short links) the long one. */
  const qrText = async (req: Request): Promise<string> => {
    const { token, claims } = await verifiedToken(req);
    const record = await deps.registry.byId(claims.inviteId);
    return record !== undefined && record.token === token ? shortUrl(req, record.code) : joinUrl(req, token);
  };

  router.get(INVITE_ROUTES.qrSvg.pattern, async (req, res) => {
    const svg = await QRCode.toString(await qrText(req), { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    res.set('Cache-Control', 'no-store').type('image/svg+xml').send(svg);
  });

  router.get(INVITE_ROUTES.qrPng.pattern, async (req, res) => {
    // 512 px stays sharp when printed on an A4 notice for a district hall.
    const png = await QRCode.toBuffer(await qrText(req), { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 512 });
    res.set('Cache-Control', 'no-store').type('image/png').send(png);
  });

  router.use(apiErrorHandler(logger));
  return router;
}

/** The API's answer to a failed request: `{ error: CODE, detail }` with the code's status, never a stack. */
export function apiErrorHandler(logger: Logger) {
  return (error: unknown, req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) {
      next(error);
      return;
    }
    if (error instanceof RateLimitedError) {
      res.set('Retry-After', String(Math.ceil(error.retryAfterMs / 1000)));
      sendJson(res, ApiErrorBody, { error: error.code, detail: error.message, retryAfterMs: error.retryAfterMs }, 429);
      return;
    }
    if (error instanceof AppError) {
      sendJson(res, ApiErrorBody, { error: error.code, detail: error.message }, STATUS[error.code]);
      return;
    }
    const bodyError = bodyParserError(error);
    if (bodyError !== undefined) {
      sendJson(res, ApiErrorBody, { error: 'BAD_REQUEST', detail: bodyError.detail }, bodyError.status);
      return;
    }
    const request = requestFields(req);
    logger.error(`${request.method} ${request.route} failed`, request, error);
    sendJson(res, ApiErrorBody, { error: 'INTERNAL' }, 500);
  };
}

/** The secret's actor, for this router without organisations. */
const AUTOMATION: Actor = { kind: 'automation' };

/** `value` parsed by `schema`, or a ValidationError saying what is wrong. */
export function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError(z.prettifyError(result.error).slice(0, 1000));
  return result.data;
}

/** express.json()'s complaints about a body (bad JSON, too large, wrong charset), in our words. */
function bodyParserError(error: unknown): { status: number; detail: string } | undefined {
  if (typeof error !== 'object' || error === null || !('status' in error) || !('type' in error)) return undefined;
  const { status, type } = error;
  if (typeof status !== 'number' || status < 400 || status >= 500 || typeof type !== 'string') return undefined;
  // body-parser's own messages quote the body; fixed words say enough and leak nothing.
  const detail =
    type === 'entity.parse.failed'
      ? 'the body is not valid JSON'
      : type === 'entity.too.large'
        ? 'the body is too large'
        : type === 'charset.unsupported' || type === 'encoding.unsupported'
          ? 'the body encoding is not supported'
          : 'the body could not be read';
  return { status, detail };
}
