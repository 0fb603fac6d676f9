/**
 * What the panels of a logged-in admin page share: who is logged in, the organisation shown,
 * and a way to run a request whose failure the page reports. In a module of its own so the
 * page and its panels do not import each other.
 */
import { orgsWhere, type Actor } from '../../../../signaling/orgs/access.js';
import { AdminApi } from '../../net/adminApi.js';
import type { Account, Me, Organisation } from '../../net/orgApi.js';
import type { AdminContext } from './adminContext.js';

/** The organisation being worked on, and the person working. */
export type OrgContext = {
  me: Me;
  /** The organisation shown (one the account reaches). */
  org: Organisation;
  /** Every organisation the account reaches, its own first. */
  orgs: Organisation[];
  /** Runs a request; its failure is shown on the page (a lost session asks to log in again). Resolves undefined on failure. */
  run<T>(request: () => Promise<T>): Promise<T | undefined>;
  busy: boolean;
  /** The organisations changed (one was created): read them again. */
  reloadOrgs(): void;
};

/** The account as the access rules see it. */
export function actorOf(account: Account): Actor {
  return { kind: 'account', accountId: account.accountId, orgId: account.orgId, role: account.role };
}

/** May the logged-in account manage accounts and sub-organisations of `orgId`? (The server decides; this only hides what it would refuse.) */
export function mayAdminister(me: Me, orgs: readonly Organisation[], orgId: string): boolean {
  return orgsWhere(actorOf(me.account), 'administer', orgs).has(orgId);
}

/** The context the admin key's forms take (a room's invites, cards, comment settings), for the logged-in account. */
export function adminContextOf(ctx: OrgContext): AdminContext {
  // No secret: the organisers' routes know the account by its session cookie.
  const api = new AdminApi();
  return { api, busy: ctx.busy, run: (request) => ctx.run(() => request(api)) };
}

/** Epoch ms of the start of a `<input type="date">` day in local time, or undefined if empty. */
export function dayStart(date: string): number | undefined {
  if (date === '') return undefined;
  const ms = new Date(`${date}T00:00:00`).getTime();
  return Number.isFinite(ms) ? ms : undefined;
}

/** Epoch ms of the end of that day (the last millisecond), or undefined if empty. */
export function dayEnd(date: string): number | undefined {
  const start = dayStart(date);
  return start === undefined ? undefined : new Date(`${date}T23:59:59.999`).getTime();
}
