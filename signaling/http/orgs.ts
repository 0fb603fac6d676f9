/**
 * The organisations' API: accounts and sessions, organisations, rosters, consultations made
 * from a roster, the list of consultations and the members' duty records (委员履职记录).
 * Shared by server/http/orgRoutes.ts, the admin page (client/src/net/orgApi.ts), the tests and
 * the benches. Failures answer signaling/http/errors.ts's ApiErrorBody. Who may call what is
 * signaling/orgs/access.ts.
 *
 * A person logs in with a name and password and gets an HTTP-only session cookie
 * (SESSION_COOKIE); automation sends `Authorization: Bearer <admin secret>` instead, as for
 * the routes in admin.ts, which take either.
 *
 *   POST /auth/bootstrap          (admin secret) BootstrapBody       → 201 Me      the first organisation and its administrator; 409 once one exists
 *   POST /auth/login              LoginBody                           → Me + cookie  401 UNAUTHORIZED (one answer for a wrong name or password), 429 when too many tries
 *   POST /auth/logout                                                 → 204         ends the session
 *   GET  /auth/me                                                     → Me          401 without a session
 *   GET  /orgs                    the organisations the caller reaches → OrgList
 *   POST /orgs                    CreateOrgBody                       → 201 Organisation (administer the parent)
 *   GET  /orgs/:orgId/accounts                                        → AccountList (administer)
 *   POST /orgs/:orgId/accounts    CreateAccountBody                   → 201 Account (administer)
 *   PATCH /orgs/:orgId/accounts/:accountId  UpdateAccountBody         → Account     (administer)
 *   GET  /orgs/:orgId/roster                                          → Roster      (organise)
 *   POST /orgs/:orgId/roster      RosterFields                        → 201 RosterMember
 *   PATCH /orgs/:orgId/roster/:memberId  partial RosterFields         → RosterMember
 *   DELETE /orgs/:orgId/roster/:memberId                              → 204
 *   POST /orgs/:orgId/roster/import?mode=merge|replace  (the file's bytes; Content-Type
 *        text/csv or application/vnd.openxmlformats-officedocument.spreadsheetml.sheet)
 *                                                                    → RosterImported; 422 with every bad row, nothing changed
 *   GET  /orgs/:orgId/roster/template.csv | template.xlsx            → the file to fill in
 *   POST /orgs/:orgId/consultations  CreateConsultationBody          → 201 CreatedConsultation (organise)
 *   GET  /consultations?orgId&q&from&to                              → ConsultationList (what the caller reaches)
 *   GET  /orgs/:orgId/duties?from&to                                 → DutyRecords (organise)
 *   GET  /orgs/:orgId/duties.csv | duties.xlsx ?from&to               → the same, as a file
 *   GET  /rooms/:roomId/invites.csv                                  → every invite's link, for the office's own messaging
 */
import { z } from 'zod';
import { CreateRoomSchema } from '../room/commands.js';
import { ROLES } from '../room/state.js';
import { IssuedInvite } from './admin.js';
import { apiRoute } from './route.js';
import {
  AccountSchema,
  OrganisationSchema,
  OrgIdSchema,
  ORG_ROLES,
  PasswordSchema,
  RosterFieldsSchema,
  RosterMemberSchema,
  UsernameSchema,
} from '../orgs/model.js';

/** The session cookie: HTTP-only, SameSite=Strict, Secure over HTTPS, Path=/api. */
export const SESSION_COOKIE = 'wsl_session';
/** A session ends this long after it was last used. */
export const SESSION_IDLE_HOURS = 12;

/** The routes (see the list above). */
export const ORG_ROUTES = {
  bootstrap: apiRoute('/auth/bootstrap'),
  login: apiRoute('/auth/login'),
  logout: apiRoute('/auth/logout'),
  me: apiRoute('/auth/me'),
  orgs: apiRoute('/orgs'),
  accounts: apiRoute('/orgs/:orgId/accounts'),
  account: apiRoute('/orgs/:orgId/accounts/:accountId'),
  roster: apiRoute('/orgs/:orgId/roster'),
  rosterMember: apiRoute('/orgs/:orgId/roster/:memberId'),
  rosterImport: apiRoute('/orgs/:orgId/roster/import'),
  rosterTemplateCsv: apiRoute('/orgs/:orgId/roster/template.csv'),
  rosterTemplateXlsx: apiRoute('/orgs/:orgId/roster/template.xlsx'),
  consultationsOfOrg: apiRoute('/orgs/:orgId/consultations'),
  consultations: apiRoute('/consultations'),
  duties: apiRoute('/orgs/:orgId/duties'),
  dutiesCsv: apiRoute('/orgs/:orgId/duties.csv'),
  dutiesXlsx: apiRoute('/orgs/:orgId/duties.xlsx'),
  invitesCsv: apiRoute('/rooms/:roomId/invites.csv'),
} as const;

