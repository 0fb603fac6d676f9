/**
 * Creates consultations and invites through the real admin API, as an organiser would.
 */
import type { Role } from '../../signaling/room/state.js';

/** Settings a test room may start with. */
export type TestRoomSettings = { open?: boolean; floorOnly?: boolean; defaultSpeechSeconds?: number; warningSeconds?: number; graceSeconds?: number };

/** Any server the admin API can be reached on. */
type AdminTarget = { url: string; adminSecret: string };

async function api<T>(server: AdminTarget, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${server.url}/api${path}`, {
    method,
    headers: { authorization: `Bearer ${server.adminSecret}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Creates a consultation with venues city, d1, d2; answers its id and the host's invite token. */
export async function createRoom(server: AdminTarget, settings: TestRoomSettings = {}): Promise<{ roomId: string; hostInvite: string }> {
  const created = await api<{ roomId: string; hostInvite: { token: string } }>(server, 'POST', '/rooms', {
    topic: '老旧小区加装电梯协商',
    venues: [
      { id: 'city', name: '主会场', expectedMembers: 2 },
      { id: 'd1', name: '一区分会场', expectedMembers: 2 },
      { id: 'd2', name: '二区分会场', expectedMembers: 1 },
    ],
    settings,
  });
  return { roomId: created.roomId, hostInvite: created.hostInvite.token };
}

/** Issues one invite; answers its token. */
export async function invite(server: AdminTarget, roomId: string, role: Role, venue = 'city', name?: string): Promise<string> {
  const issued = await api<{ invites: Array<{ token: string }> }>(server, 'POST', `/rooms/${roomId}/invites`, {
    role,
    venue,
    ...(name ? { name } : {}),
  });
  const token = issued.invites[0]?.token;
  if (!token) throw new Error('no invite issued');
  return token;
}
