/**
 * The HTTP side of public comments (signaling/comments/api.ts): the public page, submitting and
 * upvoting, moderation by the staff, answers by departments, CSV exports, and the organiser's
 * settings. Every request presents an invite of the room (`Authorization: Bearer …`); what it may
 * do is decided here from the role the room gives that invite (a chair handed over moderates no
 * more), never from what the page shows. A browser is known by a signed cookie (browserId.ts).
 */
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import {
  AnswerComment,
  COMMENT_ROUTES,
  CommentExportSchema,
  CommentSettingsInput,
  CommentOffset,
  CommentSort,
  CommentStatusFilter,
  ModerateComment,
  ModeratedCommentSchema,
  ModerationPageSchema,
  PublicCommentsPageSchema,
  SubmitComment,
  SubmittedCommentSchema,
  UpvotedSchema,
} from '../../signaling/comments/api.js';
import type { PublicCommentsPage } from '../../signaling/comments/api.js';
import { COMMENT_STATUSES, type CommentSettings, type PublicComment, type StaffComment } from '../../signaling/comments/model.js';
import { AppError, ForbiddenError, NotFoundError, RateLimitedError } from '../../signaling/errors.js';
import { mayReachRoom } from '../../signaling/orgs/access.js';
import { InviteClaims } from '../../signaling/invite.js';
import { answersComments, isStaff } from '../../signaling/room/roles.js';
import { roleInRoom } from '../../signaling/room/seats.js';
import type { Role } from '../../signaling/room/state.js';
import type { CommentNotifier } from '../comments/CommentNotifier.js';
import type { CommentStore } from '../comments/CommentStore.js';
import { publicCommentsCsv, staffCommentsCsv } from '../comments/csv.js';
import { publicOf, PUBLIC_PAGE_SIZE, STAFF_PAGE_SIZE } from '../comments/rules.js';
import { asciiCommentsFileName, commentsFileName, contentDisposition } from '../export/fileName.js';
import { requireAdmin } from '../identity/adminAuth.js';
import type { InviteTokens } from '../identity/InviteTokens.js';
import type { Limits } from '../limits/Limits.js';
import type { Logger } from '../log.js';
import { addressOf } from '../sockets/context.js';
import { apiErrorHandler, parse, type OrganisersAccess, type RoomDirectory } from './adminRoutes.js';
import type { BrowserIds } from './browserId.js';
import { InviteCache } from './inviteCache.js';
import { actorOf } from './orgAuth.js';
import { PublicPages } from './publicPages.js';
import { PreparedJson, sendJson, sendPrepared } from './sendJson.js';

/** What createCommentRouter needs. */
export type CommentRouterDeps = {
  invites: InviteTokens;
  /** Asked on every request, also for an invite whose signature was checked a moment ago. */
  isRevoked: (inviteId: string) => Promise<boolean>;
  store: CommentStore;
  limits: Pick<Limits, 'comment' | 'upvote' | 'newBrowserId'>;
  browserIds: BrowserIds;
  rooms: Pick<RoomDirectory, 'state'>;
  notifier: Pick<CommentNotifier, 'changed' | 'pending'>;
  adminSecret: string;
  /**
   * Organisations: with them the settings take a session cookie as well as the secret, and a
   * person reaches only their organisations' rooms (adminRoutes.ts does the same).
   */
  orgs?: OrganisersAccess;
  /** Proxies in front (TRUST_PROXY): the address counted is the client's, not the proxy's. */
  trustProxy: number;
  logger: Logger;
  now?: () => number;
};

const RoomIdParam = InviteClaims.shape.room;
const CommentIdParam = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not a comment id');
const PageQuery = z.object({ sort: CommentSort, offset: CommentOffset });
const StaffQuery = z.object({ status: CommentStatusFilter });
/** Anything longer is not one of our tokens; refused before it is verified. */
const MAX_TOKEN_LENGTH = 4096;
/** How long the comment routes go on using the settings they read. */
const SETTINGS_TTL_MS = 1000;
/** Every comment in an export (the CSV of a large consultation is still a few MB). */
const ALL = 1_000_000;

/** Are comments accepted at `now`? */
export function commentsOpen(s: Pick<CommentSettings, 'opensAt' | 'closesAt'>, now: number): boolean {
  return s.opensAt !== null && s.opensAt <= now && (s.closesAt === null || now < s.closesAt);
}

