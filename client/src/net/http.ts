/**
 * JSON over HTTP to the server's API. Bodies are parsed with zod schemas, never cast; an error
 * body `{ error: CODE }` becomes a ClientError with that code.
 */
import { z } from 'zod';
import { ApiErrorBody } from '../../../signaling/http/errors.js';
import { ClientError } from '../errors.js';

/** Options of one request. */
export type RequestOptions = { method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; body?: unknown; bearer?: string };

/** A request that answers no body (204). */
export const NoContent = z.null();

/** Requests `url` and parses the JSON answer with `schema`. */
export async function requestJson<S extends z.ZodType>(url: string, schema: S, options: RequestOptions = {}): Promise<z.output<S>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.bearer !== undefined) headers['Authorization'] = `Bearer ${options.bearer}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: options.method ?? 'GET',
      headers,
      cache: 'no-store',
      // The comment routes recognise a browser by a cookie the server sets (one upvote each).
      credentials: 'same-origin',
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
  } catch (error) {
    throw new ClientError('DISCONNECTED', error instanceof Error ? error.message : 'fetch failed');
  }
  const body = await readJson(response);
  if (!response.ok) {
    const parsed = ApiErrorBody.safeParse(body);
    if (parsed.success) throw new ClientError(parsed.data.error, parsed.data.detail, parsed.data.retryAfterMs);
    throw new ClientError(response.status === 401 ? 'UNAUTHORIZED' : 'INTERNAL', `HTTP ${response.status}`);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ClientError('INTERNAL', `unexpected answer from ${url}: ${parsed.error.message}`);
  return parsed.data;
}

async function readJson(response: Response): Promise<unknown> {
  if (response.status === 204) return null;
  try {
    const body: unknown = await response.json();
    return body;
  } catch (error) {
    if (!response.ok) return null;
    throw new ClientError('INTERNAL', error instanceof Error ? error.message : 'not JSON');
  }
}
