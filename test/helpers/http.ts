/**
 * The HTTP API as tests and benches call it: every answer parsed with its schema from the
 * contract (signaling/http/*, signaling/comments/api.ts), never cast. An answer that is not
 * what the contract says fails the test with its status and body, so the failure shows what
 * the server sent.
 */
import type { z } from 'zod';

/** One request: its method, a bearer token (the admin secret or an invite), a JSON body, more headers. */
export type JsonRequest = {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  bearer?: string;
  body?: unknown;
  headers?: Record<string, string>;
};

/** `res`'s body parsed with `schema`, whatever its status; throws with the status and the body if it does not match. */
export async function readJson<S extends z.ZodType>(res: Response, schema: S): Promise<z.output<S>> {
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`${res.url}: HTTP ${res.status}, not JSON: ${text.slice(0, 2000)}`);
  }
  return parseAnswer(schema, body, `${res.url}: HTTP ${res.status}`, text);
}

/** `body` (an answer's JSON) parsed with `schema`; throws naming `what` and showing `text` if it does not match. */
export function parseAnswer<S extends z.ZodType>(schema: S, body: unknown, what: string, text: string): z.output<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new Error(`${what}, not the contract's answer: ${parsed.error.message}\nbody: ${text.slice(0, 2000)}`);
  return parsed.data;
}

/** Requests `url`: a 2xx answer parsed with `schema`; any other status throws with the body. */
export async function requestJson<S extends z.ZodType>(url: string, schema: S, request: JsonRequest = {}): Promise<z.output<S>> {
  const res = await fetch(url, {
    method: request.method ?? 'GET',
    headers: {
      ...(request.bearer === undefined ? {} : { authorization: `Bearer ${request.bearer}` }),
      ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...request.headers,
    },
    ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
  });
  if (!res.ok) throw new Error(`${request.method ?? 'GET'} ${url}: HTTP ${res.status}: ${(await res.text()).slice(0, 2000)}`);
  return readJson(res, schema);
}

/** `GET url`, its answer parsed with `schema`. */
export function getJson<S extends z.ZodType>(url: string, schema: S, request: Omit<JsonRequest, 'method' | 'body'> = {}): Promise<z.output<S>> {
  return requestJson(url, schema, { ...request, method: 'GET' });
}

/** `POST url` with `body` as JSON, its answer parsed with `schema`. */
export function postJson<S extends z.ZodType>(url: string, body: unknown, schema: S, request: Omit<JsonRequest, 'method' | 'body'> = {}): Promise<z.output<S>> {
  return requestJson(url, schema, { ...request, method: 'POST', body });
}
