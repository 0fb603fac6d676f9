/**
 * Short codes of invites (`/j/<code>`) and meeting numbers (会议号): their shapes, shared by the
 * server that makes and looks them up and the pages that take them from a person.
 */

/**
 * Base58: letters and digits without 0, O, I and l, which a person copying a printed link
 * confuses. Eight of them are 58^8 ≈ 1.3·10^14 codes: with lookups limited per address
 * (server/limits/Limits.ts), guessing one of even ten thousand issued codes takes years.
 */
export const SHORT_CODE_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
/** Characters of a short code. */
export const SHORT_CODE_LENGTH = 8;
/** A well-formed short code. */
export const SHORT_CODE = /^[1-9A-HJ-NP-Za-km-z]{8}$/;

/**
 * Nine digits, the first not 0, as 腾讯会议's: typed by people, so digits only. A meeting number
 * leads to the room's public entry and nothing more, so being found by a guess costs little;
 * lookups are limited per address all the same, so rooms cannot be listed by trying numbers.
 */
export const MEETING_NUMBER = /^[1-9][0-9]{8}$/;

/** What a person typed as a meeting number, without the spaces and dashes they may group it with. */
export function normalizeMeetingNumber(typed: string): string {
  return typed.replace(/[\s\-－—·.]/g, '');
}

/** `123456789` as people read it: `123 456 789`. */
export function formatMeetingNumber(number: string): string {
  return number.replace(/^(\d{3})(\d{3})(\d{3})$/, '$1 $2 $3');
}
