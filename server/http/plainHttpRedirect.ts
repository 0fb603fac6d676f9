/**
 * A plain-HTTP request to the HTTPS port: somebody typed `192.168.1.10:3000` (browsers do not
 * upgrade addresses to https:// by themselves) or followed an old http:// link. Instead of the
 * empty answer a TLS server gives, it is sent to the same address over https://, and sees
 * nothing of the app over plain HTTP.
 */
import type { Socket } from 'node:net';
import type { Server as TlsServer } from 'node:tls';

/** The first byte of every TLS connection: a handshake record. */
const TLS_HANDSHAKE = 0x16;
/** How long a new connection may stay silent before its first byte. */
const FIRST_BYTE_MS = 10_000;
const REQUEST_LINE = /^[A-Z]{3,10} (\/[\x21-\x7e]*) HTTP\/1\.[01]\r?\n/;
const HOST_HEADER = /\r?\nhost:[ \t]*([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?[ \t]*\r?\n/i;
const NOT_HTTPS = '此地址需用 https:// 打开。\nThis address is served over https:// only.\n';

/**
 * Makes `server` look at each connection's first byte: TLS goes on to the server as usual;
 * anything else is answered with a redirect to https:// (or a 400) and closed.
 */
export function redirectPlainHttp(server: TlsServer): void {
  // NOTE: tls.Server starts every handshake from its own 'connection' listener (set up by its
  // constructor); it is taken out and called once the first byte says the connection is TLS.
  // The byte read is put back with unshift(), and TLSSocket takes over what was read before it.
  const startTls = server.listeners('connection');
  if (startTls.length !== 1) throw new TypeError('redirectPlainHttp() must be called on a fresh tls.Server');
  const [handshake] = startTls as [(socket: Socket) => void];
  server.removeAllListeners('connection');
  server.on('connection', (socket: Socket) => {
    // Until TLS takes the socket, its errors (a reset) are ours to handle, or they would throw.
    const drop = (): void => {
      socket.destroy();
    };
    socket.on('error', drop);
    socket.setTimeout(FIRST_BYTE_MS, drop);
    socket.once('data', (chunk: Buffer) => {
      socket.setTimeout(0);
      socket.off('timeout', drop);
      socket.pause();
      if (chunk[0] === TLS_HANDSHAKE) {
        socket.off('error', drop);
        socket.unshift(chunk);
        handshake.call(server, socket);
        return;
      }
      socket.end(answer(chunk.toString('latin1')));
    });
  });
}

/** A 307 to the same host, port and path over https://, or a 400 when the request says neither. */
function answer(request: string): string {
  const path = REQUEST_LINE.exec(request)?.[1];
  const host = HOST_HEADER.exec(request);
  const body = Buffer.from(NOT_HTTPS, 'utf8');
  const common = `Content-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\nConnection: close\r\n`;
  if (path === undefined || host === null) return `HTTP/1.1 400 Bad Request\r\n${common}\r\n${NOT_HTTPS}`;
  // NOTE: temporary (307), not permanent: an operator may serve plain HTTP on this port again,
  // and browsers would keep a permanent redirect.
  return `HTTP/1.1 307 Temporary Redirect\r\nLocation: https://${host[1]}${host[2] ?? ''}${path}\r\n${common}\r\n${NOT_HTTPS}`;
}
