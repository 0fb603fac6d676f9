/** For the HTTP routes' tests: an app served on a free loopback port. */
import { createServer, type RequestListener, type Server } from 'node:http';

/** Serves `app` on 127.0.0.1 at a free port; `url` is its base, with `prefix` (e.g. `/api`). */
export async function listenOnLoopback(app: RequestListener, prefix = ''): Promise<{ server: Server; url: string }> {
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('expected a TCP address');
  return { server, url: `http://127.0.0.1:${address.port}${prefix}` };
}
