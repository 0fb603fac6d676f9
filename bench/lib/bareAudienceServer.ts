/**
 * The baseline of bench/audience.ts, run as a process of its own: a bare Socket.IO server with
 * the product's engine settings that answers `audience:join` with the same answer the product
 * gave (BARE_ANSWER, JSON) and puts the socket in one channel, nothing else. It prints
 * `listening <port>` once it listens.
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const answer: unknown = JSON.parse(process.env['BARE_ANSWER'] ?? '{}');
const http = createServer();
// The same engine settings as server/app.ts, so only the product's own work differs.
const io = new Server(http, { maxHttpBufferSize: 256 * 1024, serveClient: false, pingInterval: 10_000, pingTimeout: 5_000 });
io.on('connection', (socket) => {
  socket.on('audience:join', (_payload: unknown, callback: unknown) => {
    if (typeof callback !== 'function') return;
    void socket.join('audience');
    callback({ ok: true, data: answer });
  });
});
http.listen(0, '127.0.0.1', () => {
  const address = http.address();
  if (address === null || typeof address === 'string') throw new TypeError('no TCP address');
  console.log(`listening ${address.port}`);
});
