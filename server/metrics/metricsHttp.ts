/**
 * Where Prometheus reads the metrics: GET /metrics on the main port behind the operator's
 * bearer secret (METRICS_SECRET), and/or on a listener of its own (METRICS_HOST:METRICS_PORT)
 * without one, meant for an address only the operator's network reaches.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Router, type Response } from 'express';
import { requireBearer } from '../identity/adminAuth.js';
import type { Logger } from '../log.js';
import type { ServerMetrics } from './ServerMetrics.js';

/**
 * GET /metrics on the main port: with the secret, the metrics; without it 401; when no secret
 * is set (metrics off, or on their own port only) 404, rather than the client's page.
 */
export function metricsRoute(metrics: ServerMetrics | undefined, secret: string | undefined, logger: Logger): Router {
  const router = Router();
  if (metrics === undefined || secret === undefined) {
    router.all('/metrics', (_req, res) => {
      res.status(404).json({ error: 'NOT_FOUND', detail: 'metrics are not served on this port (see METRICS_SECRET and METRICS_PORT)' });
    });
    return router;
  }
  router.get('/metrics', requireBearer(secret, 'metrics'), (_req, res) => {
    send(metrics, res, logger);
  });
  return router;
}

function send(metrics: ServerMetrics, res: Response, logger: Logger): void {
  metrics.render().then(
    ({ contentType, body }) => res.set('Cache-Control', 'no-store').type(contentType).send(body),
    (error: unknown) => {
      logger.error('metrics could not be collected', error);
      res.status(500).json({ error: 'INTERNAL' });
    },
  );
}

/** The metrics' own listener. */
export type MetricsListener = { url: string; close(): Promise<void> };

/** Serves GET /metrics alone, without a secret, on `host:port`. */
export async function listenForMetrics(metrics: ServerMetrics, host: string, port: number, logger: Logger): Promise<MetricsListener> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('only GET /metrics is served here\n');
      return;
    }
    metrics.render().then(
      ({ contentType, body }) => res.writeHead(200, { 'Content-Type': contentType, 'Cache-Control': 'no-store' }).end(req.method === 'HEAD' ? undefined : body),
      (error: unknown) => {
        logger.error('metrics could not be collected', error);
        res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end('metrics could not be collected\n');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shown}:${address.port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
