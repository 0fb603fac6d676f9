/**
 * Who is asking, for every organisers' route: a person with a live session cookie
 * (SESSION_COOKIE, set by POST /auth/login) or automation with `Authorization: Bearer <admin
 * secret>`. What that actor may then do is signaling/orgs/access.ts, asked through `inOrg` or
 * by the route itself; nothing here decides a rule of its own.
 *
 * Routers use it per route, never with `router.use(auth.required)`: every router is mounted at
 * /api, and a router-wide check would answer 401 for the public routes of the routers after it.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { AppError, ForbiddenError, NotFoundError, ValidationError } from '../../signaling/errors.js';
import { OrgIdParam, SESSION_COOKIE, SESSION_IDLE_HOURS } from '../../signaling/http/orgs.js';
import { may, type Actor, type OrgAction } from '../../signaling/orgs/access.js';
import type { Organisation } from '../../signaling/orgs/model.js';
import type { Limits } from '../limits/Limits.js';
import type { OrgDirectory, StoredAccount } from '../orgs/OrgDirectory.js';
import { addressOf } from '../sockets/context.js';

/** The middleware every organisers' router uses. */
export type OrgAuth = {
  /** 401 UNAUTHORIZED unless a live session cookie or `Authorization: Bearer <admin secret>`; sets the actor. */
  required: RequestHandler;
  /** After `required`: 404 NOT_FOUND if req.params.orgId is no organisation, 403 FORBIDDEN unless may(actor, action, orgId). */
  inOrg(action: OrgAction): RequestHandler;
};

/** What createOrgAuth needs. */
export type OrgAuthDeps = {
  directory: OrgDirectory;
  adminSecret: string;
  /**
   * Wrong admin secrets (and requests with no credentials at all) count against the address,
   * as on the admin routes; past the budget the address waits, whatever it sends. Without it
   * nothing is counted (unit tests of a router).
   */
  limits?: Pick<Limits, 'adminAttempt' | 'failedAdminSecret'>;
  /** Proxies in front (TRUST_PROXY): the address counted is the client's. */
  trustProxy?: number;
  /** PUBLIC_URL: its origin is this server's too (behind a proxy the Host header may differ). */
  publicUrl?: string;
  /** Epoch ms. */
  now?: () => number;
};

/** A session ends this long after it was last used. */
export const SESSION_IDLE_MS = SESSION_IDLE_HOURS * 3_600_000;
/** A session's expiry is moved at most once a minute: a page's burst of requests writes once. */
const TOUCH_EVERY_MS = 60_000;
/** Our tokens are 32 random bytes in base64url; anything else is not looked up. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** What `required` found for a request, by its response (res.locals is untyped). */
type Found = { actor: Actor; account?: StoredAccount; tokenHash?: string };
const found = new WeakMap<Response, Found>();

/** The actor `required` found. */
export function actorOf(res: Response): Actor {
  const actor = found.get(res)?.actor;
  // A route that reads the actor without `required` before it is a programming error.
  if (actor === undefined) throw new TypeError('actorOf: no actor; is auth.required in front of this route?');
  return actor;
}

/** The account behind a session actor (undefined for automation). */
export function accountOf(res: Response): StoredAccount | undefined {
  return found.get(res)?.account;
}

/** The stored hash of the session this request came with (undefined for automation). */
export function sessionTokenHashOf(res: Response): string | undefined {
  return found.get(res)?.tokenHash;
}

/** What the store keeps of a session token: its SHA-256, so a copy of the store logs nobody in. */
export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}

/** The session token in a request's cookies, if it looks like one of ours. */
export function sessionTokenOf(req: Request): string | undefined {
  const value = cookieValue(req.get('cookie') ?? '', SESSION_COOKIE);
  return value !== undefined && TOKEN.test(value) ? value : undefined;
}