/** An id in a path. */
export const OrgIdParam = OrgIdSchema;

/** The roster file's columns, in the template's order: zh-CN header, then the English one the importer also accepts. */
export const ROSTER_COLUMNS = [
  { field: 'name', zh: '姓名', en: 'name', required: true },
  { field: 'sector', zh: '界别', en: 'sector', required: false },
  { field: 'venue', zh: '会场', en: 'venue', required: false },
  { field: 'district', zh: '所属区县/单位', en: 'district', required: false },
  { field: 'phone', zh: '联系电话', en: 'phone', required: false },
  { field: 'email', zh: '电子邮箱', en: 'email', required: false },
  { field: 'note', zh: '备注', en: 'note', required: false },
] as const;

/** Largest roster file accepted. */
export const MAX_ROSTER_FILE_BYTES = 2 * 1024 * 1024;

/** POST /auth/bootstrap */
export const BootstrapBody = z.object({
  orgName: OrganisationSchema.shape.name,
  username: UsernameSchema,
  displayName: AccountSchema.shape.displayName,
  password: PasswordSchema,
});
export type BootstrapBody = z.input<typeof BootstrapBody>;

/** POST /auth/login */
export const LoginBody = z.object({ username: z.string().trim().toLowerCase().min(1).max(64), password: z.string().min(1).max(200) });
export type LoginBody = z.input<typeof LoginBody>;

/** Who is logged in, and the organisations they reach (their own first). */
export const Me = z.object({ account: AccountSchema, orgs: z.array(OrganisationSchema) });
export type Me = z.infer<typeof Me>;

/** GET /orgs */
export const OrgList = z.object({ orgs: z.array(OrganisationSchema) });
export type OrgList = z.infer<typeof OrgList>;

/** POST /orgs: a body below `parentId` (only the admin secret makes another root). */
export const CreateOrgBody = z.object({ name: OrganisationSchema.shape.name, parentId: OrgIdSchema.nullable() });
export type CreateOrgBody = z.input<typeof CreateOrgBody>;

/** GET /orgs/:orgId/accounts */
export const AccountList = z.object({ accounts: z.array(AccountSchema) });
export type AccountList = z.infer<typeof AccountList>;

/** POST /orgs/:orgId/accounts */
export const CreateAccountBody = z.object({
  username: UsernameSchema,
  displayName: AccountSchema.shape.displayName,
  password: PasswordSchema,
  role: z.enum(ORG_ROLES),
});
export type CreateAccountBody = z.input<typeof CreateAccountBody>;

/** PATCH /orgs/:orgId/accounts/:accountId: a new password, name, role, or disabling. */
export const UpdateAccountBody = z
  .object({
    displayName: AccountSchema.shape.displayName,
    password: PasswordSchema,
    role: z.enum(ORG_ROLES),
    disabled: z.boolean(),
  })
  .partial()
  .refine((body) => Object.keys(body).length > 0, { message: 'nothing to change' });
export type UpdateAccountBody = z.input<typeof UpdateAccountBody>;

/** GET /orgs/:orgId/roster: the members, by sector then name. */
export const Roster = z.object({ members: z.array(RosterMemberSchema) });
export type Roster = z.infer<typeof Roster>;

/** POST /orgs/:orgId/roster and PATCH …/:memberId (partial). */
export const RosterMemberBody = RosterFieldsSchema;
export const RosterMemberPatch = RosterFieldsSchema.partial();

/** A bad row of an imported file: `row` counts from 1 as the spreadsheet shows it (the header is row 1). */
export const RosterRowError = z.object({ row: z.number().int().positive(), column: z.string(), message: z.string() });
export type RosterRowError = z.infer<typeof RosterRowError>;

/** POST …/roster/import → 200: what changed (merge matches a member by name and sector). */
export const RosterImported = z.object({ added: z.number().int(), updated: z.number().int(), removed: z.number().int(), members: z.array(RosterMemberSchema) });
export type RosterImported = z.infer<typeof RosterImported>;

/** POST …/roster/import → 422: every bad row; nothing was imported. */
export const RosterRejected = z.object({ error: z.literal('BAD_REQUEST'), detail: z.string(), rows: z.array(RosterRowError) });
export type RosterRejected = z.infer<typeof RosterRejected>;

