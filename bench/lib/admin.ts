/**
 * Rooms and invites for the benchmarks, through the real admin REST API (as an organiser
 * would), with the answers checked rather than cast.
 */
import type { z } from 'zod';
import { ADMIN_ROUTES, CreatedRoom, IssuedInvites, MAX_INVITES_PER_REQUEST } from '../../signaling/http/admin.js';
import type { Role } from '../../signaling/room/state.js';

/** Where the admin API is and its secret. */
export type AdminApi = { url: string; adminSecret: string };

async function call<S extends z.ZodType>(api: AdminApi, path: string, body: unknown, schema: S): Promise<z.output<S>> {
  const res = await fetch(`${api.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${api.adminSecret}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
  return schema.parse(await res.json());
}

/** Creates a consultation with one venue, `city`; answers its id and the host's invite. */
export async function createRoom(api: AdminApi, expectedMembers: number, settings: { open?: boolean } = {}): Promise<{ roomId: string; hostInvite: string }> {
  const created = await call(
    api,
    ADMIN_ROUTES.rooms.path(),
    { topic: '基准测试 · 信令', venues: [{ id: 'city', name: '主会场', expectedMembers }], settings },
    CreatedRoom,
  );
  return { roomId: created.roomId, hostInvite: created.hostInvite.token };
}

/** Issues `count` unnamed invites of one role at `city`, in as few requests as the API allows. */
export async function issueInvites(api: AdminApi, roomId: string, role: Role, count: number): Promise<string[]> {
  const tokens: string[] = [];
  while (tokens.length < count) {
    const batch = Math.min(MAX_INVITES_PER_REQUEST, count - tokens.length);
    const issued = await call(api, ADMIN_ROUTES.invites.path({ roomId }), { role, venue: 'city', count: batch }, IssuedInvites);
    if (issued.invites.length !== batch) throw new Error(`asked for ${batch} invites, got ${issued.invites.length}`);
    tokens.push(...issued.invites.map((i) => i.token));
  }
  return tokens;
}
