/**
 * The organisations' API (signaling/http/orgs.ts): the first administrator's bootstrap, login
 * and sessions, organisations and their accounts, consultations made from a roster with every
 * member's invite at once, the list of consultations, and a room's invites as CSV for the
 * office's own messaging. Who may do what is signaling/orgs/access.ts; who asks is orgAuth.ts.
 * The roster's and the duty records' routes are their own routers (rosterRoutes.ts, dutyRoutes.ts).
 */
import { randomBytes } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import { AppError, ForbiddenError, NotFoundError, ValidationError } from '../../signaling/errors.js';
import {
  AccountList,
  BootstrapBody,
  ConsultationList,
  ConsultationQuery,
  CreateAccountBody,
  CreateConsultationBody,
  CreatedConsultation,
  CreateOrgBody,
  LoginBody,
  Me,
  OrgIdParam,
  OrgList,
  ORG_ROUTES,
  ROSTER_INVITE_ROLE,
  SESSION_COOKIE,
  UpdateAccountBody,
  type ListedConsultation,
  type MemberInvite,
} from '../../signaling/http/orgs.js';
import { RoomIdParam } from '../../signaling/http/invites.js';
import { mayReachRoom, orgsWhere, type Actor } from '../../signaling/orgs/access.js';
import type { Account, Organisation, RosterMember } from '../../signaling/orgs/model.js';
import { ROLE_ZH } from '../../signaling/room/termsZh.js';
import type { RoomState } from '../../signaling/room/state.js';
import { csvCell } from '../comments/csv.js';
import { contentDisposition } from '../export/fileName.js';
import type { InviteRecord, InviteRegistry, RegisteredRoom } from '../invites/InviteRegistry.js';
import type { Limits } from '../limits/Limits.js';
import { createLogger, type Logger } from '../log.js';
import type { OrgDirectory, StoredAccount } from '../orgs/OrgDirectory.js';
import { hashPassword, needsRehash, verifyPassword, verifyUnknownAccount } from '../orgs/passwords.js';
import { addressOf } from '../sockets/context.js';
import { apiErrorHandler, parse, type RoomDirectory } from './adminRoutes.js';
import { HOUR_MS, newClaims, type InviteIssuer } from './inviteIssuer.js';
import { actorOf, hashSessionToken, sessionAccount, sessionTokenOf, SESSION_IDLE_MS, type OrgAuth } from './orgAuth.js';
import { sendJson } from './sendJson.js';

/** What createOrgRouter needs. */
export type OrgRouterDeps = {
  directory: OrgDirectory;
  auth: OrgAuth;
  issuer: InviteIssuer;
  registry: InviteRegistry;
  rooms: Pick<RoomDirectory, 'state'>;
  limits: Pick<Limits, 'loginAttempt' | 'failedLogin'>;
  /** Proxies in front (TRUST_PROXY): the address a failed login is counted against is the client's. */
  trustProxy: number;
  logger?: Logger;
  /** Epoch ms. */
  now?: () => number;
};

/** Consultations the list shows at most (newest first): a city's year of meetings fits. */
const MAX_LISTED = 300;
/** Rooms of no organisation looked at for the list (made with the secret alone). */
const UNOWNED_LOOKED_AT = 200;
/** Room states read at once for the list. */
const STATES_AT_ONCE = 8;

