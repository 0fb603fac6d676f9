/**
 * The browser client: sources in client/, built into dist/client for the server to serve.
 * In development, Vite proxies the server's endpoints so the page stays same-origin.
 */
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const server = process.env['WSL_SERVER_URL'] ?? 'http://localhost:3000';

export default defineConfig({
  root: fileURLToPath(new URL('./client', import.meta.url)),
  plugins: [react()],
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
