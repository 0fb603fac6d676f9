/**
 * What a log line may say about an HTTP request: its method, the pattern of the route it took
 * (`/api/invites/:token`, never the token itself, nor the query string, nor any header) and
 * the room it concerns.
 */
import type { Request } from 'express';

/** Fields of a log line about `req`. */
export function requestFields(req: Request): { method: string; route: string; roomId?: string } {
  const route: unknown = (req.route as { path?: unknown } | undefined)?.path;
  const pattern = typeof route === 'string' ? `${req.baseUrl}${route}` : `${req.baseUrl}/(no route)`;
  const at = pattern.split('/').indexOf(':roomId');
  const roomId = at < 0 ? undefined : (req.originalUrl.split('?')[0] ?? '').split('/')[at];
  return { method: req.method, route: pattern, ...(roomId ? { roomId: decodeURIComponentSafe(roomId) } : {}) };
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