/** The organisations' routes; the app mounts them at `/api`. */
export function createOrgRouter(deps: OrgRouterDeps): Router {
  const router = express.Router();
  const { directory, auth } = deps;
  const json = express.json({ limit: '64kb' });
  const logger = deps.logger ?? createLogger('info', 'http:orgs');
  const now = deps.now ?? Date.now;
  const address = (req: Request): string => addressOf(req.socket.remoteAddress ?? '', req.headers['x-forwarded-for'], deps.trustProxy);
  const noStore = (res: Response): Response => res.set('Cache-Control', 'no-store');

  /** The organisations `actor` reaches (organise), their own first, then oldest first. */
  const reachable = async (actor: Actor): Promise<Organisation[]> => {
    const orgs = await directory.orgs();
    const reach = orgsWhere(actor, 'organise', orgs);
    const own = actor.kind === 'account' ? actor.orgId : undefined;
    return orgs.filter((o) => reach.has(o.orgId)).sort((a, b) => Number(b.orgId === own) - Number(a.orgId === own));
  };
  const me = async (account: StoredAccount): Promise<Me> => ({ account: shown(account), orgs: await reachable(actorOfAccount(account)) });

  router.post(ORG_ROUTES.bootstrap.pattern, auth.required, json, async (req, res) => {
    if (actorOf(res).kind !== 'automation') throw new ForbiddenError('the first administrator is made with the admin secret');
    const body = parse(BootstrapBody, req.body);
    const at = now();
    const org: Organisation = { orgId: newId(), name: body.orgName, parentId: null, createdAt: at };
    const administrator: StoredAccount = {
      accountId: newId(),
      username: body.username,
      displayName: body.displayName,
      orgId: org.orgId,
      role: 'administrator',
      createdAt: at,
      disabled: false,
      passwordHash: await hashPassword(body.password),
    };
    if (!(await directory.bootstrap(org, administrator))) throw new AppError('CONFLICT', 'an organisation exists already: log in as its administrator');
    logger.info('organisations bootstrapped', { orgId: org.orgId, accountId: administrator.accountId, username: administrator.username });
    sendJson(noStore(res), Me, { account: shown(administrator), orgs: [org] }, 201);
  });

  router.post(ORG_ROUTES.login.pattern, json, async (req, res) => {
    const { username, password } = parse(LoginBody, req.body);
    const from = address(req);
    await deps.limits.loginAttempt(from, username);
    const account = await directory.accountByUsername(username);
    // An unknown name costs the time of a password check: the answer's timing does not tell which names exist.
    const passwordRight = account === undefined ? await verifyUnknownAccount(password) : await verifyPassword(password, account.passwordHash);
    if (account === undefined || !passwordRight || account.disabled) {
      await deps.limits.failedLogin(from, username);
      const reason = account === undefined ? 'unknown username' : !passwordRight ? 'wrong password' : 'account disabled';
      logger.warn('login failed', { address: from, username, reason });
      // One answer for all three: a disabled account with its right password must not confirm the password.
      throw new AppError('UNAUTHORIZED', 'wrong username or password');
    }
    let current = account;
    if (needsRehash(account.passwordHash)) {
      current = { ...account, passwordHash: await hashPassword(password) };
      await directory.updateAccount(current);
    }
    const token = randomBytes(32).toString('base64url');
    const at = now();
    await directory.addSession({ tokenHash: hashSessionToken(token), accountId: account.accountId, createdAt: at, expiresAt: at + SESSION_IDLE_MS });
    setSessionCookie(req, res, token);
    logger.info('logged in', { address: from, username, accountId: account.accountId });
    sendJson(noStore(res), Me, await me(current));
  });

  router.post(ORG_ROUTES.logout.pattern, async (req, res) => {
    const token = sessionTokenOf(req);
    if (token !== undefined) await directory.deleteSession(hashSessionToken(token));
    clearSessionCookie(req, res);
    noStore(res).status(204).end();
  });

  // Not behind auth.required: a logged-out page asks this on every load, which is no guess at the secret.
  router.get(ORG_ROUTES.me.pattern, async (req, res) => {
    const found = await sessionAccount(directory, req, now());
    if (found === undefined) throw new AppError('UNAUTHORIZED', 'not logged in');
    sendJson(noStore(res), Me, await me(found.account));
  });

  router.get(ORG_ROUTES.orgs.pattern, auth.required, async (_req, res) => {
    sendJson(noStore(res), OrgList, { orgs: await reachable(actorOf(res)) });
  });

  router.post(ORG_ROUTES.orgs.pattern, auth.required, json, async (req, res) => {
    const body = parse(CreateOrgBody, req.body);
    const actor = actorOf(res);
    const orgs = await directory.orgs();
    if (body.parentId === null) {
      if (actor.kind !== 'automation') throw new ForbiddenError('only the admin secret makes another top-level organisation');
    } else {
      if (!orgs.some((o) => o.orgId === body.parentId)) throw new NotFoundError(`no organisation ${body.parentId}`);
      if (!orgsWhere(actor, 'administer', orgs).has(body.parentId)) throw new ForbiddenError(`not allowed to administer organisation ${body.parentId}`);
    }
    const org: Organisation = { orgId: newId(), name: body.name, parentId: body.parentId, createdAt: now() };
    await directory.addOrg(org);
    logger.info('organisation created', { orgId: org.orgId, parentId: org.parentId, by: who(actor) });
    sendJson(noStore(res), OrganisationAnswer, org, 201);
  });

  router.get(ORG_ROUTES.accounts.pattern, auth.required, auth.inOrg('administer'), async (req, res) => {
    const orgId = parse(OrgIdParam, req.params.orgId);
    sendJson(noStore(res), AccountList, { accounts: (await directory.accountsOf(orgId)).map(shown) });
  });

  router.post(ORG_ROUTES.accounts.pattern, auth.required, auth.inOrg('administer'), json, async (req, res) => {
    const orgId = parse(OrgIdParam, req.params.orgId);
    const body = parse(CreateAccountBody, req.body);
    const account: StoredAccount = {
      accountId: newId(),
      username: body.username,
      displayName: body.displayName,
      orgId,
      role: body.role,
      createdAt: now(),
      disabled: false,
      passwordHash: await hashPassword(body.password),
    };
    if (!(await directory.addAccount(account))) throw new AppError('CONFLICT', `the username ${body.username} is taken`);
    logger.info('account created', { orgId, accountId: account.accountId, username: account.username, role: account.role, by: who(actorOf(res)) });
    sendJson(noStore(res), AccountAnswer, shown(account), 201);
  });

  router.patch(ORG_ROUTES.account.pattern, auth.required, auth.inOrg('administer'), json, async (req, res) => {
    const orgId = parse(OrgIdParam, req.params.orgId);
    const accountId = parse(OrgIdParam, req.params.accountId);
    const body = parse(UpdateAccountBody, req.body);
    const account = await directory.account(accountId);
    if (account === undefined || account.orgId !== orgId) throw new NotFoundError(`organisation ${orgId} has no account ${accountId}`);
    const changed: StoredAccount = {
      ...account,
      ...(body.displayName === undefined ? {} : { displayName: body.displayName }),
      ...(body.role === undefined ? {} : { role: body.role }),
      ...(body.disabled === undefined ? {} : { disabled: body.disabled }),
      ...(body.password === undefined ? {} : { passwordHash: await hashPassword(body.password) }),
    };
    await directory.updateAccount(changed);
    // A new password or a disabled account: whoever holds its sessions (a lost laptop) is out now.
    // A new role needs nothing: every request reads the account's role afresh (orgAuth.ts).
    if (body.password !== undefined || body.disabled === true) await directory.deleteSessionsOf(accountId);
    logger.info('account changed', { orgId, accountId, fields: Object.keys(body), by: who(actorOf(res)) });
    sendJson(noStore(res), AccountAnswer, shown(changed));
  });

  router.post(ORG_ROUTES.consultationsOfOrg.pattern, auth.required, auth.inOrg('organise'), json, async (req, res) => {
    const orgId = parse(OrgIdParam, req.params.orgId);
    const body = parse(CreateConsultationBody, req.body);
    const venues = new Set(body.room.venues.map((v) => v.id));
    if (body.defaultVenue !== undefined && !venues.has(body.defaultVenue)) {
      throw new ValidationError(`defaultVenue "${body.defaultVenue}" is not one of the room's venues (${[...venues].join(', ')})`);
    }
    const members = await invitedMembers(orgId, body.memberIds);
    const created = await deps.issuer.createRoom(req, body.room);
    const { roomId } = created;
    await directory.assignRoom(roomId, orgId);
    const expiresAt = now() + body.expiresInHours * HOUR_MS;
    const fallback = body.defaultVenue ?? body.room.venues[0]?.id ?? '';
    const invites: MemberInvite[] = [];
    for (const member of members) {
      // Their own venue when the consultation has it, else the one the organiser chose for the rest.
      const venue = venues.has(member.venue) ? member.venue : fallback;
      const claims = { ...newClaims(roomId, ROSTER_INVITE_ROLE, venue), name: member.name, sector: member.sector };
      invites.push({ ...(await deps.issuer.issue(req, claims, expiresAt)), memberId: member.memberId });
    }
    await directory.linkInvites(invites.map((i) => ({ roomId, inviteId: i.inviteId, memberId: i.memberId })));
    // Ids only: an invite's token is its bearer's key to the room.
    logger.info('consultation created from the roster', { orgId, roomId, meetingNumber: created.meetingNumber, members: invites.length, by: who(actorOf(res)) });
    sendJson(noStore(res), CreatedConsultation, { ...created, invites }, 201);
  });

  /** The roster members asked for, each once, in the order asked; 400 naming any that are not on the roster. */
  const invitedMembers = async (orgId: string, memberIds: readonly string[]): Promise<RosterMember[]> => {
    const roster = new Map((await directory.roster(orgId)).map((m) => [m.memberId, m]));
    const unknown = memberIds.filter((id) => !roster.has(id));
    if (unknown.length > 0) throw new ValidationError(`not on the roster of organisation ${orgId}: ${unknown.slice(0, 20).join(', ')}`);
    return [...new Set(memberIds)].map((id) => roster.get(id)).filter((m): m is RosterMember => m !== undefined);
  };

  router.get(ORG_ROUTES.consultations.pattern, auth.required, async (req, res) => {
    const query = parse(ConsultationQuery, req.query);
    const actor = actorOf(res);
    const orgs = await directory.orgs();
    const organised = orgsWhere(actor, 'organise', orgs);
    if (query.orgId !== undefined) {
      if (!orgs.some((o) => o.orgId === query.orgId)) throw new NotFoundError(`no organisation ${query.orgId}`);
      if (!organised.has(query.orgId)) throw new ForbiddenError(`not allowed to organise organisation ${query.orgId}`);
    }
    const owners = new Map<string, string | null>();
    for (const orgId of query.orgId === undefined ? organised : [query.orgId]) {
      for (const roomId of await directory.roomsOf(orgId)) owners.set(roomId, orgId);
    }
    // Rooms of no organisation (made with the secret alone): for those who reach them, when no organisation is asked for.
    if (query.orgId === undefined && mayReachRoom(actor, null, orgs)) {
      for (const room of await deps.registry.recentRooms(UNOWNED_LOOKED_AT)) {
        if (!owners.has(room.roomId) && (await directory.orgOfRoom(room.roomId)) === null) owners.set(room.roomId, null);
      }
    }
    const registered = (await Promise.all([...owners.keys()].map((roomId) => deps.registry.room(roomId)))).filter(
      (room): room is RegisteredRoom => room !== undefined,
    );
    const q = query.q?.toLowerCase();
    const chosen = registered
      .filter((room) => {
        const planned = plannedStart(room);
        return (
          (q === undefined || q === '' || room.topic.toLowerCase().includes(q)) &&
          (query.from === undefined || planned >= query.from) &&
          (query.to === undefined || planned <= query.to)
        );
      })
      .sort((a, b) => plannedStart(b) - plannedStart(a) || b.registeredAt - a.registeredAt)
      .slice(0, MAX_LISTED);
    const names = new Map(orgs.map((o) => [o.orgId, o.name]));
    const consultations = await inBatches(chosen, STATES_AT_ONCE, async (room): Promise<ListedConsultation | undefined> => {
      const state = await deps.rooms.state(room.roomId);
      if (state === undefined) return undefined;
      const orgId = owners.get(room.roomId) ?? null;
      const invites = await deps.registry.list(room.roomId);
      return {
        roomId: room.roomId,
        orgId,
        orgName: orgId === null ? null : (names.get(orgId) ?? null),
        meetingNumber: room.meetingNumber,
        topic: state.info.topic,
        startsAt: state.info.startsAt,
        ...standing(state),
        invited: invites.filter(isPersonalInvite).length,
      };
    });
    sendJson(noStore(res), ConsultationList, { consultations: consultations.filter((c): c is ListedConsultation => c !== undefined) });
  });

  router.get(ORG_ROUTES.invitesCsv.pattern, auth.required, async (req, res) => {
    const roomId = parse(RoomIdParam, req.params.roomId);
    const actor = actorOf(res);
    if (actor.kind === 'account') {
      const [orgId, orgs] = await Promise.all([directory.orgOfRoom(roomId), directory.orgs()]);
      if (!mayReachRoom(actor, orgId, orgs)) throw new ForbiddenError(`room ${roomId} is not one of your organisations'`);
    }
    const state = await deps.rooms.state(roomId);
    if (state === undefined) throw new NotFoundError(`no room ${roomId}`);
    const invites = (await deps.registry.list(roomId)).filter((i) => i.revokedAt === null);
    const venueNames = new Map(state.info.venues.map((v) => [v.id, v.name]));
    const rows = [
      ['姓名 Name', '角色 Role', '会场 Venue', '界别 Sector', '短链接 Short link', '完整链接 Full link'],
      // The roster's order is the office's: by venue, then sector, then name, the chair's link first.
      ...[...invites].sort(byVenueSectorName).map((i) => {
        const answered = deps.issuer.answer(req, i);
        return [i.name ?? '', ROLE_ZH[i.role], venueNames.get(i.venue) ?? i.venue, i.sector, answered.shortUrl, answered.url];
      }),
    ];
    const body = `\uFEFF${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
    const topic = state.info.topic.replace(/[\\/:*?"<>|\u0000-\u001F\u007F]/g, ' ').trim().slice(0, 40) || '会议';
    noStore(res)
      .type('text/csv; charset=utf-8')
      .set('Content-Disposition', contentDisposition('attachment', `${topic}-邀请链接.csv`, `invites-${roomId}.csv`))
      .send(body);
  });

  router.use(apiErrorHandler(logger));
  return router;
}

/** Single answers that orgs.ts types as its fields' schemas. */
const OrganisationAnswer = OrgList.shape.orgs.element;
const AccountAnswer = AccountList.shape.accounts.element;

/** Where a consultation stands, from its room's state. */
function standing(state: Pick<RoomState, 'ended' | 'participants' | 'minutes'>): Pick<ListedConsultation, 'status' | 'live' | 'minutes'> {
  const participants = Object.values(state.participants);
  const begun = participants.some((p) => p.presences.length > 0);
  const status = state.ended ? 'ended' : begun ? 'running' : 'upcoming';
  const live =
    status === 'running'
      ? {
          online: participants.filter((p) => p.online).length,
          members: participants.filter((p) => p.online && p.status === 'admitted' && p.role === 'member').length,
        }
      : null;
  return { status, live, minutes: minutesStatus(state.minutes) };
}

function minutesStatus(minutes: RoomState['minutes']): ListedConsultation['minutes'] {
  if (minutes.published) return 'published';
  if (minutes.locked) return 'locked';
  const written =
    Object.values(minutes.sections).some((s) => s.text.trim() !== '') || minutes.actions.length > 0 || minutes.statements.length > 0 || minutes.lockedVersions.length > 0;
  return written ? 'draft' : 'none';
}

/** An invite to a person or a hall: not the chair's own link, not a public link, not revoked. */
function isPersonalInvite(invite: InviteRecord): boolean {
  return invite.revokedAt === null && invite.role !== 'host' && invite.role !== 'public';
}

/** When a consultation is planned to begin; one made without a time counts from when it was made. */
function plannedStart(room: RegisteredRoom): number {
  return room.startsAt ?? room.registeredAt;
}

function byVenueSectorName(a: InviteRecord, b: InviteRecord): number {
  const host = Number(b.role === 'host') - Number(a.role === 'host');
  return host || a.venue.localeCompare(b.venue) || a.sector.localeCompare(b.sector, 'zh-CN') || (a.name ?? '').localeCompare(b.name ?? '', 'zh-CN');
}

/** `items` mapped by `task`, at most `size` at once, in order. */
async function inBatches<T, R>(items: readonly T[], size: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(task))));
  return out;
}

/** An account as the API shows it: never its password hash. */
function shown(account: StoredAccount): Account {
  const { passwordHash: _hash, ...rest } = account;
  return rest;
}

function actorOfAccount(account: StoredAccount): Actor {
  return { kind: 'account', accountId: account.accountId, orgId: account.orgId, role: account.role };
}

/** Who did it, for the log. */
function who(actor: Actor): string {
  return actor.kind === 'automation' ? 'admin secret' : actor.accountId;
}

/** A fresh id: 16 URL-safe characters, as OrgIdSchema asks. */
function newId(): string {
  return randomBytes(12).toString('base64url');
}

/** HTTP-only, SameSite=Strict, for the API only; Secure over HTTPS. It lasts until the browser closes; the server ends it sooner when idle. */
function setSessionCookie(req: Request, res: Response, token: string): void {
  const parts = [`${SESSION_COOKIE}=${token}`, 'Path=/api', 'HttpOnly', 'SameSite=Strict'];
  if (req.secure) parts.push('Secure');
  res.append('Set-Cookie', parts.join('; '));
}

function clearSessionCookie(req: Request, res: Response): void {
  const parts = [`${SESSION_COOKIE}=`, 'Path=/api', 'Max-Age=0', 'HttpOnly', 'SameSite=Strict'];
  if (req.secure) parts.push('Secure');
  res.append('Set-Cookie', parts.join('; '));
}
