/**
 * An organisation's roster (委员名册) over HTTP: list, add, change and remove members, import a
 * CSV or XLSX file, and download the template to fill in. Only those who may organise the
 * organisation reach it (access.ts, asked through OrgAuth on every route). Mounted at `/api`.
 *
 * A member is known by name and sector (界别): an import in `merge` mode updates the member of
 * the same name and sector and adds the others; `replace` also removes every member the file
 * does not list. A member the file lists keeps the fields the file has no column for. Either
 * way a file with a bad row changes nothing (422 with every bad row).
 * Two members of one roster never share a name and sector, so the match is never ambiguous.
 */
import { randomBytes } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { AppError, NotFoundError, ValidationError } from '../../signaling/errors.js';
import { ApiErrorBody } from '../../signaling/http/errors.js';
import {
  MAX_ROSTER_FILE_BYTES,
  ORG_ROUTES,
  OrgIdParam,
  Roster,
  RosterImported,
  RosterMemberBody,
  RosterMemberPatch,
  RosterRejected,
} from '../../signaling/http/orgs.js';
import { MAX_ROSTER_MEMBERS, RosterMemberSchema, type RosterFields, type RosterMember } from '../../signaling/orgs/model.js';
import { contentDisposition } from '../export/fileName.js';
import { createLogger, type Logger } from '../log.js';
import type { OrgDirectory } from '../orgs/OrgDirectory.js';
import { parseRosterFile, ROSTER_TEMPLATE_NAMES, rosterTemplate, type RosterField, type RosterFileKind } from '../orgs/rosterFile.js';
import { apiErrorHandler, parse } from './adminRoutes.js';
import type { OrgAuth } from './orgAuth.js';
import { sendJson } from './sendJson.js';

/** What createRosterRouter needs. */
export type RosterRouterDeps = {
  directory: OrgDirectory;
  auth: OrgAuth;
  logger?: Logger;
  /** Epoch ms; injected so tests can tell when a member changed. */
  now?: () => number;
};

/** The XLSX media type. */
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * Media types an upload of a CSV arrives with: browsers on Windows with Excel installed label
 * a .csv file application/vnd.ms-excel, and Excel's "Unicode text" is text/plain.
 */
const CSV_TYPES = new Set(['text/csv', 'application/csv', 'text/comma-separated-values', 'application/vnd.ms-excel', 'text/plain']);
/** The start of an OLE2 compound file: a legacy .xls, whatever it was labelled. */
const OLE2_MAGIC = Buffer.from('d0cf11e0a1b11ae1', 'hex');

const ImportQuery = z.object({ mode: z.enum(['merge', 'replace']).default('merge') });
const MemberIdParam = RosterMemberSchema.shape.memberId;

