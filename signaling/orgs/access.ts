/**
 * Who may do what in which organisation: the one place for these rules. The server asks it on
 * every organisers' route; the admin page asks it only to hide what would be refused.
 *
 * - The admin secret (automation, and the bootstrap of the first administrator) may do
 *   everything, in every organisation.
 * - An administrator manages accounts and sub-organisations, and does what an organiser does,
 *   in their organisation and every organisation below it (a city administrator sees every
 *   district).
 * - An organiser runs consultations, the roster and the duty records of their own
 *   organisation only.
 * - A consultation made with the admin secret and no organisation belongs to none: only the
 *   secret and administrators of a root organisation reach it.
 */
import type { Organisation, OrgRole } from './model.js';

/** Who is asking. */
export type Actor = { kind: 'automation' } | { kind: 'account'; accountId: string; orgId: string; role: OrgRole };

/** What is asked. */
export type OrgAction =
  /** Create sub-organisations below it, and list, create, change accounts in it. */
  | 'administer'
  /** Consultations (create, list, invites, comment settings), the roster, the duty records. */
  | 'organise';

/** The ids of `orgId` and every organisation below it. */
export function orgAndBelow(orgId: string, orgs: readonly Organisation[]): Set<string> {
  const reach = new Set<string>([orgId]);
  // Parents may be listed after their children: go round until nothing is added (depth is small).
  for (let grew = true; grew; ) {
    grew = false;
    for (const org of orgs) {
      if (org.parentId !== null && reach.has(org.parentId) && !reach.has(org.orgId)) {
        reach.add(org.orgId);
        grew = true;
      }
    }
  }
  return reach;
}

/** The organisations where `actor` may do `action`. */
export function orgsWhere(actor: Actor, action: OrgAction, orgs: readonly Organisation[]): Set<string> {
  if (actor.kind === 'automation') return new Set(orgs.map((o) => o.orgId));
  if (!orgs.some((o) => o.orgId === actor.orgId)) return new Set();
  if (actor.role === 'administrator') return orgAndBelow(actor.orgId, orgs);
  return action === 'organise' ? new Set([actor.orgId]) : new Set();
}

/** May `actor` do `action` in `orgId`? */
export function may(actor: Actor, action: OrgAction, orgId: string, orgs: readonly Organisation[]): boolean {
  return orgsWhere(actor, action, orgs).has(orgId);
}

/**
 * May `actor` reach a consultation owned by `orgId` (null: made with the admin secret and no
 * organisation)?
 */
export function mayReachRoom(actor: Actor, orgId: string | null, orgs: readonly Organisation[]): boolean {
  if (actor.kind === 'automation') return true;
  if (orgId !== null) return may(actor, 'organise', orgId, orgs);
  const own = orgs.find((o) => o.orgId === actor.orgId);
  return actor.role === 'administrator' && own !== undefined && own.parentId === null;
}
