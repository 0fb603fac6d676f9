/**
 * The "one public entry" in front of several processes, reduced to what the tests need: a TCP
 * proxy that sends each new connection to the first upstream that accepts it. When that
 * process dies, its connections drop and the clients' reconnects land on the next one — what
 * nginx does with `proxy_next_upstream` (README, "Several processes with Redis").
 */
import { connect, createServer, type Socket } from 'node:net';

/** A running proxy. */
export type FailoverProxy = { url: string; port: number; close(): Promise<void> };

/** Listens on a free loopback port and forwards to `upstreamPorts` in order of preference. */
export async function startFailoverProxy(upstreamPorts: number[]): Promise<FailoverProxy> {
  const open = new Set<Socket>();
  const server = createServer((client) => {
    open.add(client);
    client.on('close', () => open.delete(client));
    client.on('error', () => client.destroy());
    client.pause();
    const attempt = (i: number): void => {
      const port = upstreamPorts[i];
      if (port === undefined) {
        client.destroy();
        return;
      }
      const upstream = connect(port, '127.0.0.1');
      let connected = false;
      upstream.once('connect', () => {
        connected = true;
        open.add(upstream);
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
      upstream.on('error', () => {
        if (!connected) attempt(i + 1);
        else upstream.destroy();
      });
      upstream.on('close', () => {
        open.delete(upstream);
        if (connected) client.destroy();
      });
      client.on('close', () => upstream.destroy());
    };
    attempt(0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('proxy has no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
