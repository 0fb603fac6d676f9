/**
 * Account passwords, stored as scrypt hashes (memory-hard: each guess costs 32 MiB and tens of
 * milliseconds, so a copied store is slow to attack). The stored string carries its parameters,
 * `scrypt$<N>$<r>$<p>$<salt>$<key>` (salt and key base64url), so they can be raised later
 * without breaking the hashes already stored (needsRehash() says which to renew at login).
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** The parameters new hashes get: N = 2^15, r = 8 (32 MiB), p = 1, as OWASP's scrypt advice. */
const CURRENT = { N: 2 ** 15, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const KEY_BYTES = 32;

/**
 * Bounds on what a stored string may ask for: a damaged or planted hash must not make a login
 * allocate gigabytes or spin for minutes.
 */
const LIMITS = { minLogN: 10, maxLogN: 20, maxR: 32, maxP: 4, maxMemoryBytes: 256 * 1024 * 1024 } as const;

const STORED = /^scrypt\$(\d{1,8})\$(\d{1,3})\$(\d{1,3})\$([A-Za-z0-9_-]{16,128})\$([A-Za-z0-9_-]{16,128})$/;

type Parameters = { N: number; r: number; p: number };

/** The salted hash of `password` to store. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, KEY_BYTES, CURRENT);
  return ['scrypt', CURRENT.N, CURRENT.r, CURRENT.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Whether `password` is the one `stored` was made from; false (never a throw) for a malformed `stored`. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseStored(stored);
  if (parsed === undefined) return false;
  let key: Buffer;
  try {
    key = await derive(password, parsed.salt, KEY_BYTES, parsed.params);
  } catch {
    // Parameters within the bounds that this machine still cannot run: no login, not a 500.
    return false;
  }
  return timingSafeEqual(key, parsed.key);
}

/** Whether `stored` was made with weaker parameters than new hashes get (rehash it after a good login). */
export function needsRehash(stored: string): boolean {
  const parsed = parseStored(stored);
  if (parsed === undefined) return true;
  const { N, r, p } = parsed.params;
  return N < CURRENT.N || r < CURRENT.r || p < CURRENT.p;
}

let nobodysHash: Promise<string> | undefined;

/**
 * Spends the time verifying a password takes, and answers false: a login for a username nobody
 * has answers as slowly as one with a wrong password, so the timing does not tell which
 * usernames exist.
 */
export async function verifyUnknownAccount(password: string): Promise<false> {
  // A hash of a random password nobody knows, made once with the current parameters.
  nobodysHash ??= hashPassword(randomBytes(32).toString('base64url'));
  await verifyPassword(password, await nobodysHash);
  return false;
}

function parseStored(stored: string): { params: Parameters; salt: Buffer; key: Buffer } | undefined {
  const match = STORED.exec(stored);
  if (!match) return undefined;
  const [, n, r, p, salt, key] = match;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  const logN = Math.log2(params.N);
  if (!Number.isInteger(logN) || logN < LIMITS.minLogN || logN > LIMITS.maxLogN) return undefined;
  if (params.r < 1 || params.r > LIMITS.maxR || params.p < 1 || params.p > LIMITS.maxP) return undefined;
  if (128 * params.N * params.r > LIMITS.maxMemoryBytes) return undefined;
  const saltBytes = Buffer.from(salt ?? '', 'base64url');
  const keyBytes = Buffer.from(key ?? '', 'base64url');
  // The key's length is fixed: scrypt's shorter output is a prefix of its longer one, so a
  // truncated key would still verify.
  if (saltBytes.length < SALT_BYTES || keyBytes.length !== KEY_BYTES) return undefined;
  return { params, salt: saltBytes, key: keyBytes };
}

function derive(password: string, salt: Buffer, keyBytes: number, { N, r, p }: Parameters): Promise<Buffer> {
  // maxmem: scrypt needs about 128·N·r bytes; Node's default ceiling (32 MiB) is exactly the
  // current parameters' need and refuses them, so the ceiling follows the parameters.
  const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r };
  // NFC: the same password typed on two systems may arrive composed or decomposed.
  const text = password.normalize('NFC');
  return new Promise((resolve, reject) => {
    scrypt(text, salt, keyBytes, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}
