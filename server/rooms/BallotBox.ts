/**
 * Secret ballots on disk. The log records only that someone voted; the choice goes into the
 * poll's ballot box in the store, and what the box holds must never let anyone reading the
 * data (the SQLite file and its WAL, Redis and its append-only file, a backup of either) tell
 * whose ballot is whose.
 *
 * - While the poll is open, each ballot is sealed: AES-256-GCM under a key derived for that
 *   room and poll from the ballot secret, which lives outside the store (BALLOT_SECRET, or
 *   DATA_DIR/ballot-secret). The vote and its sealed ballot are written together (so a counted
 *   vote is never without its ballot); someone with the store's files but not the secret sees
 *   when each sealed ballot was cast, and nothing of what it says. Every sealed ballot has the
 *   same length, so not even "gave a reason" (a dissent) shows. A sealed ballot also holds its
 *   voter's venue and sector, counted into the poll's results by group at close.
 * - When the poll closes, the box is opened: the ballots are decrypted, shuffled and written
 *   back in the clear in that random order, without their venue and sector (a rare pair of
 *   venue and sector would name its voter; the result holds the counts by group that may be
 *   shown, see signaling/room/pollBreakdown.ts), in the same write as the result, and the sealed
 *   ones are erased (see EventStore.compact). From then on the box is a heap of ballots without
 *   order, time or transaction that could point at a voter, and the secret no longer matters.
 *
 * A box entry is a string: `sealed:<base64url of nonce, ciphertext and tag>` or
 * `open:<JSON ballot>`; the stores keep entries without reading them.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, randomInt } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import type { SecretBallot } from '../../signaling/room/result.js';
import { loadSecret } from '../identity/adminAuth.js';

/** Shortest ballot secret accepted from the configuration. */
export const MIN_BALLOT_SECRET_LENGTH = 32;

/** Every sealed ballot's plaintext is padded to this many bytes (a ballot with a 500-character reason fits). */
const SEALED_SIZE = 4096;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

const SEALED = 'sealed:';
const OPEN = 'open:';

const BallotContent = z.object({
  choices: z.array(z.number().int().min(0)),
  reason: z.string().optional(),
  group: z.object({ venue: z.string(), sector: z.string() }).optional(),
});

/** Options of BallotBox.load. */
export type BallotBoxOptions = {
  /** Where a generated secret is kept (`ballot-secret`). */
  dataDir: string;
  /** A configured secret (at least 32 characters); without it one is generated and kept. */
  secret?: string;
};

/** Seals, opens and shuffles the entries of secret ballot boxes. */
export class BallotBox {
  readonly #secret: Buffer;

  constructor(secret: string) {
    if (secret.length < MIN_BALLOT_SECRET_LENGTH) throw new TypeError(`a ballot secret has at least ${MIN_BALLOT_SECRET_LENGTH} characters`);
    this.#secret = Buffer.from(secret, 'utf8');
  }

  /** Uses the configured secret, or the one kept in `<dataDir>/ballot-secret` (made if missing). */
  static load({ dataDir, secret }: BallotBoxOptions): BallotBox {
    return new BallotBox(loadSecret(path.join(dataDir, 'ballot-secret'), MIN_BALLOT_SECRET_LENGTH, secret).secret);
  }

  /** The entry of a ballot cast in an open poll. */
  seal(roomId: string, ballot: SecretBallot): string {
    const plain = Buffer.from(JSON.stringify(contentOf(ballot)), 'utf8');
    if (plain.length > SEALED_SIZE) throw new TypeError(`a ballot of ${plain.length} bytes does not fit a sealed entry`);
    // NOTE: padded with spaces, which JSON ignores after the value, to one length for all.
    const padded = Buffer.alloc(SEALED_SIZE, 0x20);
    plain.copy(padded);
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key(roomId, ballot.pollId), nonce);
    cipher.setAAD(associated(roomId, ballot.pollId));
    const sealed = Buffer.concat([nonce, cipher.update(padded), cipher.final(), cipher.getAuthTag()]);
    return `${SEALED}${sealed.toString('base64url')}`;
  }

  /** The ballot an entry of this room and poll holds, sealed or open. */
  open(roomId: string, pollId: string, entry: string): SecretBallot {
    if (entry.startsWith(OPEN)) return ballotOf(pollId, entry.slice(OPEN.length), `room ${roomId}, poll ${pollId}`);
    if (!entry.startsWith(SEALED)) throw new Error(`room ${roomId}, poll ${pollId}: a ballot box entry of an unknown kind`);
    const sealed = Buffer.from(entry.slice(SEALED.length), 'base64url');
    if (sealed.length !== NONCE_BYTES + SEALED_SIZE + TAG_BYTES) throw new Error(`room ${roomId}, poll ${pollId}: a sealed ballot of the wrong size`);
    const decipher = createDecipheriv('aes-256-gcm', this.#key(roomId, pollId), sealed.subarray(0, NONCE_BYTES));
    decipher.setAAD(associated(roomId, pollId));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new Error(`room ${roomId}, poll ${pollId}: a sealed ballot does not open with this ballot secret (was BALLOT_SECRET changed?)`);
    }
    return ballotOf(pollId, plain.toString('utf8'), `room ${roomId}, poll ${pollId}`);
  }

  /** The entry of a ballot of a closed poll: in the clear, without its voter's venue and sector. */
  static opened(ballot: SecretBallot): string {
    const { group: _group, ...content } = contentOf(ballot);
    return `${OPEN}${JSON.stringify(content)}`;
  }

  #key(roomId: string, pollId: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.#secret, 'wei-shangliang ballot box', associated(roomId, pollId), 32));
  }
}

/** A random order (Fisher–Yates with a cryptographic source): nothing of the voting order survives. */
export function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

function contentOf(ballot: SecretBallot): z.infer<typeof BallotContent> {
  return {
    choices: ballot.choices,
    ...(ballot.reason === undefined ? {} : { reason: ballot.reason }),
    ...(ballot.group === undefined ? {} : { group: ballot.group }),
  };
}

function associated(roomId: string, pollId: string): Buffer {
  return Buffer.from(`${roomId}\u0000${pollId}`, 'utf8');
}

function ballotOf(pollId: string, json: string, where: string): SecretBallot {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new Error(`${where}: a ballot that is not JSON`);
  }
  const parsed = BallotContent.safeParse(value);
  if (!parsed.success) throw new Error(`${where}: a ballot of the wrong shape`);
  const { choices, reason, group } = parsed.data;
  return { pollId, choices, ...(reason === undefined ? {} : { reason }), ...(group === undefined ? {} : { group }) };
}
