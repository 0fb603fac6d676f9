/** The comment routes over HTTP, as a browser or the staff call them (bench/comments.ts, bench/public-comments.ts, bench/staff-queue.ts). */
import { z } from 'zod';

/** Where and as whom: the server, the room, and the bearer token (an invite, or the admin secret). */
export type Api = { url: string; roomId: string; token: string };

/** One request; throws on any status of 300 or more. Answers the JSON and the browser cookie set, if any. */
export async function http(api: Api, method: string, path: string, body?: unknown, cookie?: string): Promise<{ status: number; json: unknown; cookie: string | undefined }> {
  const res = await fetch(`${api.url}/api${path}`, {
    method,
    headers: {
      authorization: `Bearer ${api.token}`,
      ...(cookie === undefined ? {} : { cookie }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json: unknown = await res.json();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return { status: res.status, json, cookie: res.headers.get('set-cookie')?.split(';')[0] };
}

/**
 * Opens a room's comments from a minute ago for a day, as the organiser does (the admin secret),
 * with `extra` settings (background, themes, held words) if given.
 */
export async function openComments(server: { url: string; adminSecret: string }, roomId: string, extra: { background?: string; themes?: string[]; heldWords?: string[] } = {}): Promise<void> {
  const now = Date.now();
  const settings = { opensAt: now - 60_000, closesAt: now + 24 * 3_600_000, background: '', themes: [], heldWords: [], ...extra };
  await http({ url: server.url, roomId, token: server.adminSecret }, 'PUT', `/admin/rooms/${roomId}/comments`, settings);
}

/**
 * `count` comments submitted as one browser of the public (`publicApi`, the per-browser limit
 * raised), 20 at a time, each approved at once by the staff (`staffApi`) unless `approve` is
 * false; answers their ids in the order made.
 */
export async function seedComments(publicApi: Api, staffApi: Api | null, count: number, label = (i: number) => `第 ${i + 1} 条`): Promise<string[]> {
  const { cookie } = await http(publicApi, 'GET', `/comments/${publicApi.roomId}`);
  if (cookie === undefined) throw new Error('no browser cookie');
  const ids: string[] = [];
  for (let start = 0; start < count; start += 20) {
    const batch = Array.from({ length: Math.min(20, count - start) }, (_, i) => start + i);
    ids.push(
      ...(await Promise.all(
        batch.map(async (i) => {
          const text = `${label(i)}：建议加装电梯时统筹考虑低层住户的采光与通行，资金按楼层分摊。`;
          const { json } = await http(publicApi, 'POST', `/comments/${publicApi.roomId}`, { name: `居民${i + 1}`, place: '一区', text }, cookie);
          const id = z.object({ comment: z.object({ id: z.string() }) }).parse(json).comment.id;
          if (staffApi !== null) await http(staffApi, 'POST', `/comments/${staffApi.roomId}/${id}/moderate`, { action: 'approve' });
          return id;
        }),
      )),
    );
  }
  return ids;
}
