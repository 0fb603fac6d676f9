/**
 * Invites already verified, for the public comment routes: a phone sends its invite with every
 * upvote, and checking the signature (HMAC through WebCrypto) was a quarter of what such a
 * request cost the event loop. A token whose signature checked out is remembered for a short
 * while (never past its own expiry); its revocation is still asked on every request.
 */
import { decodeJwt } from 'jose';
import { AppError } from '../../signaling/errors.js';
import type { InviteClaims } from '../../signaling/invite.js';

const TTL_MS = 30_000;
const MAX_ENTRIES = 10_000;

export class InviteCache {
  readonly #entries = new Map<string, { claims: InviteClaims; until: number }>();
  readonly #verify: (token: string, roomId: string) => Promise<InviteClaims>;
  readonly #isRevoked: (inviteId: string) => Promise<boolean>;
  readonly #now: () => number;

  constructor(deps: { verify: (token: string, roomId: string) => Promise<InviteClaims>; isRevoked: (inviteId: string) => Promise<boolean>; now?: () => number }) {
    this.#verify = deps.verify;
    this.#isRevoked = deps.isRevoked;
    this.#now = deps.now ?? Date.now;
  }

  /** The claims of a valid, unrevoked invite of `roomId`; throws UNAUTHORIZED or INVITE_REVOKED as InviteTokens.verify does. */
  async claims(token: string, roomId: string): Promise<InviteClaims> {
    const now = this.#now();
    const hit = this.#entries.get(token);
    if (hit !== undefined && hit.until > now) {
      if (hit.claims.room !== roomId) throw new AppError('UNAUTHORIZED', 'the invite is for another room');
      if (await this.#isRevoked(hit.claims.inviteId)) throw new AppError('INVITE_REVOKED', 'the organiser revoked this invite');
      return hit.claims;
    }
    if (hit !== undefined) this.#entries.delete(token);
    const claims = await this.#verify(token, roomId);
    const exp = decodeJwt(token).exp;
    if (this.#entries.size >= MAX_ENTRIES) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(token, { claims, until: Math.min(now + TTL_MS, exp === undefined ? now : exp * 1000) });
    return claims;
  }
}