/** The roster's routes; the app mounts the router at `/api`. */
export function createRosterRouter(deps: RosterRouterDeps): Router {
  const router = express.Router();
  const { directory } = deps;
  const logger = deps.logger ?? createLogger('info', 'http:roster');
  const now = deps.now ?? Date.now;
  // Per route, never router.use(): every router is mounted at /api (see orgAuth.ts).
  const guard = [deps.auth.required, deps.auth.inOrg('organise')];
  // Bodies are read after the guard, so strangers cannot make us read two megabytes.
  const json = express.json({ limit: '16kb' });
  const file = express.raw({ type: () => true, limit: MAX_ROSTER_FILE_BYTES });

  const orgIdOf = (req: Request): string => parse(OrgIdParam, req.params.orgId);

  router.get(ORG_ROUTES.roster.pattern, ...guard, async (req, res) => {
    const members = await directory.roster(orgIdOf(req));
    sendJson(res.set('Cache-Control', 'no-store'), Roster, { members: sortedRoster(members) });
  });

  router.post(ORG_ROUTES.roster.pattern, ...guard, json, async (req, res) => {
    const orgId = orgIdOf(req);
    const fields = parse(RosterMemberBody, req.body);
    const roster = await directory.roster(orgId);
    if (roster.length >= MAX_ROSTER_MEMBERS) throw new AppError('INVALID_STATE', `a roster holds at most ${MAX_ROSTER_MEMBERS} members`);
    assertUnique(roster, fields, undefined);
    const member: RosterMember = { ...fields, memberId: newMemberId(), orgId, updatedAt: now() };
    await directory.putMembers(orgId, [member]);
    logger.info('roster member added', { orgId, memberId: member.memberId });
    sendJson(res.set('Cache-Control', 'no-store'), RosterMemberSchema, member, 201);
  });

  router.patch(ORG_ROUTES.rosterMember.pattern, ...guard, json, async (req, res) => {
    const orgId = orgIdOf(req);
    const memberId = parse(MemberIdParam, req.params.memberId);
    const parsed = parse(RosterMemberPatch, req.body);
    // The schema fills absent fields with their defaults (''): only the fields sent change.
    const sent = new Set(typeof req.body === 'object' && req.body !== null ? Object.keys(req.body) : []);
    const changes = Object.fromEntries(Object.entries(parsed).filter(([key]) => sent.has(key)));
    if (Object.keys(changes).length === 0) throw new ValidationError('nothing to change: send one or more of the roster fields');
    const roster = await directory.roster(orgId);
    const current = roster.find((m) => m.memberId === memberId);
    if (current === undefined) throw new NotFoundError(`organisation ${orgId} has no member ${memberId}`);
    const member: RosterMember = { ...current, ...changes, updatedAt: now() };
    assertUnique(roster, member, memberId);
    await directory.putMembers(orgId, [member]);
    logger.info('roster member changed', { orgId, memberId, fields: Object.keys(changes) });
    sendJson(res.set('Cache-Control', 'no-store'), RosterMemberSchema, member);
  });

  router.delete(ORG_ROUTES.rosterMember.pattern, ...guard, async (req, res) => {
    const orgId = orgIdOf(req);
    const memberId = parse(MemberIdParam, req.params.memberId);
    const roster = await directory.roster(orgId);
    if (!roster.some((m) => m.memberId === memberId)) throw new NotFoundError(`organisation ${orgId} has no member ${memberId}`);
    await directory.removeMembers(orgId, [memberId]);
    logger.info('roster member removed', { orgId, memberId });
    res.set('Cache-Control', 'no-store').status(204).end();
  });

  router.post(ORG_ROUTES.rosterImport.pattern, ...guard, file, async (req, res) => {
    const orgId = orgIdOf(req);
    const { mode } = parse(ImportQuery, req.query);
    const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const kind = fileKind(req.get('content-type'));
    if (kind === undefined) {
      sendJson(res, ApiErrorBody, { error: 'BAD_REQUEST', detail: `send the file as text/csv or ${XLSX_TYPE}` }, 415);
      return;
    }
    if (bytes.subarray(0, OLE2_MAGIC.length).equals(OLE2_MAGIC)) {
      sendJson(res, ApiErrorBody, { error: 'BAD_REQUEST', detail: 'a legacy .xls file: save it as .xlsx or .csv (另存为 .xlsx 或 .csv)' }, 415);
      return;
    }
    const parsed = parseRosterFile(bytes, kind);
    if (!parsed.ok) {
      logger.info('roster file rejected', { orgId, kind, problems: parsed.errors.length });
      sendJson(res, RosterRejected, { error: 'BAD_REQUEST', detail: `${parsed.errors.length} 处错误，未导入 / ${parsed.errors.length} problems, nothing imported`, rows: parsed.errors }, 422);
      return;
    }
    const roster = await directory.roster(orgId);
    const plan = importPlan(roster, parsed.rows, parsed.columns, mode, { orgId, at: now() });
    if (plan.size > MAX_ROSTER_MEMBERS) {
      const detail = `名册将有 ${plan.size} 人，超过上限 ${MAX_ROSTER_MEMBERS} / the roster would hold ${plan.size} members, more than ${MAX_ROSTER_MEMBERS}; nothing imported`;
      sendJson(res, RosterRejected, { error: 'BAD_REQUEST', detail, rows: [] }, 422);
      return;
    }
    // NOTE: additions and updates are written first, all or none (putMembers); removals last. A
    // failure between the two leaves the file's members all in place, with some old ones left.
    if (plan.put.length > 0) await directory.putMembers(orgId, plan.put);
    if (plan.remove.length > 0) await directory.removeMembers(orgId, plan.remove);
    logger.info('roster imported', { orgId, kind, mode, added: plan.added, updated: plan.updated, removed: plan.remove.length });
    sendJson(res.set('Cache-Control', 'no-store'), RosterImported, {
      added: plan.added,
      updated: plan.updated,
      removed: plan.remove.length,
      members: sortedRoster(await directory.roster(orgId)),
    });
  });

  const template = (kind: RosterFileKind) => (_req: Request, res: Response): void => {
    const { name, ascii } = ROSTER_TEMPLATE_NAMES[kind];
    res
      .status(200)
      .set('Cache-Control', 'no-store')
      .set('Content-Type', kind === 'csv' ? 'text/csv; charset=utf-8' : XLSX_TYPE)
      .set('Content-Disposition', contentDisposition('attachment', name, ascii))
      .send(rosterTemplate(kind));
  };
  router.get(ORG_ROUTES.rosterTemplateCsv.pattern, ...guard, template('csv'));
  router.get(ORG_ROUTES.rosterTemplateXlsx.pattern, ...guard, template('xlsx'));

  router.use(apiErrorHandler(logger));
  return router;
}

