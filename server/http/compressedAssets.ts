/**
 * The built client's scripts and style sheets, sent compressed to a browser that accepts it.
 *
 * The build writes a Brotli (.br) and a gzip (.gz) copy beside each of them (vite.config.ts,
 * precompress). Here a request for such a file gets the copy the browser accepts, Brotli first,
 * with its Content-Encoding; any other request, or a browser that accepts neither, goes on to
 * express.static and the file as it is. Compressed once at build time, not at every request:
 * the public link of a topic is opened tens of thousands of times, mostly by phones.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** The encodings the build writes, in the order a browser that accepts both gets them. */
const ENCODINGS = [
  { name: 'br', suffix: '.br' },
  { name: 'gzip', suffix: '.gz' },
] as const;
type Encoding = (typeof ENCODINGS)[number]['name'];

/** URL path (/assets/x.js) → the encodings written for it. */
function compressedFiles(clientDir: string): Map<string, Set<Encoding>> {
  const found = new Map<string, Set<Encoding>>();
  for (const entry of readdirSync(clientDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const encoding = ENCODINGS.find((e) => entry.name.endsWith(e.suffix));
    if (encoding === undefined) continue;
    const relative = path.relative(clientDir, path.join(entry.parentPath, entry.name.slice(0, -encoding.suffix.length)));
    const urlPath = `/${relative.split(path.sep).join('/')}`;
    const encodings = found.get(urlPath) ?? new Set<Encoding>();
    encodings.add(encoding.name);
    found.set(urlPath, encodings);
  }
  return found;
}

/**
 * The encoding to send: the one the browser rates highest, Brotli before gzip when it rates them
 * the same (Chromium sends "gzip, deflate, br, zstd", all of the same weight, and Brotli's copy of
 * the join page's script is a fifth smaller). None without the header (plain is what a client
 * that sends none understands), and none the browser rates 0.
 */
export function preferred<T extends { name: string }>(header: string | undefined, offered: readonly T[]): T | undefined {
  if (header === undefined) return undefined;
  const weights = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.split(';').map((x) => x.trim().toLowerCase());
    if (name === '') continue;
    const q = params.find((p) => p.startsWith('q='));
    // A weight that is not a number from 0 to 1 makes the entry meaningless: ignored.
    const weight = q === undefined ? 1 : /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(q.slice(2)) ? Number(q.slice(2)) : NaN;
    if (!Number.isNaN(weight)) weights.set(name, weight);
  }
  let best: T | undefined;
  let bestWeight = 0;
  for (const encoding of offered) {
    const weight = weights.get(encoding.name) ?? weights.get('*') ?? 0;
    if (weight > bestWeight) {
      best = encoding;
      bestWeight = weight;
    }
  }
  return best;
}

/** Serves the compressed copies found in `clientDir` when it starts; `maxAgeMs` as express.static's. */
export function compressedAssets(clientDir: string, maxAgeMs: number): RequestHandler {
  const files = compressedFiles(clientDir);
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const written = files.get(req.path);
    if (written === undefined) return next();
    // Whichever copy is sent, caches must keep them apart.
    res.vary('Accept-Encoding');
    const encoding = preferred(req.get('accept-encoding'), ENCODINGS.filter((e) => written.has(e.name)));
    if (encoding === undefined) return next();
    res.type(path.extname(req.path));
    res.set('Content-Encoding', encoding.name);
    res.sendFile(`${req.path}${encoding.suffix}`, { root: clientDir, maxAge: maxAgeMs }, (error) => {
      if (!error) return;
      if (res.headersSent) return next(error);
      // The copy is gone (the client was built again under a running server): the file as it is.
      res.removeHeader('Content-Encoding');
      next();
    });
  };
}
