/**
 * What an invite link claims, read from the token itself without checking its signature: only
 * to choose the page (the public's watching page or the join page). The server verifies every
 * use; a token that lies about its role is refused there.
 */
import { InviteClaims } from '../../../signaling/invite.js';

/** The claims in a JWT invite's payload, or null when it has none readable. */
export function peekInvite(token: string): InviteClaims | null {
  const payload = token.split('.')[1];
  if (payload === undefined) return null;
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4)), (c) => c.charCodeAt(0));
    const parsed = InviteClaims.safeParse(JSON.parse(new TextDecoder().decode(bytes)));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
