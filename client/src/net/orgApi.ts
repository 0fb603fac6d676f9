/**
 * The organisations' API for a person logged in with a name and password: one call per route
 * of signaling/http/orgs.ts, each answer parsed with the contract's schema. The session is an
 * HTTP-only cookie the browser sends by itself (`credentials: 'same-origin'`); nothing here
 * holds a secret. Failures become ClientErrors with the server's code, as in adminApi.ts.
 */
import type { z } from 'zod';
import { ApiErrorBody } from '../../../signaling/http/errors.js';
import {
  AccountList,
  ConsultationList,
  CreatedConsultation,
  DutyRecords,
  Me,
  OrgList,
  ORG_ROUTES,
  Roster,
  RosterImported,
  RosterMemberBody,
  RosterRejected,
  type BootstrapBody,
  type CreateAccountBody,
  type CreateConsultationBody,
  type CreateOrgBody,
  type ListedConsultation,
  type LoginBody,
  type RosterRowError,
  type UpdateAccountBody,
} from '../../../signaling/http/orgs.js';
import { AccountSchema, OrganisationSchema, RosterMemberSchema, type Account, type Organisation, type RosterFields, type RosterMember } from '../../../signaling/orgs/model.js';
import { ClientError } from '../errors.js';
import { NoContent, requestJson } from './http.js';
import { fileNameOf } from './minutesApi.js';

export type { Account, Organisation, RosterMember, RosterFields };
export type { CreatedConsultation, DutyRecords, ListedConsultation, Me, RosterRowError, CreateConsultationBody };

/** A roster file's kind, by what the importer accepts. */
export type RosterFileKind = 'csv' | 'xlsx';

