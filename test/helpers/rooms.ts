/**
 * Creates consultations and invites through the real admin API, as an organiser would.
 */
import type { z } from 'zod';
import { ADMIN_ROUTES, CreatedRoom, CreateRoomBody, IssuedInvites, type IssueInvitesInput } from '../../signaling/http/admin.js';
import type { Role } from '../../signaling/room/state.js';
import { postJson } from './http.js';

/** Settings a test room may start with. */
export type TestRoomSettings = { open?: boolean; floorOnly?: boolean; defaultSpeechSeconds?: number; warningSeconds?: number; graceSeconds?: number; quorumPercent?: number };

/** Any server the admin API can be reached on. */
type AdminTarget = { url: string; adminSecret: string };

/** Creates a consultation with venues city, d1, d2; answers its id and the host's invite token. */
export async function createRoom(server: AdminTarget, settings: TestRoomSettings = {}): Promise<{ roomId: string; hostInvite: string }> {
  const body: z.input<typeof CreateRoomBody> = {
    topic: '老旧小区加装电梯协商',
    venues: [
      { id: 'city', name: '主会场', expectedMembers: 2 },
      { id: 'd1', name: '一区分会场', expectedMembers: 2 },
      { id: 'd2', name: '二区分会场', expectedMembers: 1 },
    ],
    settings,
  };
  const created = await postJson(`${server.url}${ADMIN_ROUTES.rooms.path()}`, body, CreatedRoom, { bearer: server.adminSecret });
  return { roomId: created.roomId, hostInvite: created.hostInvite.token };
}

/** Issues one invite; answers its token. */
export async function invite(server: AdminTarget, roomId: string, role: Role, venue = 'city', name?: string): Promise<string> {
  const body: IssueInvitesInput = { role, venue, ...(name ? { name } : {}) };
  const issued = await postJson(`${server.url}${ADMIN_ROUTES.invites.path({ roomId })}`, body, IssuedInvites, { bearer: server.adminSecret });
  const token = issued.invites[0]?.token;
  if (!token) throw new Error('no invite issued');
  return token;
}
