/**
 * The program's RTP on its way to one ffmpeg: the video over a mediasoup PlainTransport to
 * ffmpeg's port, each audio track through this process (OpusGapFiller fills its silences) to a
 * port of its own. All on loopback; the ports are ffmpeg's (it binds what the SDP names).
 */
import { createSocket, type Socket } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import type { types } from 'mediasoup';
import type { ProgramTap } from '../media/AudienceMedia.js';
import type { ProgramAppData, TrackName } from '../media/ProgramOutlet.js';
import { OpusGapFiller } from './OpusGapFiller.js';
import type { SdpStream } from './sdp.js';

const LOOPBACK = '127.0.0.1';
/** How often the audio tracks are checked for a gap to fill. */
const FILL_EVERY_MS = 20;

/** Where ffmpeg listens: an even RTP port per stream (RTCP on the next). */
export type TapPorts = { video: number; floorAudio: number; chairAudio: number };

/** One encoder's view of the program. */
export class StreamTap {
  /** The streams as ffmpeg's SDP describes them (video first, then the floor's and the chair's audio). */
  readonly sdpStreams: SdpStream[];
  readonly #tap: ProgramTap;
  readonly #plain: types.PlainTransport;
  readonly #videoConsumer: types.Consumer;
  readonly #direct: types.DirectTransport;
  readonly #socket: Socket;
  readonly #fill: NodeJS.Timeout;
  #closed = false;
  #onClose: (() => void) | null = null;

  private constructor(
    tap: ProgramTap,
    parts: { plain: types.PlainTransport; videoConsumer: types.Consumer; direct: types.DirectTransport; socket: Socket; fillers: OpusGapFiller[]; sdpStreams: SdpStream[] },
  ) {
    this.#tap = tap;
    this.#plain = parts.plain;
    this.#videoConsumer = parts.videoConsumer;
    this.#direct = parts.direct;
    this.#socket = parts.socket;
    this.sdpStreams = parts.sdpStreams;
    this.#fill = setInterval(() => {
      const now = performance.now();
      for (const filler of parts.fillers) filler.tick(now);
    }, FILL_EVERY_MS);
    // The audience router closed under us (its worker died, or the audience closed): the owner restarts.
    const lost = (): void => {
      if (this.#closed) return;
      this.close();
      this.#onClose?.();
    };
    this.#plain.observer.once('close', lost);
    this.#direct.observer.once('close', lost);
  }

  /** Taps the program on `tap`'s audience router towards ffmpeg's `ports`. */
  static async open(tap: ProgramTap, ports: TapPorts): Promise<StreamTap> {
    const router = tap.outlet.router;
    const producer = (name: TrackName): types.Producer<ProgramAppData> => {
      const found = tap.outlet.producers.find((p) => p.appData.track === name);
      if (!found) throw new TypeError(`the program has no ${name} producer`);
      return found;
    };
    const caps = (mimeType: string): types.RtpCapabilities => ({
      codecs: (router.rtpCapabilities.codecs ?? []).filter((c) => c.mimeType.toLowerCase() === mimeType),
      headerExtensions: [],
    });
    const plain = await router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: LOOPBACK }, rtcpMux: false, comedia: false });
    const direct = await router.createDirectTransport();
    const socket = createSocket('udp4');
    try {
      await plain.connect({ ip: LOOPBACK, port: ports.video, rtcpPort: ports.video + 1 });
      const videoConsumer = await plain.consume({ producerId: producer('video').id, rtpCapabilities: caps('video/vp8') });
      const fillers: OpusGapFiller[] = [];
      const sdpStreams: SdpStream[] = [sdpOf(videoConsumer, ports.video)];
      for (const name of ['floorAudio', 'chairAudio'] as const) {
        const consumer = await direct.consume({ producerId: producer(name).id, rtpCapabilities: caps('audio/opus') });
        const codec = consumer.rtpParameters.codecs[0]!;
        const filler = new OpusGapFiller({ payloadType: codec.payloadType, ssrc: consumer.rtpParameters.encodings?.[0]?.ssrc ?? 1 }, (packet) =>
          socket.send(packet, ports[name], LOOPBACK),
        );
        consumer.on('rtp', (packet) => filler.push(packet, performance.now()));
        fillers.push(filler);
        sdpStreams.push(sdpOf(consumer, ports[name]));
      }
      return new StreamTap(tap, { plain, videoConsumer, direct, socket, fillers, sdpStreams });
    } catch (error) {
      plain.close();
      direct.close();
      socket.close();
      throw error;
    }
  }

  /** Called once if the tap ends by itself (its router closed). */
  onClose(listener: () => void): void {
    this.#onClose = listener;
  }

  /**
   * Asks the program's video source for a key frame (ffmpeg's decoder starts on one). NOTE: it
   * goes through the program's track, so its rule (one request per 300 ms for all viewers)
   * applies: the stream is one more viewer, not a new load on the speaker's uplink.
   */
  requestKeyFrame(): void {
    if (this.#closed) return;
    this.#tap.program.tracks.video.requestKeyFrame();
  }

  /** Stops sending and lets the audience go; safe to call twice. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#fill);
    this.#videoConsumer.close();
    this.#plain.close();
    this.#direct.close();
    this.#socket.close();
    this.#tap.release();
  }
}

function sdpOf(consumer: types.Consumer, port: number): SdpStream {
  const codec = consumer.rtpParameters.codecs[0]!;
  const name = codec.mimeType.split('/')[1] ?? codec.mimeType;
  return {
    kind: consumer.kind,
    port,
    payloadType: codec.payloadType,
    codec: name,
    clockRate: codec.clockRate,
    ...(consumer.kind === 'audio' ? { channels: codec.channels ?? 2 } : {}),
  };
}