/** csv or xlsx by the request's Content-Type, undefined for anything else. */
function fileKind(contentType: string | undefined): RosterFileKind | undefined {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === XLSX_TYPE) return 'xlsx';
  return CSV_TYPES.has(type) ? 'csv' : undefined;
}

const collator = new Intl.Collator('zh-CN');

/** By sector, then name, as a Chinese reader orders them (pinyin); the id breaks ties so the order is stable. */
export function sortedRoster(members: readonly RosterMember[]): RosterMember[] {
  return [...members].sort((a, b) => collator.compare(a.sector, b.sector) || collator.compare(a.name, b.name) || (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
}

const keyOf = (m: Pick<RosterFields, 'name' | 'sector'>): string => `${m.name}\u0000${m.sector}`;

/** 409 if another member (not `self`) has the same name and sector. */
function assertUnique(roster: readonly RosterMember[], fields: Pick<RosterFields, 'name' | 'sector'>, self: string | undefined): void {
  const key = keyOf(fields);
  if (roster.some((m) => m.memberId !== self && keyOf(m) === key)) {
    throw new AppError('CONFLICT', `the roster has a member named ${fields.name} in the sector "${fields.sector}" already`);
  }
}

type ImportPlan = {
  /** Members to write: the new ones and those whose fields changed. */
  put: RosterMember[];
  /** Ids to remove (replace mode: every member the file does not list). */
  remove: string[];
  added: number;
  updated: number;
  /** Members after the import. */
  size: number;
};

/** What an import changes: rows matched to members by name and sector; `columns`: the fields the file has. */
export function importPlan(
  roster: readonly RosterMember[],
  rows: readonly RosterFields[],
  columns: readonly RosterField[],
  mode: 'merge' | 'replace',
  { orgId, at }: { orgId: string; at: number },
): ImportPlan {
  const byKey = new Map<string, RosterMember>();
  for (const member of roster) if (!byKey.has(keyOf(member))) byKey.set(keyOf(member), member);
  const matched = new Set<string>();
  const put: RosterMember[] = [];
  let added = 0;
  let updated = 0;
  for (const row of rows) {
    const current = byKey.get(keyOf(row));
    if (current === undefined) {
      put.push({ ...row, memberId: newMemberId(), orgId, updatedAt: at });
      added += 1;
      continue;
    }
    matched.add(current.memberId);
    const changed = columns.filter((f) => current[f] !== row[f]);
    if (changed.length > 0) {
      put.push({ ...current, ...Object.fromEntries(changed.map((f) => [f, row[f]])), updatedAt: at });
      updated += 1;
    }
  }
  const remove = mode === 'replace' ? roster.filter((m) => !matched.has(m.memberId)).map((m) => m.memberId) : [];
  return { put, remove, added, updated, size: roster.length + added - remove.length };
}

/** A fresh member id: random and URL-safe (OrgIdSchema). */
function newMemberId(): string {
  return randomBytes(12).toString('base64url');
}
