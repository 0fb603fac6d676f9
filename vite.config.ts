/**
 * The browser client: sources in client/, built into dist/client for the server to serve.
 * In development, Vite proxies the server's endpoints so the page stays same-origin.
 */
import react from '@vitejs/plugin-react';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

const server = process.env['WSL_SERVER_URL'] ?? 'http://localhost:3000';

/** Files worth a compressed copy: text the page loads, over a kilobyte. */
const COMPRESSIBLE = /\.(js|css|svg)$/;
const MIN_BYTES = 1024;

/**
 * Writes a Brotli (.br) and a gzip (.gz) copy beside each built script, style sheet and SVG, at
 * the strongest settings: done once here, they are sent to every browser that accepts them
 * (server/http/compressedAssets.ts).
 */
function precompress(): Plugin {
  return {
    name: 'precompress',
    apply: 'build',
    writeBundle(options, bundle) {
      const outDir = options.dir ?? '';
      for (const [fileName, output] of Object.entries(bundle)) {
        if (!COMPRESSIBLE.test(fileName)) continue;
        const bytes = Buffer.from(output.type === 'chunk' ? output.code : output.source);
        if (bytes.length < MIN_BYTES) continue;
        const file = path.join(outDir, fileName);
        writeFileSync(`${file}.br`, brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }));
        writeFileSync(`${file}.gz`, gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION }));
      }
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('./client', import.meta.url)),
  plugins: [react(), precompress()],
  build: {
    outDir: fileURLToPath(new URL('./dist/client', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    proxy: {
      '/socket.io': { target: server, ws: true },
      '/api': { target: server },
      '/healthz': { target: server },
      // The program's live HLS stream (the public page's 流畅模式).
      '/stream': { target: server },
    },
  },
});
