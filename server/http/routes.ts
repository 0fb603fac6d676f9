/**
 * The HTTP side: health, the router capabilities a join page preloads, and the built client.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Express, type NextFunction, type Request, type Response, type Router } from 'express';
import helmet from 'helmet';
import type { types } from 'mediasoup';
import type { z } from 'zod';
import { Health, HEALTH_PATH, RTP_CAPABILITIES_ROUTE } from '../../signaling/http/health.js';
import { PRINT_STYLE_SOURCE } from '../export/html.js';
import type { Logger } from '../log.js';
import { compressedAssets } from './compressedAssets.js';
import { requestFields } from './requestLog.js';
import { sendJson } from './sendJson.js';

/** How long a browser may keep the client's files without asking again. */
const CLIENT_MAX_AGE_MS = 3_600_000;

/** What the HTTP routes read. */
export type HttpDeps = {
  logger: Logger;
  clientDir: string;
  /** Router capabilities, shared by every room. */
  rtpCapabilities: types.RouterRtpCapabilities;
  /** What /healthz reports; `healthy: false` answers 503, so a load balancer sends nobody here. */
  health: () => { healthy: boolean } & Omit<z.input<typeof Health>, 'status'>;
  /** Further API routers, mounted at /api before its 404, in this order (the busiest first). */
  api: Router[];
  /** Routers mounted at the root before the client's pages (GET /metrics). */
  routes?: Router[];
};

/**
 * Security headers of every page, API answer and download (helmet): scripts only from this
 * server (no inline script), no embedding in another site's frame, no type sniffing, and no
 * referrer (invite links carry their token in the URL). Media and sockets go to this server;
 * camera and microphone are for this origin only.
 */
const securityHeaders = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      // The minutes' print page, shown from a blob, inherits this policy: its style is allowed by hash.
      styleSrc: ["'self'", PRINT_STYLE_SOURCE],
      imgSrc: ["'self'", 'data:', 'blob:'],
      mediaSrc: ["'self'", 'blob:'],
      connectSrc: ["'self'"],
      fontSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      // NOTE: no upgrade-insecure-requests: a district hall may run it on plain http on the LAN,
      // where upgrading every request would break the page.
    },
  },
  referrerPolicy: { policy: 'no-referrer' },
  // HTTP on a LAN must keep working: HSTS only matters once served over HTTPS (a proxy may add it).
  strictTransportSecurity: false,
});

/** Builds the express app. */
export function createHttpApp(deps: HttpDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // No ETag on the API's answers: every one is `Cache-Control: no-store`, so no browser asks
  // again with If-None-Match, and hashing each answer (a public page is tens of KB) cost the
  // event loop on every request of the public. The client's files carry their own (serve-static).
  app.set('etag', false);
  app.use(securityHeaders);
  app.use((_req, res, next) => {
    res.setHeader('Permissions-Policy', 'camera=(self), microphone=(self), display-capture=(self), geolocation=()');
    next();
  });

  app.get(HEALTH_PATH, (_req, res) => {
    const { healthy, ...health } = deps.health();
    sendJson(res, Health, { status: healthy ? 'ok' : 'unavailable', ...health }, healthy ? 200 : 503);
  });

  app.get(RTP_CAPABILITIES_ROUTE.path(), (_req, res) => {
    // NOTE: not sendJson: mediasoup's type leaves a codec's preferredPayloadType optional, which
    // a router's own capabilities always carry and the contract (RtpCapabilitiesAnswer) requires.
    res.set('Cache-Control', 'no-store').json({ routerRtpCapabilities: deps.rtpCapabilities });
  });

  // The API first: the public's requests (a flood of upvotes and page reads) are the most
  // frequent, and each router passed over is matched against the path in vain.
  for (const router of deps.api) app.use('/api', router);
  for (const router of deps.routes ?? []) app.use(router);

  app.use('/api', (_req, res) => {
    res.status(404).json({ error: 'NOT_FOUND', detail: 'no such API' });
  });

  const index = path.join(deps.clientDir, 'index.html');
  if (existsSync(index)) {
    app.use(compressedAssets(deps.clientDir, CLIENT_MAX_AGE_MS));
    app.use(express.static(deps.clientDir, { index: false, maxAge: CLIENT_MAX_AGE_MS }));
    // Every other GET is a client route (e.g. /r/<room>): serve the app.
    app.get(/.*/, (_req, res) => {
      res.set('Cache-Control', 'no-cache').sendFile(index);
    });
  } else {
    app.get('/', (_req, res) => {
      res.status(503).type('text/plain').send('The client is not built yet: run `npm run setup`.');
    });
  }

  // Malformed requests (bad JSON, bad URL encoding) get a 4xx, never a stack trace.
  app.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const status = typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number' ? error.status : 500;
    if (status >= 500) deps.logger.error('HTTP request failed', requestFields(req), error);
    res.status(status >= 400 && status < 600 ? status : 500).json({ error: status < 500 ? 'BAD_REQUEST' : 'INTERNAL' });
  });

  return app;
}