/** The account a request's session cookie stands for, or undefined (no cookie, expired, unknown, disabled). */
export async function sessionAccount(
  directory: OrgDirectory,
  req: Request,
  now: number,
): Promise<{ account: StoredAccount; tokenHash: string } | undefined> {
  const token = sessionTokenOf(req);
  if (token === undefined) return undefined;
  const tokenHash = hashSessionToken(token);
  const session = await directory.session(tokenHash, now);
  if (session === undefined) return undefined;
  const account = await directory.account(session.accountId);
  if (account === undefined || account.disabled) return undefined;
  // Used now: it ends SESSION_IDLE_HOURS from now.
  if (session.expiresAt - now < SESSION_IDLE_MS - TOUCH_EVERY_MS) await directory.touchSession(tokenHash, now + SESSION_IDLE_MS);
  return { account, tokenHash };
}

/** The middleware for the organisers' routes. */
export function createOrgAuth(deps: OrgAuthDeps): OrgAuth {
  const now = deps.now ?? Date.now;
  // Fixed-length digests: constant-time, and the secret's length is not revealed by an early exit.
  const expected = digest(deps.adminSecret);
  const publicHost = deps.publicUrl === undefined ? undefined : hostOf(deps.publicUrl);
  const addressOfRequest = (req: Request): string => addressOf(req.socket.remoteAddress ?? '', req.headers['x-forwarded-for'], deps.trustProxy ?? 0);

  const required: RequestHandler = async (req, res, next) => {
    const authorization = req.get('authorization');
    if (authorization !== undefined) {
      const address = addressOfRequest(req);
      await deps.limits?.adminAttempt(address);
      const given = /^Bearer (.+)$/i.exec(authorization)?.[1];
      if (given === undefined || !timingSafeEqual(digest(given), expected)) {
        await deps.limits?.failedAdminSecret(address);
        throw new AppError('UNAUTHORIZED', 'wrong admin secret');
      }
      found.set(res, { actor: { kind: 'automation' } });
      next();
      return;
    }
    if (sessionTokenOf(req) === undefined) {
      // Nothing at all counts as a wrong secret, as on the admin routes: a route that answers
      // 401 at once must not be a free oracle for what it guards.
      const address = addressOfRequest(req);
      await deps.limits?.adminAttempt(address);
      await deps.limits?.failedAdminSecret(address);
      throw new AppError('UNAUTHORIZED', 'log in, or send Authorization: Bearer <admin secret>');
    }
    // NOTE: a stale cookie is not counted against the address: tokens are 32 random bytes, too
    // many to guess, and a hall's expired tabs must not lock out its automation.
    const session = await sessionAccount(deps.directory, req, now());
    if (session === undefined) throw new AppError('UNAUTHORIZED', 'the session has ended: log in again');
    // The cookie is SameSite=Strict; a request another site's page made anyway (an old browser)
    // says where it comes from, and is refused before it changes anything.
    if (!SAFE_METHODS.has(req.method)) {
      const origin = req.get('origin');
      if (origin !== undefined && !sameOrigin(origin, req.get('host'), publicHost)) {
        throw new ForbiddenError('a request from another site may not use the session');
      }
    }
    const { account, tokenHash } = session;
    found.set(res, { actor: { kind: 'account', accountId: account.accountId, orgId: account.orgId, role: account.role }, account, tokenHash });
    next();
  };

  const inOrg = (action: OrgAction): RequestHandler => {
    return async (req, res, next) => {
      const parsed = OrgIdParam.safeParse(req.params.orgId);
      if (!parsed.success) throw new ValidationError('orgId: not an organisation id');
      const orgs: Organisation[] = await deps.directory.orgs();
      if (!orgs.some((o) => o.orgId === parsed.data)) throw new NotFoundError(`no organisation ${parsed.data}`);
      if (!may(actorOf(res), action, parsed.data, orgs)) throw new ForbiddenError(`not allowed to ${action} organisation ${parsed.data}`);
      next();
    };
  };

  return { required, inOrg };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Is `origin` (an Origin header) this server, as the request's Host or PUBLIC_URL names it? */
function sameOrigin(origin: string, host: string | undefined, publicHost: string | undefined): boolean {
  const originHost = hostOf(origin);
  return originHost !== undefined && (originHost === host?.toLowerCase() || originHost === publicHost);
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    // Origin: null (a sandboxed frame, a file) or garbage: no host, so not ours.
    return undefined;
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** The value of cookie `name` in a Cookie header (the first, as browsers send the most specific first). */
function cookieValue(header: string, name: string): string | undefined {
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
