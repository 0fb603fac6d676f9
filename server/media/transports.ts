/**
 * How a room's transports listen: the browsers' WebRTC transports go through their worker's
 * WebRtcServer (see WorkerPool); the pipe transports that join the room's routers on several
 * processes take ports of the same range.
 */
import type { types } from 'mediasoup';
import type { TransportOptions } from '../../signaling/protocol.js';
import type { Logger } from '../log.js';

/** Where a room's transports listen (config.rtc). */
export type RtcListenOptions = {
  listenIp: string;
  announcedAddress: string | undefined;
  minPort: number;
  maxPort: number;
};

/** What a room's router carries: the WebRtcServer of its worker (WorkerPool), for the room's browser transports. */
export type RouterAppData = { webRtcServer: types.WebRtcServer };

/** Video a browser may send; protects the router from absurd encodings. */
const MAX_INCOMING_BITRATE = 3_000_000;

/** mediasoup's listen info for one protocol, announcing the public address when there is one. */
export function listenInfo(listen: RtcListenOptions, protocol: 'udp' | 'tcp'): types.TransportListenInfo {
  const base = { protocol, ip: listen.listenIp, portRange: { min: listen.minPort, max: listen.maxPort } };
  return listen.announcedAddress === undefined ? base : { ...base, announcedAddress: listen.announcedAddress };
}

/** A browser-facing transport of one peer on its worker's WebRtcServer, UDP preferred, TCP as the fallback. */
export async function createWebRtcTransport(
  router: types.Router<RouterAppData>,
  peerId: string,
  direction: 'send' | 'recv',
  logger: Logger,
): Promise<types.WebRtcTransport> {
  const transport = await router.createWebRtcTransport({
    webRtcServer: router.appData.webRtcServer,
    preferUdp: true,
    initialAvailableOutgoingBitrate: 1_000_000,
    appData: { peerId, direction },
  });
  if (direction === 'send') await transport.setMaxIncomingBitrate(MAX_INCOMING_BITRATE);
  transport.on('dtlsstatechange', (state) => {
    if (state === 'failed' || state === 'closed') {
      logger.warn(`transport ${transport.id}: DTLS ${state}`, { participantId: peerId });
    }
  });
  return transport;
}

/** What a client needs to create its side of a transport. */
export function transportOptions(transport: types.WebRtcTransport): TransportOptions {
  return {
    id: transport.id,
    iceParameters: transport.iceParameters,
    iceCandidates: transport.iceCandidates,
    dtlsParameters: transport.dtlsParameters,
  };
}
