/**
 * Organisations (the city body and its district bodies), the people who run their
 * consultations (accounts), and each body's members (the roster). Shared by the server, the
 * admin page and the tests; free of Node and DOM.
 *
 * An organisation may have a parent: the city body is a root, each district body's parent is
 * the city. Who may do what in which organisation is decided in access.ts, and only there.
 */
import { z } from 'zod';

/** What an account may do in its organisation (access.ts says what each means). */
export const ORG_ROLES = ['administrator', 'organiser'] as const;
/** administrator: accounts, sub-organisations and everything an organiser does; organiser: consultations, roster, duty records. */
export type OrgRole = (typeof ORG_ROLES)[number];

/** Ids made by the server: random, URL-safe. */
export const OrgIdSchema = z.string().regex(/^[A-Za-z0-9_-]{6,40}$/, 'id: 6 to 40 letters, digits, _ or -');

/** A body that holds consultations. */
export const OrganisationSchema = z.object({
  orgId: OrgIdSchema,
  name: z.string().trim().min(1).max(64),
  /** The body above it (a district's city); null for a root. */
  parentId: OrgIdSchema.nullable(),
  /** Epoch ms. */
  createdAt: z.number().int().nonnegative(),
});
export type Organisation = z.infer<typeof OrganisationSchema>;

/** A login name: what a person types, compared case-insensitively (stored lower-cased). */
export const UsernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9._@-]{3,64}$/, 'username: 3 to 64 letters, digits, . _ @ or -');

/** Long enough to resist guessing with the login limit in place; long passphrases welcome. */
export const PasswordSchema = z.string().min(10, 'password: at least 10 characters').max(200);

/** An account as the API shows it (never its password hash). */
export const AccountSchema = z.object({
  accountId: OrgIdSchema,
  username: UsernameSchema,
  displayName: z.string().trim().min(1).max(64),
  orgId: OrgIdSchema,
  role: z.enum(ORG_ROLES),
  /** Epoch ms. */
  createdAt: z.number().int().nonnegative(),
  /** A disabled account cannot log in; its open sessions end. */
  disabled: z.boolean(),
});
export type Account = z.infer<typeof AccountSchema>;

/** The roster's editable fields: what an office keeps about a member (委员). */
export const RosterFieldsSchema = z.object({
  name: z.string().trim().min(1).max(64),
  /** 界别 */
  sector: z.string().trim().max(64).default(''),
  /**
   * The venue the member attends from (a venue id of the consultations: letters, digits, _ or -,
   * e.g. `city`, `d1`); empty: the organiser picks when creating a consultation.
   */
  venue: z
    .string()
    .trim()
    .max(64)
    .regex(/^[A-Za-z0-9_-]*$/, 'venue: letters, digits, _ or -')
    .default(''),
  /** 所属区县 / 单位: free text shown in the roster and the duty records. */
  district: z.string().trim().max(64).default(''),
  phone: z.string().trim().max(32).default(''),
  email: z.string().trim().max(128).default(''),
  note: z.string().trim().max(200).default(''),
});
export type RosterFields = z.infer<typeof RosterFieldsSchema>;

/** One member of an organisation's roster. */
export const RosterMemberSchema = RosterFieldsSchema.extend({
  memberId: OrgIdSchema,
  orgId: OrgIdSchema,
  /** Epoch ms. */
  updatedAt: z.number().int().nonnegative(),
});
export type RosterMember = z.infer<typeof RosterMemberSchema>;

/** Members one organisation's roster may hold (a city body has a few hundred). */
export const MAX_ROSTER_MEMBERS = 5_000;
