/**
 * The process that holds the Node WebRTC stack for the test peers (see protocol.ts for why apart).
 * It keeps, per peer, a mediasoup-client Device, its transports, its synthetic sources and
 * consumers, and does what the test process asks; what only the server side can do (connect a
 * transport, make a producer) it asks back. Started by PeerHost.ts; ends with its parent.
 */
import { Device } from 'mediasoup-client';
import { Chrome111 } from 'mediasoup-client/handlers/Chrome111';
import type { types as msc } from 'mediasoup-client';
import { parseCapabilitiesResponse, toDeviceRtpParameters } from '../../../client/src/media/wire.js';
import { DtlsParametersSchema, RtpCapabilitiesSchema, RtpParametersSchema } from '../../../signaling/schemas.js';
import { meanLuma, syntheticAudio, syntheticVideo, watchFrames, type SyntheticCamera, type SyntheticSource } from '../wrtcMedia.js';
import { HostRequest, type HostMessage } from './protocol.js';

type HostedPeer = {
  device: Device;
  send: msc.Transport | null;
  recv: msc.Transport | null;
  sources: SyntheticSource[];
  /** What it sends, by producer id, with the source feeding it. */
  producers: Map<string, { producer: msc.Producer; source: SyntheticSource }>;
  /** The camera it sends, if any (paint changes its brightness). */
  camera: SyntheticCamera | null;
  consumers: Map<string, msc.Consumer>;
  /** Stops watching decoded frames (consumers consumed with watchLuma). */
  frameWatches: Array<() => void>;
};

/** The simulcast layers TestPeer's camera sends when asked (a quarter, half and full size). */
const SIMULCAST = [
  { scaleResolutionDownBy: 4, maxBitrate: 100_000 },
  { scaleResolutionDownBy: 2, maxBitrate: 300_000 },
  { scaleResolutionDownBy: 1, maxBitrate: 900_000 },
];

const peers = new Map<string, HostedPeer>();
const asked = new Map<number, { resolve: (data: unknown) => void; reject: (error: Error) => void }>();
let nextAsk = 1;

function tell(message: HostMessage): void {
  // NOTE: an answer that comes after the test process has gone (its file ended while a
  // request was in flight) has nobody to reach: the callback takes the EPIPE, which would
  // otherwise end this process with a stack trace in the suite's output. 'disconnect' ends it.
  if (process.connected) process.send?.(message, undefined, undefined, () => undefined);
}

/** Asks the test process to do the server's part (the message made for its request id); resolves with its answer. */
function ask(message: (rid: number) => Extract<HostMessage, { t: 'connect' | 'produce' }>): Promise<unknown> {
  const rid = nextAsk++;
  return new Promise((resolve, reject) => {
    asked.set(rid, { resolve, reject });
    tell(message(rid));
  });
}

function peerOf(id: string): HostedPeer {
  const peer = peers.get(id);
  if (!peer) throw new Error(`no peer ${id} in the WebRTC host`);
  return peer;
}

