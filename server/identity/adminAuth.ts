/**
 * The admin secret guards room creation and invite issuing. Without a configured secret one is
 * generated at first start and kept next to the data, so a restart does not lock the admin out.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { RequestHandler } from 'express';
import { ConfigError } from '../config.js';

/** Shortest admin secret accepted from the configuration. */
export const MIN_ADMIN_SECRET_LENGTH = 16;

/** A secret and whether it was made just now (the operator must be told where to find it). */
export type LoadedSecret = { secret: string; generated: boolean };

/** The configured admin secret, or the one kept in `<dataDir>/admin-secret` (made if missing). */
export function loadAdminSecret(dataDir: string, configured?: string): LoadedSecret {
  return loadSecret(path.join(dataDir, 'admin-secret'), MIN_ADMIN_SECRET_LENGTH, configured);
}

/** The configured secret if given, else the one kept in `file`, made (32 random bytes, 0600) if missing. */
export function loadSecret(file: string, minLength: number, configured?: string): LoadedSecret {
  if (configured !== undefined) {
    if (configured.length < minLength) {
      throw new ConfigError(`the configured secret for ${path.basename(file)} must be at least ${minLength} characters`);
    }
    return { secret: configured, generated: false };
  }
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const existing = readSecretFile(file, minLength);
  if (existing !== undefined) return { secret: existing, generated: false };

  const secret = randomBytes(32).toString('base64url');
  // NOTE: written aside and then hard-linked into place: link() fails if the file exists, so
  // two processes starting at once agree on one secret and nobody reads a half-written file.
  const aside = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeDurably(aside, `${secret}\n`);
  try {
    linkSync(aside, file);
    syncDirectory(path.dirname(file));
    return { secret, generated: true };
  } catch (error) {
    if (!hasCode(error, 'EEXIST')) throw error;
    const winner = readSecretFile(file, minLength);
    if (winner === undefined) throw new ConfigError(`${file} vanished while it was being created`);
    return { secret: winner, generated: false };
  } finally {
    unlinkSync(aside);
  }
}

/**
 * Creates `file` (0600, failing if it exists) with `text`, on the disk before it returns: a
 * secret the server has started using (invites signed, ballots sealed) must not come back
 * empty after a power loss or a file system the kernel turned read-only.
 */
function writeDurably(file: string, text: string): void {
  const fd = openSync(file, 'wx', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Puts a directory's entries (a file just linked into it) on the disk. */
function syncDirectory(directory: string): void {
  const fd = openSync(directory, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Express middleware: lets a request through only with `Authorization: Bearer <secret>`. */
export function requireAdmin(secret: string): RequestHandler {
  return requireBearer(secret, 'admin');
}

/** Express middleware: lets a request through only with `Authorization: Bearer <secret>` (`realm`: whose secret, for the answer). */
export function requireBearer(secret: string, realm: string): RequestHandler {
  // Comparing fixed-length digests keeps the comparison constant-time and does not reveal the
  // secret's length through an early length check.
  const expected = digest(secret);
  return (req, res, next) => {
    const match = /^Bearer (.+)$/i.exec(req.get('authorization') ?? '');
    const given = match?.[1];
    if (given !== undefined && timingSafeEqual(digest(given), expected)) {
      next();
      return;
    }
    res
      .status(401)
      .set('WWW-Authenticate', `Bearer realm="${realm}"`)
      .json({
        error: 'UNAUTHORIZED',
        detail: given === undefined ? `${realm} secret required: Authorization: Bearer <secret>` : `wrong ${realm} secret`,
      });
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** The secret in `file`, or undefined if there is no such file. */
function readSecretFile(file: string, minLength: number): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (hasCode(error, 'ENOENT')) return undefined;
    throw error;
  }
  const secret = text.trim();
  // A short secret here means a damaged file; replacing it silently would invalidate every
  // invite handed out, so stop and let the operator decide.
  if (secret.length < minLength) throw new ConfigError(`${file} holds no usable secret (fewer than ${minLength} characters)`);
  return secret;
}

function hasCode(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && error.code === code;
}
