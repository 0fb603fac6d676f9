/**
 * The rate limits (server/limits/Limits.ts) a load generator runs into because all its clients
 * come from 127.0.0.1, where the hundreds of members of a real meeting come from many addresses
 * and its host is a person. The benchmarks that need it raise exactly these, through the same
 * LIMIT_* settings an operator would use, and say so in their output; every other limit stays
 * at its default.
 */

/** A million: the ceiling of a LIMIT_* setting (server/config.ts), far above what one run sends. */
const LIFTED = '1000000';

/** Hundreds of members connecting and joining within seconds, all from one address. */
export const MANY_MEMBERS_ONE_ADDRESS = {
  LIMIT_CONNECTIONS_PER_10S_PER_ADDRESS: LIFTED,
  LIMIT_JOINS_PER_MINUTE_PER_ADDRESS: LIFTED,
} as const;

/** A host sending commands back to back (a fan-out measured command after command). */
export const HOST_BACK_TO_BACK = {
  LIMIT_COMMANDS_PER_10S: LIFTED,
  LIMIT_SOCKET_EVENTS_PER_10S: LIFTED,
} as const;

/** The public commenting and upvoting from many browsers, all from one address. */
export const PUBLIC_ONE_ADDRESS = {
  LIMIT_COMMENTS_PER_10_MINUTES_PER_BROWSER: LIFTED,
  LIMIT_COMMENTS_PER_10_MINUTES_PER_ADDRESS: LIFTED,
  LIMIT_UPVOTES_PER_MINUTE_PER_BROWSER: LIFTED,
  LIMIT_UPVOTES_PER_MINUTE_PER_ADDRESS: LIFTED,
  LIMIT_BROWSER_IDS_PER_MINUTE_PER_ADDRESS: LIFTED,
} as const;

/**
 * Joins one address has in flight at once. NOTE: the server checks at most 10 invites of one
 * address at a time and answers RATE_LIMITED beyond (MAX_UNCHECKED_JOINS_PER_ADDRESS in
 * server/limits/Limits.ts, not a setting), so more than this fails the set-up of a benchmark.
 */
export const JOINS_IN_FLIGHT_PER_ADDRESS = 10;

/** `K=V K=V` of raised limits, for a benchmark's first lines. */
export function describeLimits(limits: Readonly<Record<string, string>>): string {
  return Object.entries(limits)
    .map(([key, value]) => `${key}=${value}`)
    .join(' ');
}
