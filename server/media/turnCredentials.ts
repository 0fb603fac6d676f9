/**
 * Short-lived TURN credentials in coturn's shared-secret scheme (its "REST API": `use-auth-secret`
 * with `static-auth-secret`). The username carries its own expiry, the password is an HMAC of
 * the username with the secret coturn shares, so coturn checks a credential without asking us
 * and nobody keeps a list of them.
 */
import { createHmac } from 'node:crypto';
import type { IceServer, TransportOptions } from '../../signaling/protocol.js';

/** The relays of config.turn. */
export type TurnConfig = { urls: string[]; secret: string; ttlSeconds: number };

/** The relays a participant or viewer may use now; undefined when no TURN server is configured. */
export type Relays = (holderId: string) => IceServer[] | undefined;

/** coturn's password for a REST-API username: base64(HMAC-SHA1(secret, username)). */
export function turnPassword(secret: string, username: string): string {
  return createHmac('sha1', secret).update(username).digest('base64');
}

/**
 * The ICE servers of one holder (participant or viewer id), valid `ttlSeconds` from `nowMs`.
 * NOTE: coturn reads the part of the username before the first ':' as the expiry in Unix
 * seconds; the id after it names the holder in coturn's log (which allocation is whose).
 */
export function mintIceServers(turn: TurnConfig, holderId: string, nowMs: number): IceServer[] {
  const expiry = Math.floor(nowMs / 1000) + turn.ttlSeconds;
  const username = `${expiry}:${holderId}`;
  return [{ urls: [...turn.urls], username, credential: turnPassword(turn.secret, username) }];
}

/** Relays minted at each hand-out (fresh credentials every time), or none without TURN. */
export function turnRelays(turn: TurnConfig | undefined, clock: () => number): Relays {
  if (turn === undefined) return () => undefined;
  return (holderId) => mintIceServers(turn, holderId, clock());
}

/**
 * A transport's options as they are handed to its client: with the relays and credentials
 * minted now when TURN is configured, as they are without. Every hand-out (a join, a resume, a
 * viewer's watch) goes through here, so none of them forgets the relays.
 */
export function withRelays(options: TransportOptions, relays: Relays, holderId: string): TransportOptions {
  const iceServers = relays(holderId);
  return iceServers === undefined ? options : { ...options, iceServers };
}
