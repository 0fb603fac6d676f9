/** What a join page learns from its invite link before joining (signaling/http/invites.ts). */
import { INVITE_ROUTES, InviteInfo } from '../../../signaling/http/invites.js';
import { requestJson } from './http.js';

export type { InviteInfo, RoomSummary } from '../../../signaling/http/invites.js';

/** Fetches and checks what an invite grants; a bad or expired token fails with UNAUTHORIZED. */
export function fetchInviteInfo(token: string): Promise<InviteInfo> {
  return requestJson(INVITE_ROUTES.invite.path({ token }), InviteInfo);
}

/** The QR code image of an invite's join link. */
export function inviteQrUrl(token: string): string {
  return INVITE_ROUTES.qrSvg.path({ token });
}
