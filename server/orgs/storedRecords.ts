/**
 * What the directory's backends read back, checked before it becomes a domain value. The
 * records are the directory's own writes, but a file or a Redis key can be damaged or edited by
 * hand, and an account read wrongly decides who may log in: a bad record stops loudly with where
 * it is instead of flowing on.
 */
import { z } from 'zod';
import { AccountSchema, OrgIdSchema, type RosterMember } from '../../signaling/orgs/model.js';

/** An account with its password hash. */
export const StoredAccountSchema = AccountSchema.extend({ passwordHash: z.string().min(1) });

/** A login session. */
export const StoredSessionSchema = z.object({
  tokenHash: z.string().min(1),
  accountId: OrgIdSchema,
  createdAt: z.number().int().nonnegative(),
  expiresAt: z.number().int().nonnegative(),
});

/** A member invite's link to its roster member. */
export const MemberInviteLinkSchema = z.object({ roomId: z.string().min(1), inviteId: z.string().min(1), memberId: OrgIdSchema });

/** Thrown when a stored record does not have the shape the directory wrote. */
export class CorruptRecordError extends Error {
  constructor(where: string, problem: string, options?: { cause: unknown }) {
    super(`org directory: corrupt record (${where}): ${problem}`, options);
    this.name = 'CorruptRecordError';
  }
}

/** `value` parsed with `schema`, or a CorruptRecordError naming `where`. */
export function parseRecord<T extends z.ZodType>(schema: T, value: unknown, where: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new CorruptRecordError(where, z.prettifyError(parsed.error), { cause: parsed.error });
  return parsed.data;
}

/** A JSON text parsed with `schema`, or a CorruptRecordError naming `where`. */
export function parseJsonRecord<T extends z.ZodType>(schema: T, text: string, where: string): z.output<T> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CorruptRecordError(where, 'not JSON', { cause: error });
  }
  return parseRecord(schema, value, where);
}

/** A roster batch naming another organisation is a caller's mistake: refused before anything is written. */
export function assertMembersOf(orgId: string, members: readonly RosterMember[]): void {
  const stray = members.find((m) => m.orgId !== orgId);
  if (stray) throw new TypeError(`roster member ${stray.memberId} belongs to ${stray.orgId}, not ${orgId}`);
}
