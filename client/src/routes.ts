/** The pages of the site, chosen from the address (no router library needed). */

/** A page and what its address carries. */
export type Route = { page: 'landing' } | { page: 'join'; invite: string | null } | { page: 'admin' } | { page: 'short'; code: string };

/** The page for `pathname` and `search`; anything unknown is the landing page. */
export function parseRoute(pathname: string, search: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/join') {
    const invite = new URLSearchParams(search).get('invite');
    return { page: 'join', invite: invite !== null && invite.trim() !== '' ? invite.trim() : null };
  }
  if (path === '/admin') return { page: 'admin' };
  // A short link `/j/<code>`: the page looks the code up (the server checks its shape).
  const short = /^\/j\/([^/]{1,64})$/.exec(path);
  if (short?.[1] !== undefined) return { page: 'short', code: short[1] };
  return { page: 'landing' };
}

/** The join link of an invite on this site. */
export function joinLink(origin: string, invite: string): string {
  return `${origin}/join?invite=${encodeURIComponent(invite)}`;
}