/** The routes; the app mounts them at `/api`. */
export function createCommentRouter(deps: CommentRouterDeps): Router {
  const router = express.Router();
  const now = deps.now ?? Date.now;
  // Parsed per route and after the invite is checked, so strangers cannot make us parse bodies.
  // A comment is at most 1,000 characters (4 bytes each at worst) with its name and place.
  const json = express.json({ limit: '16kb' });
  // The background text and the word list: 5,000 + 500 × 40 characters.
  const settingsJson = express.json({ limit: '128kb' });
  const admin = deps.orgs?.auth.required ?? requireAdmin(deps.adminSecret);
  /** 403 unless the one asking may reach the room (access.ts). */
  const reach = async (res: Response, roomId: string): Promise<void> => {
    if (deps.orgs === undefined) return;
    const who = actorOf(res);
    if (who.kind === 'automation') return;
    const [orgId, orgs] = await Promise.all([deps.orgs.directory.orgOfRoom(roomId), deps.orgs.directory.orgs()]);
    if (!mayReachRoom(who, orgId, orgs)) throw new ForbiddenError(`room ${roomId} is not one of your organisations'`);
  };
  const invites = new InviteCache({ verify: (token, roomId) => deps.invites.verify(token, roomId), isRevoked: deps.isRevoked, now });

  const address = (req: Request): string => addressOf(req.socket.remoteAddress ?? '', req.headers['x-forwarded-for'], deps.trustProxy);

  /** The invite presented, checked to be of this room. */
  const invite = async (req: Request): Promise<{ roomId: string; claims: InviteClaims }> => {
    const roomId = parse(RoomIdParam, req.params['roomId']);
    const token = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
    if (token === undefined) throw new AppError('UNAUTHORIZED', 'present your invite: Authorization: Bearer <invite token>');
    if (token.length > MAX_TOKEN_LENGTH) throw new AppError('UNAUTHORIZED', 'the invite is malformed');
    return { roomId, claims: await invites.claims(token, roomId) };
  };

  const room = async (roomId: string) => {
    const state = await deps.rooms.state(roomId);
    if (state === undefined) throw new NotFoundError(`no room ${roomId}`);
    return state;
  };

  /** The invite, with the role the room gives it now, required to pass `allowed`. */
  const withRole = async (req: Request, allowed: (role: Role) => boolean, what: string) => {
    const { roomId, claims } = await invite(req);
    const state = await room(roomId);
    const role = roleInRoom(state, claims.inviteId, claims.role);
    if (!allowed(role)) throw new AppError('FORBIDDEN', what);
    return { roomId, claims, state, role };
  };
  const staff = (req: Request) => withRole(req, isStaff, 'only the host and the secretary moderate comments');

  /** A new browser id, set as the response's cookie, within the address's budget. */
  const newBrowser = async (req: Request, res: Response): Promise<string> => {
    await deps.limits.newBrowserId(address(req));
    return deps.browserIds.issue(req, res);
  };

  /** This browser's id; a new one (within the address's budget) when it has none or a forged one. */
  const browser = async (req: Request, res: Response): Promise<string> => deps.browserIds.read(req) ?? newBrowser(req, res);

  /**
   * For reading the page: the id of a browser that may have comments and upvotes of its own.
   * A browser without one gets one while the address may have more, and has nothing of its own
   * yet (undefined); past that budget the page is still served, without the browser's own
   * comments and upvotes (a hall full of phones scanning one poster must all see the comments).
   */
  const returningBrowser = async (req: Request, res: Response): Promise<string | undefined> => {
    const known = deps.browserIds.read(req);
    if (known !== undefined) return known;
    await newBrowser(req, res).catch((error: unknown) => {
      if (!(error instanceof RateLimitedError)) throw error;
    });
    return undefined;
  };

  const requireOpen = (settings: CommentSettings, at: number): void => {
    if (commentsOpen(settings, at)) return;
    const iso = (t: number): string => new Date(t).toISOString();
    if (settings.opensAt === null) throw new AppError('INVALID_STATE', 'comments are not open for this consultation');
    if (at < settings.opensAt) throw new AppError('INVALID_STATE', `comments open at ${iso(settings.opensAt)}`);
    throw new AppError('INVALID_STATE', `comments closed at ${iso(settings.closesAt ?? at)}`);
  };

  /**
   * The organiser's settings as the comment and upvote routes check them: read at most once a
   * second per room (a flood's every request would otherwise make one more trip to the store).
   * A change made here counts at once; one made on another process within a second.
   */
  const settingsCache = new Map<string, { settings: CommentSettings; until: number }>();
  const currentSettings = async (roomId: string): Promise<CommentSettings> => {
    const at = now();
    const cached = settingsCache.get(roomId);
    if (cached !== undefined && cached.until > at) return cached.settings;
    const settings = await deps.store.settings(roomId);
    if (settingsCache.size >= 10_000) settingsCache.clear();
    settingsCache.set(roomId, { settings, until: at + SETTINGS_TTL_MS });
    return settings;
  };

  const noStore = (res: Response): Response => res.set('Cache-Control', 'no-store');

  const csvFile = (res: Response, topic: string, roomId: string, all: boolean, body: string): void => {
    noStore(res)
      .type('text/csv; charset=utf-8')
      .set('Content-Disposition', contentDisposition('attachment', commentsFileName(topic, now(), all), asciiCommentsFileName(roomId, all)))
      .send(body);
  };

  /** Tells the live pages about a moderation step or an answer. */
  const announce = async (roomId: string, before: StaffComment | undefined, after: StaffComment, also?: string): Promise<void> => {
    const changed = [{ ...after, wasPublic: before?.status === 'approved' }];
    if (also !== undefined) {
      const other = await deps.store.get(roomId, also);
      if (other) changed.push({ ...other, wasPublic: false });
    }
    deps.notifier.changed(roomId, changed);
    deps.notifier.pending(roomId);
  };

  const publicPages = new PublicPages();
  router.get(COMMENT_ROUTES.page.pattern, async (req, res) => {
    const { roomId } = await invite(req);
    const query = parse(PageQuery, req.query);
    const offset = query.offset ?? 0;
    const [state, settings] = await Promise.all([room(roomId), currentSettings(roomId)]);
    const id = await returningBrowser(req, res);
    // The browser's own asked with the head, in the same turn: one trip to the store's thread.
    const own: Promise<[PublicComment[], string[]]> = id === undefined ? Promise.resolve([[], []]) : Promise.all([deps.store.pendingOf(roomId, id), deps.store.upvotedBy(roomId, id)]);
    // Should the head fail first, nobody awaits `own`: its failure must not go unhandled.
    own.catch(() => undefined);
    // The head before the comments: what is read after it is at least as new (publicPages.ts).
    const { seq } = await deps.store.head(roomId);
    const kept = publicPages.page(roomId, query.sort, offset, seq, async () => {
      const [comments, counts] = await Promise.all([deps.store.listApproved(roomId, query.sort, PUBLIC_PAGE_SIZE, offset), deps.store.counts(roomId)]);
      return { comments, counts: { approved: counts.approved, answered: counts.answered } };
    });
    const [shared, [mine, upvoted]] = await Promise.all([kept.shared, own]);
    const frame = {
      room: { roomId, topic: state.info.topic, startsAt: state.info.startsAt ?? null, ended: state.ended },
      settings: { opensAt: settings.opensAt, closesAt: settings.closesAt, background: settings.background, themes: settings.themes },
      open: commentsOpen(settings, now()),
    };
    const page: PublicCommentsPage = { ...frame, ...shared, mine, upvoted };
    if (mine.length > 0 || upvoted.length > 0) sendJson(noStore(res), PublicCommentsPageSchema, page);
    else sendPrepared(noStore(res), kept.firstVisit(JSON.stringify(frame), () => new PreparedJson(PublicCommentsPageSchema, page)));
  });

  router.get(COMMENT_ROUTES.approvedCsv.pattern, async (req, res) => {
    const { roomId } = await invite(req);
    const state = await room(roomId);
    csvFile(res, state.info.topic, roomId, false, publicCommentsCsv(await deps.store.listApproved(roomId, 'new', ALL)));
  });

  router.get(COMMENT_ROUTES.exportCsv.pattern, async (req, res) => {
    const { roomId, state } = await staff(req);
    const { comments } = await deps.store.exportAll(roomId);
    csvFile(res, state.info.topic, roomId, true, staffCommentsCsv(comments));
  });

  // The comments with the whole hash chain: what anyone given it can verify (verifyCommentExport).
  router.get(COMMENT_ROUTES.exportJson.pattern, async (req, res) => {
    const { roomId } = await staff(req);
    sendJson(noStore(res), CommentExportSchema, await deps.store.exportAll(roomId));
  });

  router.get(COMMENT_ROUTES.moderation.pattern, async (req, res) => {
    const { roomId } = await staff(req);
    const query = parse(StaffQuery, req.query);
    // Every status has its own list, so that a topic with many published comments still shows
    // its newest in the queue (one list of the oldest of all would end before them). The
    // published list holds the most upvoted as well as the newest: the chair's 最热 is the
    // topic's, not that of its newest 500.
    const statuses = query.status === undefined ? COMMENT_STATUSES : [query.status];
    const [lists, hot, counts, settings] = await Promise.all([
      Promise.all(statuses.map((status) => deps.store.listForStaff(roomId, status, STAFF_PAGE_SIZE))),
      statuses.includes('approved') ? deps.store.hotForStaff(roomId, PUBLIC_PAGE_SIZE) : [],
      deps.store.counts(roomId),
      deps.store.settings(roomId),
    ]);
    const listed = lists.flat();
    const ids = new Set(listed.map((c) => c.id));
    const comments = [...listed, ...hot.filter((c) => !ids.has(c.id))];
    sendJson(noStore(res), ModerationPageSchema, { comments, counts, settings });
  });

  /** Checks who asks before the body is read (so strangers cannot make us parse bodies); the handler reads the result. */
  const first = <T>(check: (req: Request) => Promise<T>) => async (req: Request, res: Response, next: () => void): Promise<void> => {
    res.locals['checked'] = await check(req);
    next();
  };
  const checked = <T>(res: Response): T => res.locals['checked'] as T;

  router.post(COMMENT_ROUTES.page.pattern, first(invite), json, async (req, res) => {
    const { roomId } = checked<Awaited<ReturnType<typeof invite>>>(res);
    const body = parse(SubmitComment, req.body);
    const at = now();
    requireOpen(await currentSettings(roomId), at);
    const id = await browser(req, res);
    await deps.limits.comment(id, address(req));
    const comment = await deps.store.submit(roomId, body, id, at);
    deps.notifier.pending(roomId);
    sendJson(noStore(res), SubmittedCommentSchema, { comment: publicOf(comment) }, 201);
  });

  router.post(COMMENT_ROUTES.upvote.pattern, async (req, res) => {
    const { roomId } = await invite(req);
    const commentId = parse(CommentIdParam, req.params['commentId']);
    const at = now();
    requireOpen(await currentSettings(roomId), at);
    const id = await browser(req, res);
    await deps.limits.upvote(id, address(req));
    const { comment, counted } = await deps.store.upvote(roomId, commentId, id, at);
    if (counted) deps.notifier.changed(roomId, [comment]);
    sendJson(noStore(res), UpvotedSchema, { commentId: comment.id, upvotes: comment.upvotes });
  });

  router.post(COMMENT_ROUTES.moderate.pattern, first(staff), json, async (req, res) => {
    const { roomId } = checked<Awaited<ReturnType<typeof staff>>>(res);
    const commentId = parse(CommentIdParam, req.params['commentId']);
    const action = parse(ModerateComment, req.body);
    const before = await deps.store.get(roomId, commentId);
    const after = await deps.store.moderate(roomId, commentId, action, now());
    await announce(roomId, before, after, action.action === 'merge' ? action.into : undefined);
    sendJson(noStore(res), ModeratedCommentSchema, { comment: after });
  });

  const department = (req: Request) => withRole(req, answersComments, 'only a department answers comments');
  router.post(COMMENT_ROUTES.answer.pattern, first(department), json, async (req, res) => {
    const { roomId, claims } = checked<Awaited<ReturnType<typeof department>>>(res);
    const commentId = parse(CommentIdParam, req.params['commentId']);
    const body = parse(AnswerComment, req.body);
    // The department answers under the name on its invite (e.g. 住建局), as it is known in the room.
    const name = claims.name;
    if (name === undefined) throw new AppError('FORBIDDEN', 'this department invite carries no name: the organiser issues it with the department\'s name');
    const before = await deps.store.get(roomId, commentId);
    const after = await deps.store.answer(roomId, commentId, { department: name, text: body.text }, now());
    await announce(roomId, before, after);
    sendJson(noStore(res), ModeratedCommentSchema, { comment: after });
  });

  router.get(COMMENT_ROUTES.settings.pattern, admin, async (req, res) => {
    const roomId = parse(RoomIdParam, req.params['roomId']);
    await reach(res, roomId);
    await room(roomId);
    noStore(res).json({ settings: await deps.store.settings(roomId) });
  });

  router.put(COMMENT_ROUTES.settings.pattern, admin, settingsJson, async (req, res) => {
    const roomId = parse(RoomIdParam, req.params['roomId']);
    await reach(res, roomId);
    const settings: CommentSettings = parse(CommentSettingsInput, req.body);
    await room(roomId);
    await deps.store.setSettings(roomId, settings);
    settingsCache.delete(roomId);
    noStore(res).json({ settings });
  });

  router.use(apiErrorHandler(deps.logger));
  return router;
}