/** POST /orgs/:orgId/consultations: the consultation and the roster members invited, each with a personal invite. */
export const CreateConsultationBody = z.object({
  room: CreateRoomSchema,
  /** Roster members to invite; each gets a named member invite for their venue (or `defaultVenue` if theirs is not one of the room's). */
  memberIds: z.array(OrgIdSchema).max(1_000),
  defaultVenue: z.string().min(1).max(64).optional(),
  /** Extra invites without a name (departments, observers) are issued on the invites page as before. */
  expiresInHours: z.number().int().min(1).max(720).default(168),
});
export type CreateConsultationBody = z.input<typeof CreateConsultationBody>;

/** An invite issued to a roster member. */
export const MemberInvite = IssuedInvite.extend({ memberId: OrgIdSchema });
export type MemberInvite = z.infer<typeof MemberInvite>;

/** POST /orgs/:orgId/consultations → 201 */
export const CreatedConsultation = z.object({
  roomId: z.string(),
  meetingNumber: z.string(),
  hostInvite: IssuedInvite,
  invites: z.array(MemberInvite),
});
export type CreatedConsultation = z.infer<typeof CreatedConsultation>;

/** Where a consultation stands. */
export const CONSULTATION_STATUSES = ['upcoming', 'running', 'ended'] as const;
/** Where its minutes stand. */
export const MINUTES_STATUSES = ['none', 'draft', 'locked', 'published'] as const;

/** One consultation in the list. */
export const ListedConsultation = z.object({
  roomId: z.string(),
  /** Null: made with the admin secret outside any organisation. */
  orgId: OrgIdSchema.nullable(),
  orgName: z.string().nullable(),
  meetingNumber: z.string(),
  topic: z.string(),
  startsAt: z.number().nullable(),
  status: z.enum(CONSULTATION_STATUSES),
  /** While running: people online and admitted members now. */
  live: z.object({ online: z.number().int(), members: z.number().int() }).nullable(),
  minutes: z.enum(MINUTES_STATUSES),
  invited: z.number().int(),
});
export type ListedConsultation = z.infer<typeof ListedConsultation>;

/** GET /consultations?orgId&q&from&to: newest first; `q` matches the topic, from/to (epoch ms) the planned start. */
export const ConsultationQuery = z.object({
  orgId: OrgIdSchema.optional(),
  q: z.string().trim().max(100).optional(),
  from: z.coerce.number().int().nonnegative().optional(),
  to: z.coerce.number().int().nonnegative().optional(),
});
export const ConsultationList = z.object({ consultations: z.array(ListedConsultation) });
export type ConsultationList = z.infer<typeof ConsultationList>;

/** A period of duty records (epoch ms, either end open). */
export const DutyQuery = z.object({ from: z.coerce.number().int().nonnegative().optional(), to: z.coerce.number().int().nonnegative().optional() });

/** One member's duties over the period. Secret ballots count in `votes` only, never with a choice. */
export const DutyCounts = z.object({
  /** Consultations they had an invite to. */
  invited: z.number().int(),
  /** Consultations they were admitted to. */
  attended: z.number().int(),
  /** Time admitted and connected, summed. */
  attendedMs: z.number().int(),
  speeches: z.number().int(),
  speakingMs: z.number().int(),
  /** Votes cast in named (open) polls. */
  namedVotes: z.number().int(),
  /** Votes cast in secret polls: that they voted, never how. */
  secretVotes: z.number().int(),
  /** 书面发言 */
  statements: z.number().int(),
  /** Their speech sections they confirmed in the minutes (核稿). */
  passagesConfirmed: z.number().int(),
});
export type DutyCounts = z.infer<typeof DutyCounts>;

export const MemberDuties = DutyCounts.extend({ memberId: OrgIdSchema, name: z.string(), sector: z.string(), district: z.string() });
export type MemberDuties = z.infer<typeof MemberDuties>;

export const SectorDuties = DutyCounts.extend({ sector: z.string(), members: z.number().int() });
export type SectorDuties = z.infer<typeof SectorDuties>;

/** GET /orgs/:orgId/duties */
export const DutyRecords = z.object({
  from: z.number().nullable(),
  to: z.number().nullable(),
  /** Consultations of the organisation in the period that were read. */
  consultations: z.number().int(),
  members: z.array(MemberDuties),
  sectors: z.array(SectorDuties),
});
export type DutyRecords = z.infer<typeof DutyRecords>;

/** Roles a roster invite carries (members are members). */
export const ROSTER_INVITE_ROLE = 'member' satisfies (typeof ROLES)[number];