/** The Content-Type the import route expects for each kind. */
export const ROSTER_FILE_TYPES: Record<RosterFileKind, string> = {
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** The kind of a chosen file, by its name (what an office's file has), else null. */
export function rosterFileKind(fileName: string): RosterFileKind | null {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.xlsx')) return 'xlsx';
  return null;
}

/** An import refused with the rows to correct; nothing was imported. */
export class RosterImportError extends ClientError {
  readonly rows: RosterRowError[];
  constructor(detail: string, rows: RosterRowError[]) {
    super('BAD_REQUEST', detail);
    this.name = 'RosterImportError';
    this.rows = rows;
  }
}

/** A search of the consultations list. */
export type ConsultationSearch = { orgId?: string; q?: string; from?: number; to?: number };

/** A period of duty records (epoch ms; either end open). */
export type DutyPeriod = { from?: number; to?: number };

/** A file the server made: its bytes and the name to save it under. */
export type DownloadedFile = { blob: Blob; fileName: string };

const MeAnswer = Me;
const OrgAnswer = OrganisationSchema;
const AccountAnswer = AccountSchema;
const MemberAnswer = RosterMemberSchema;

/** `POST /auth/login`: the account and its organisations; the answer sets the session cookie. */
export function login(body: LoginBody): Promise<Me> {
  return requestJson(ORG_ROUTES.login.path(), MeAnswer, { method: 'POST', body });
}

/** `POST /auth/logout`: ends the session. */
export async function logout(): Promise<void> {
  await requestJson(ORG_ROUTES.logout.path(), NoContent, { method: 'POST' });
}

/** `GET /auth/me`: who is logged in; UNAUTHORIZED without a session. */
export function me(): Promise<Me> {
  return requestJson(ORG_ROUTES.me.path(), MeAnswer);
}

/** `POST /auth/bootstrap` with the admin secret: the first organisation and its administrator. */
export function bootstrap(secret: string, body: BootstrapBody): Promise<Me> {
  return requestJson(ORG_ROUTES.bootstrap.path(), MeAnswer, { method: 'POST', body, bearer: secret });
}

/** `GET /orgs` with the admin secret: every organisation (none before the first administrator is made). */
export async function listOrgsBySecret(secret: string): Promise<Organisation[]> {
  return (await requestJson(ORG_ROUTES.orgs.path(), OrgList, { bearer: secret })).orgs;
}

/** `GET /orgs`: the organisations the caller reaches. */
export async function listOrgs(): Promise<Organisation[]> {
  return (await requestJson(ORG_ROUTES.orgs.path(), OrgList)).orgs;
}

/** `POST /orgs`: a body below `parentId`. */
export function createOrg(body: CreateOrgBody): Promise<Organisation> {
  return requestJson(ORG_ROUTES.orgs.path(), OrgAnswer, { method: 'POST', body });
}

/** `GET /orgs/:orgId/accounts`. */
export async function listAccounts(orgId: string): Promise<Account[]> {
  return (await requestJson(ORG_ROUTES.accounts.path({ orgId }), AccountList)).accounts;
}

/** `POST /orgs/:orgId/accounts`. */
export function createAccount(orgId: string, body: CreateAccountBody): Promise<Account> {
  return requestJson(ORG_ROUTES.accounts.path({ orgId }), AccountAnswer, { method: 'POST', body });
}

/** `PATCH /orgs/:orgId/accounts/:accountId`: a new password, name, role, or disabling. */
export function updateAccount(orgId: string, accountId: string, body: UpdateAccountBody): Promise<Account> {
  return requestJson(ORG_ROUTES.account.path({ orgId, accountId }), AccountAnswer, { method: 'PATCH', body });
}

/** `GET /orgs/:orgId/roster`: the members, by sector then name. */
export async function roster(orgId: string): Promise<RosterMember[]> {
  return (await requestJson(ORG_ROUTES.roster.path({ orgId }), Roster)).members;
}

/** `POST /orgs/:orgId/roster`. */
export function addMember(orgId: string, fields: z.input<typeof RosterMemberBody>): Promise<RosterMember> {
  return requestJson(ORG_ROUTES.roster.path({ orgId }), MemberAnswer, { method: 'POST', body: fields });
}

/** `PATCH /orgs/:orgId/roster/:memberId`. */
export function updateMember(orgId: string, memberId: string, fields: Partial<RosterFields>): Promise<RosterMember> {
  return requestJson(ORG_ROUTES.rosterMember.path({ orgId, memberId }), MemberAnswer, { method: 'PATCH', body: fields });
}

/** `DELETE /orgs/:orgId/roster/:memberId`. */
export async function deleteMember(orgId: string, memberId: string): Promise<void> {
  await requestJson(ORG_ROUTES.rosterMember.path({ orgId, memberId }), NoContent, { method: 'DELETE' });
}

/**
 * `POST /orgs/:orgId/roster/import?mode=`: the file's bytes as they are. A 422 becomes a
 * RosterImportError listing every bad row.
 */
export async function importRoster(orgId: string, file: Blob, kind: RosterFileKind, mode: 'merge' | 'replace'): Promise<RosterImported> {
  const url = `${ORG_ROUTES.rosterImport.path({ orgId })}?mode=${mode}`;
  const response = await send(url, { method: 'POST', headers: { 'Content-Type': ROSTER_FILE_TYPES[kind], Accept: 'application/json' }, body: file });
  const body = await jsonOf(response);
  if (response.status === 422) {
    const rejected = RosterRejected.safeParse(body);
    if (rejected.success) throw new RosterImportError(rejected.data.detail, rejected.data.rows);
  }
  if (!response.ok) throw errorOf(response, body);
  const parsed = RosterImported.safeParse(body);
  if (!parsed.success) throw new ClientError('INTERNAL', `unexpected answer from ${url}: ${parsed.error.message}`);
  return parsed.data;
}

/** Where the roster's template is (a link the browser downloads with the session cookie). */
export function rosterTemplateUrl(orgId: string, kind: RosterFileKind): string {
  return kind === 'csv' ? ORG_ROUTES.rosterTemplateCsv.path({ orgId }) : ORG_ROUTES.rosterTemplateXlsx.path({ orgId });
}

/** `POST /orgs/:orgId/consultations`: the room, the chair's invite and one invite per member. */
export function createConsultation(orgId: string, body: CreateConsultationBody): Promise<CreatedConsultation> {
  return requestJson(ORG_ROUTES.consultationsOfOrg.path({ orgId }), CreatedConsultation, { method: 'POST', body });
}

/** `GET /consultations?orgId&q&from&to`: newest first. */
export async function consultations(search: ConsultationSearch = {}): Promise<ListedConsultation[]> {
  const url = ORG_ROUTES.consultations.path() + query(search);
  return (await requestJson(url, ConsultationList)).consultations;
}

/** `GET /orgs/:orgId/duties?from&to`. */
export function duties(orgId: string, period: DutyPeriod = {}): Promise<DutyRecords> {
  return requestJson(ORG_ROUTES.duties.path({ orgId }) + query(period), DutyRecords);
}

/** Where the duty records are as a file, for a download link. */
export function dutiesFileUrl(orgId: string, kind: 'csv' | 'xlsx', period: DutyPeriod = {}): string {
  const route = kind === 'csv' ? ORG_ROUTES.dutiesCsv : ORG_ROUTES.dutiesXlsx;
  return route.path({ orgId }) + query(period);
}

/** Where a consultation's invites are as CSV (every link, for the office's own messaging). */
export function invitesCsvUrl(roomId: string): string {
  return ORG_ROUTES.invitesCsv.path({ roomId });
}

/** Fetches one of the files above (a template, the duty records, the invites). */
export async function fetchFile(url: string, fallbackName: string): Promise<DownloadedFile> {
  const response = await send(url, { headers: { Accept: '*/*' } });
  if (!response.ok) throw errorOf(response, await jsonOf(response));
  return { blob: await response.blob(), fileName: fileNameOf(response.headers.get('content-disposition'), fallbackName) };
}

function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

async function send(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { cache: 'no-store', credentials: 'same-origin', ...init });
  } catch (error) {
    throw new ClientError('DISCONNECTED', error instanceof Error ? error.message : 'fetch failed');
  }
}

async function jsonOf(response: Response): Promise<unknown> {
  try {
    const body: unknown = await response.clone().json();
    return body;
  } catch (error) {
    // A file, a 204, or a proxy's HTML page: no JSON to read.
    if (!response.ok) console.warn(`HTTP ${response.status} without a JSON body`, error);
    return null;
  }
}

function errorOf(response: Response, body: unknown): ClientError {
  const parsed = ApiErrorBody.safeParse(body);
  if (parsed.success) return new ClientError(parsed.data.error, parsed.data.detail, parsed.data.retryAfterMs);
  return new ClientError(response.status === 401 ? 'UNAUTHORIZED' : 'INTERNAL', `HTTP ${response.status}`);
}
