/**
 * Keys that open one recording file for a while (signaling/http/recording.ts): a player or a
 * download link cannot send the invite in a header, so the server hands out URLs that carry
 * `<expiry>.<mac>` instead, the MAC over room, part and expiry with a key of its own derived
 * from the invite secret (the same on every process, so any process opens any key).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const KEY = /^(\d{10,13})\.([A-Za-z0-9_-]{43})$/;

/** Signs and checks file keys. */
export class RecordingKeys {
  readonly #key: Buffer;

  constructor(secret: string) {
    // Its own key: a file key can never pass for anything else the secret signs.
    this.#key = createHmac('sha256', secret).update('wsl recording file key v1').digest();
  }

  /** A key opening `part` of `roomId` until `untilMs` (epoch ms, rounded down to the second). */
  sign(roomId: string, part: string, untilMs: number): string {
    const until = Math.floor(untilMs / 1000);
    return `${until}.${this.#mac(roomId, part, until)}`;
  }

  /** Whether `key` opens `part` of `roomId` at `nowMs`. */
  opens(key: string, roomId: string, part: string, nowMs: number): boolean {
    const m = KEY.exec(key);
    if (!m) return false;
    const until = Number(m[1]);
    if (until * 1000 <= nowMs) return false;
    const expected = Buffer.from(this.#mac(roomId, part, until));
    const given = Buffer.from(m[2]!);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  #mac(roomId: string, part: string, until: number): string {
    return createHmac('sha256', this.#key).update(`${roomId}\u0000${part}\u0000${until}`).digest('base64url');
  }
}
