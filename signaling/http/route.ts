/**
 * A route of the HTTP API: its express pattern (relative to the `/api` mount) and the path a
 * caller fills in, from one string, so the server's route and the client's URL cannot drift.
 */

/** Where the API is mounted. */
export const API_PREFIX = '/api';

/** The `:name` parameters of a pattern, e.g. `'roomId' | 'inviteId'`. */
export type RouteParams<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | RouteParams<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;

/** One route: `pattern` for express, `path()` for callers (with `/api` and each value URL-encoded). */
export type ApiRoute<P extends string> = {
  readonly pattern: P;
  path(...params: [RouteParams<P>] extends [never] ? [] : [Record<RouteParams<P>, string>]): string;
};

const PARAM = /:([A-Za-z]+)/g;

/** The route of `pattern`. */
export function apiRoute<P extends string>(pattern: P): ApiRoute<P> {
  return {
    pattern,
    path: (...args: [Record<string, string>?]) => {
      const params = args[0] ?? {};
      return API_PREFIX + pattern.replace(PARAM, (_, name: string) => {
        const value = params[name];
        // Unreachable from typed code: the type asks for every parameter.
        if (value === undefined) throw new TypeError(`route ${pattern} needs :${name}`);
        return encodeURIComponent(value);
      });
    },
  };
}
