/**
 * A browser of the public page, recognised without an account: a random id in an HTTP-only,
 * SameSite=Lax cookie, signed with HMAC-SHA256 so that nobody can pick an id (another browser's,
 * to see its pending comments, or fresh ones without asking us). A missing, malformed or forged
 * cookie gets a new id; how many new ids one address gets is limited, so dropping the cookie is
 * no way around the limit of one upvote per browser.
 */
import { createHmac, createSecretKey, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import type { Request, Response } from 'express';

export const BROWSER_COOKIE = 'wsl_browser';
/** A year: a phone that commented in spring still recognises its own comments in autumn. */
const MAX_AGE_S = 365 * 24 * 3600;
const ID = /^[A-Za-z0-9_-]{22}$/;
const MAC = /^[A-Za-z0-9_-]{43}$/;

/** Signs and checks browser ids with a key of their own, derived from a server secret. */
export class BrowserIds {
  readonly #key: KeyObject;

  constructor(secret: string) {
    // A key of its own: a browser cookie can never pass for anything else the secret signs.
    // Held as a KeyObject: each upvote checks a cookie, and a Buffer key is imported anew each time.
    this.#key = createSecretKey(createHmac('sha256', secret).update('wsl comments browser id v1').digest());
  }

  /** The browser id of a valid cookie in this request, or undefined. */
  read(req: Request): string | undefined {
    const value = cookieValue(req.get('cookie') ?? '', BROWSER_COOKIE);
    if (value === undefined) return undefined;
    const [id, mac, extra] = value.split('.');
    if (id === undefined || mac === undefined || extra !== undefined || !ID.test(id) || !MAC.test(mac)) return undefined;
    const expected = Buffer.from(this.#mac(id));
    const given = Buffer.from(mac);
    return expected.length === given.length && timingSafeEqual(expected, given) ? id : undefined;
  }

  /** A fresh id, set as the response's cookie. */
  issue(req: Request, res: Response): string {
    const id = randomBytes(16).toString('base64url');
    const parts = [`${BROWSER_COOKIE}=${id}.${this.#mac(id)}`, 'Path=/api/comments', `Max-Age=${MAX_AGE_S}`, 'HttpOnly', 'SameSite=Lax'];
    if (req.secure) parts.push('Secure');
    res.append('Set-Cookie', parts.join('; '));
    return id;
  }

  #mac(id: string): string {
    return createHmac('sha256', this.#key).update(id).digest('base64url');
  }
}

/** The value of cookie `name` in a Cookie header (the first, as browsers send the most specific first). */
function cookieValue(header: string, name: string): string | undefined {
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
