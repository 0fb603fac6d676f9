/** The comment routes over HTTP, as a browser or the staff call them (bench/comments.ts, bench/public-comments.ts). */

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