async function handle(request: HostRequest): Promise<unknown> {
  switch (request.t) {
    case 'device': {
      const device = new Device({ handlerFactory: Chrome111.createFactory({}) });
      await device.load({ routerRtpCapabilities: parseCapabilitiesResponse({ routerRtpCapabilities: request.routerRtpCapabilities }) });
      peers.set(request.peer, { device, send: null, recv: null, sources: [], producers: new Map(), camera: null, consumers: new Map(), frameWatches: [] });
      return RtpCapabilitiesSchema.parse(device.rtpCapabilities);
    }
    case 'open': {
      const peer = peerOf(request.peer);
      // Transports again (a media restart): the old ones go, with what they carried.
      peer.send?.close();
      peer.recv?.close();
      peer.consumers.clear();
      peer.send = request.send && peer.device.createSendTransport({ ...request.send, iceServers: [] });
      peer.recv = peer.device.createRecvTransport({ ...request.recv, iceServers: [] });
      for (const transport of peer.send ? [peer.send, peer.recv] : [peer.recv]) {
        transport.on('connect', ({ dtlsParameters }, callback, errback) => {
          ask((rid) => ({ t: 'connect', rid, peer: request.peer, transportId: transport.id, dtlsParameters: DtlsParametersSchema.parse(dtlsParameters) })).then(
            () => callback(),
            errback,
          );
        });
      }
      const send = peer.send;
      send?.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
        const source = appData['source'] === 'mic' ? 'mic' : 'camera';
        ask((rid) => ({ t: 'produce', rid, peer: request.peer, transportId: send.id, kind, rtpParameters: RtpParametersSchema.parse(rtpParameters), source })).then(
          (id) => callback({ id: String(id) }),
          errback,
        );
      });
      return null;
    }
    case 'produce': {
      const peer = peerOf(request.peer);
      if (!peer.send) throw new Error('this peer cannot send');
      const produced: Array<{ id: string; kind: 'audio' | 'video' }> = [];
      if (request.audio) {
        const mic = syntheticAudio(request.amplitude ?? 12000);
        peer.sources.push(mic);
        const producer = await peer.send.produce({ track: mic.track, appData: { source: 'mic' }, ...(request.dtx ? { codecOptions: { opusDtx: true } } : {}) });
        peer.producers.set(producer.id, { producer, source: mic });
        produced.push({ id: producer.id, kind: 'audio' });
      }
      if (request.video) {
        const camera = syntheticVideo(320, 240, 15, request.luma);
        peer.sources.push(camera);
        peer.camera = camera;
        const producer = await peer.send.produce({ track: camera.track, appData: { source: 'camera' }, ...(request.simulcast ? { encodings: SIMULCAST } : {}) });
        peer.producers.set(producer.id, { producer, source: camera });
        produced.push({ id: producer.id, kind: 'video' });
      }
      return produced;
    }
    case 'consume': {
      const peer = peerOf(request.peer);
      if (!peer.recv) throw new Error('no receiving transport');
      const info = request.consumer;
      const consumer = await peer.recv.consume({ id: info.id, producerId: info.producerId, kind: info.kind, rtpParameters: toDeviceRtpParameters(info.rtpParameters) });
      peer.consumers.set(info.id, consumer);
      if (request.watchLuma && consumer.kind === 'video') {
        const peerId = request.peer;
        peer.frameWatches.push(watchFrames(consumer.track, (frame) => tell({ t: 'frame', peer: peerId, consumerId: info.id, luma: meanLuma(frame) })));
      }
      return null;
    }
    case 'closeConsumer': {
      const peer = peers.get(request.peer);
      peer?.consumers.get(request.consumerId)?.close();
      peer?.consumers.delete(request.consumerId);
      return null;
    }
    case 'closeProducer': {
      const peer = peerOf(request.peer);
      const sent = peer.producers.get(request.producerId);
      if (!sent) throw new Error(`no producer ${request.producerId}`);
      peer.producers.delete(request.producerId);
      sent.producer.close();
      sent.source.stop();
      sent.source.track.stop();
      return null;
    }
    case 'paint': {
      const camera = peerOf(request.peer).camera;
      if (!camera) throw new Error('this peer sends no camera');
      return camera.paint(request.luma);
    }
    case 'stats': {
      const peer = peerOf(request.peer);
      const out: Array<{ ssrc: number; packetsReceived: number; bytesReceived: number; framesDecoded: number }> = [];
      const report = await peer.recv?.getStats();
      report?.forEach((stat: { type: string; ssrc?: number; packetsReceived?: number; bytesReceived?: number; framesDecoded?: number }) => {
        if (stat.type !== 'inbound-rtp' || stat.ssrc === undefined) return;
        out.push({ ssrc: stat.ssrc, packetsReceived: stat.packetsReceived ?? 0, bytesReceived: stat.bytesReceived ?? 0, framesDecoded: stat.framesDecoded ?? 0 });
      });
      return out;
    }
    case 'close': {
      const peer = peers.get(request.peer);
      peers.delete(request.peer);
      for (const stop of peer?.frameWatches ?? []) stop();
      for (const source of peer?.sources ?? []) {
        source.stop();
        source.track.stop();
      }
      peer?.send?.close();
      peer?.recv?.close();
      return null;
    }
    case 'answer': {
      const pending = asked.get(request.rid);
      asked.delete(request.rid);
      if (request.ok) pending?.resolve(request.data);
      else pending?.reject(new Error(request.error ?? 'refused'));
      return undefined;
    }
  }
}

process.on('message', (raw: unknown) => {
  const parsed = HostRequest.safeParse(raw);
  if (!parsed.success) {
    console.error('WebRTC host: a malformed request', parsed.error.message);
    return;
  }
  const request = parsed.data;
  handle(request).then(
    (data) => {
      if (request.t !== 'answer') tell({ t: 'reply', id: request.id, ok: true, data });
    },
    (error: unknown) => {
      if (request.t !== 'answer') tell({ t: 'reply', id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) });
    },
  );
});
// The test process went away: so does this one.
process.on('disconnect', () => process.exit(0));
