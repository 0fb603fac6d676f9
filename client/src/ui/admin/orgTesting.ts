/**
 * Plain data for the admin page's component tests: organisations, accounts, roster members,
 * and an OrgContext whose failures the test can read. The API itself is answered by
 * fakeFetch (../comments/fakeCommentsServer.ts) with what each test sets.
 */
import type { Account, Me, Organisation, RosterMember } from '../../net/orgApi.js';
import type { OrgContext } from './orgContext.js';

const CREATED = Date.UTC(2026, 10, 1);

/** The city body and one district below it. */
export const CITY: Organisation = { orgId: 'org-city', name: 'City CPPCC', parentId: null, createdAt: CREATED };
export const DISTRICT: Organisation = { orgId: 'org-huangpu', name: 'Huangpu CPPCC', parentId: CITY.orgId, createdAt: CREATED };

/** An account of `org` with `role`. */
export function anAccount(org: Organisation, role: Account['role'], over: Partial<Account> = {}): Account {
  return { accountId: `acc-${role}-${org.orgId}`, username: `${role}.${org.orgId}`, displayName: `The ${role}`, orgId: org.orgId, role, createdAt: CREATED, disabled: false, ...over };
}

/** A roster member of `org`. */
export function aMember(org: Organisation, memberId: string, name: string, sector: string, venue = ''): RosterMember {
  return { memberId, orgId: org.orgId, name, sector, venue, district: '', phone: '', email: '', note: '', updatedAt: CREATED };
}

/** A context for panels of `org`, as `me` sees it; failures of requests are collected. */
export function orgContext(me: Me, org: Organisation): { ctx: OrgContext; failures: unknown[] } {
  const failures: unknown[] = [];
  const ctx: OrgContext = {
    me,
    org,
    orgs: me.orgs,
    busy: false,
    reloadOrgs: () => undefined,
    run: async (request) => {
      try {
        return await request();
      } catch (error) {
        failures.push(error);
        return undefined;
      }
    },
  };
  return { ctx, failures };
}
