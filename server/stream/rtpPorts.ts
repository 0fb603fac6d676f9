/**
 * Loopback UDP port pairs for ffmpeg to receive RTP on (an even port for RTP, the next for RTCP).
 * ffmpeg binds the ports an SDP names itself, so the server finds free ones by binding them
 * for a moment. Another process could take one in between; ffmpeg then fails to start, and its
 * restart asks for new ports.
 */
import { createSocket } from 'node:dgram';
import { randomInt } from 'node:crypto';

/**
 * Where the pairs are looked for: below Linux's ephemeral ports (32768–60999 by default), which
 * any socket bound to port 0 may take between the check and ffmpeg's bind (the server's own
 * sockets, a browser's ICE candidates), and below mediasoup's default RTC range (40000–49999).
 */
const RANGE = { min: 20000, max: 32766 } as const;

/** `count` free even ports (each with its odd neighbour free too) on 127.0.0.1. */
export async function freeRtpPorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  for (let attempt = 0; ports.length < count; attempt++) {
    if (attempt > 200) throw new Error('no free UDP port pair for the stream');
    const port = RANGE.min + 2 * randomInt(0, (RANGE.max - RANGE.min) / 2 + 1);
    if (ports.includes(port)) continue;
    if ((await bindable(port)) && (await bindable(port + 1))) ports.push(port);
  }
  return ports;
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => {
      socket.close();
      resolve(false);
    });
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
  });
}
