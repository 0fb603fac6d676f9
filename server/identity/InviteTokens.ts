/**
 * Signs and verifies invite tokens (HS256 JWTs). The claims decide a participant's role and
 * venue, so a token that fails any check is refused as UNAUTHORIZED, whatever the reason.
 */
import path from 'node:path';
import { errors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { AppError } from '../../signaling/errors.js';
import { InviteClaims } from '../../signaling/invite.js';
import { loadSecret } from './adminAuth.js';

/** Shortest invite signing secret accepted from the configuration. */
export const MIN_INVITE_SECRET_LENGTH = 32;

// Issuer and audience keep other tokens that may one day share the secret (sessions, say)
// from passing as invites.
const ISSUER = 'wei-shangliang';
const AUDIENCE = 'invite';
const RESUME_AUDIENCE = 'resume';
/** A participant may come back as themself for this long after their last join. */
const RESUME_VALID_MS = 24 * 3_600_000;
/** A token whose signature checked out is remembered this long (never past its expiry). */
const VERIFIED_TTL_MS = 30_000;
/** At most this many remembered tokens; the oldest goes first. */
const MAX_VERIFIED = 10_000;

const ResumeClaims = z.object({ room: InviteClaims.shape.room, pid: z.uuid(), inv: InviteClaims.shape.inviteId });
const ALGORITHM = 'HS256';

/** Options of InviteTokens.load. */
export type InviteTokensOptions = {
  /** Where a generated secret is kept (`invite-secret`). */
  dataDir: string;
  /** A configured secret (at least 32 characters); without it one is generated and kept. */
  secret?: string;
  /**
   * Whether the organiser revoked an invite (server/invites/). Asked by verify(), so every use of
   * an invite (joining, its join page, the minutes) refuses a revoked one alike.
   */
  isRevoked?: (inviteId: string) => Promise<boolean>;
};

/** Signs invite claims into tokens and verifies tokens back into claims. */
export class InviteTokens {
  readonly #key: Uint8Array;
  readonly #isRevoked: ((inviteId: string) => Promise<boolean>) | undefined;
  /**
   * Tokens whose signature and claims checked out, until when (Date.now()). NOTE: a crowd joins
   * with one public link; checking its HMAC (WebCrypto, a trip through the thread pool) and
   * parsing its claims on every join cost ~70 µs of the event loop each. Revocation and the room
   * are still checked on every use.
   */
  readonly #verified = new Map<string, { claims: InviteClaims; until: number }>();

  private constructor(key: Uint8Array, isRevoked?: (inviteId: string) => Promise<boolean>) {
    this.#key = key;
    this.#isRevoked = isRevoked;
  }

  /** Uses the configured secret, or the one kept in `<dataDir>/invite-secret` (made if missing). */
  static async load({ dataDir, secret, isRevoked }: InviteTokensOptions): Promise<InviteTokens> {
    const loaded = loadSecret(path.join(dataDir, 'invite-secret'), MIN_INVITE_SECRET_LENGTH, secret);
    return new InviteTokens(new TextEncoder().encode(loaded.secret), isRevoked);
  }

  /** A token carrying `claims`, valid until `expiresAt`. */
  async sign(claims: InviteClaims, expiresAt: Date): Promise<string> {
    // Parsed here too: a token must never carry claims that verify() would refuse.
    const payload = InviteClaims.parse(claims);
    return new SignJWT(payload)
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.#key);
  }

  /**
   * A resume token: lets the holder of `invite` come back as participant `participantId`.
   * Signed rather than remembered, so it still works after the server restarts.
   */
  async signResume(invite: InviteClaims, participantId: string, now = Date.now()): Promise<string> {
    return new SignJWT({ room: invite.room, pid: participantId, inv: invite.inviteId })
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setIssuer(ISSUER)
      .setAudience(RESUME_AUDIENCE)
      .setExpirationTime(Math.floor((now + RESUME_VALID_MS) / 1000))
      .sign(this.#key);
  }

  /** The participant id a resume token names for this invite, or undefined if it does not fit. */
  async verifyResume(token: string, invite: InviteClaims): Promise<string | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.#key, {
        algorithms: [ALGORITHM],
        issuer: ISSUER,
        audience: RESUME_AUDIENCE,
        requiredClaims: ['exp'],
      });
      const claims = ResumeClaims.safeParse(payload);
      if (!claims.success || claims.data.room !== invite.room || claims.data.inv !== invite.inviteId) return undefined;
      return claims.data.pid;
    } catch (error) {
      // A stale or foreign resume token is no offence: the person simply joins anew.
      if (error instanceof errors.JOSEError) return undefined;
      throw error;
    }
  }

  /**
   * The claims of a valid token, for `roomId` if given; throws AppError('UNAUTHORIZED') otherwise,
   * or AppError('INVITE_REVOKED') for a genuine invite the organiser revoked.
   */
  async verify(token: string, roomId?: string): Promise<InviteClaims> {
    const claims = await this.#checked(token);
    if (roomId !== undefined && claims.room !== roomId) {
      throw new AppError('UNAUTHORIZED', 'the invite is for another room');
    }
    if (this.#isRevoked !== undefined && (await this.#isRevoked(claims.inviteId))) {
      throw new AppError('INVITE_REVOKED', 'the organiser revoked this invite');
    }
    return claims;
  }

  /** The claims of a token whose signature, issuer, audience, expiry and claims check out. */
  async #checked(token: string): Promise<InviteClaims> {
    const now = Date.now();
    const hit = this.#verified.get(token);
    if (hit !== undefined) {
      if (hit.until > now) return { ...hit.claims };
      this.#verified.delete(token);
    }
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, this.#key, {
        algorithms: [ALGORITHM],
        issuer: ISSUER,
        audience: AUDIENCE,
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      throw new AppError('UNAUTHORIZED', reasonOf(error));
    }
    const claims = InviteClaims.safeParse(payload);
    if (!claims.success) {
      throw new AppError('UNAUTHORIZED', `invite claims are malformed: ${z.prettifyError(claims.error)}`);
    }
    // requiredClaims: jwtVerify refused a token without a numeric exp.
    const expiresAt = typeof payload.exp === 'number' ? payload.exp * 1000 : now;
    if (this.#verified.size >= MAX_VERIFIED) {
      const oldest = this.#verified.keys().next();
      if (!oldest.done) this.#verified.delete(oldest.value);
    }
    this.#verified.set(token, { claims: claims.data, until: Math.min(now + VERIFIED_TTL_MS, expiresAt) });
    return { ...claims.data };
  }
}

/** Why jose refused a token, in words fit for the client. */
function reasonOf(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the invite has expired';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the invite signature is invalid';
  if (error instanceof errors.JWTClaimValidationFailed) return 'the token is not an invite';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'the invite is not signed as expected';
  if (error instanceof errors.JOSEError) return 'the invite is malformed';
  // Not jose's verdict on the token (a bug or a broken runtime): let it surface as INTERNAL.
  throw error;
}
