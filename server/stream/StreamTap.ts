/**
 * The program's RTP on its way to one ffmpeg: each track consumed on a DirectTransport of an
 * audience router and sent by this process over loopback UDP to the port ffmpeg listens on
 * (ffmpeg binds what the SDP names), with its gaps filled: a slate for the video
 * (Vp8GapFiller), Opus silence for each audio track (OpusGapFiller).
 *
 * NOTE: not a mediasoup PlainTransport, though that is mediasoup's way out to ffmpeg: the gaps
 * must be filled by this process, which then holds every packet anyway; a PlainTransport would
 * need a producer fed from here, one more hop through the worker for the same bytes.
 */
import { createSocket, type Socket } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import type { types } from 'mediasoup';
import type { ProgramTap } from '../media/AudienceMedia.js';
import type { ProgramAppData, TrackName } from '../media/ProgramOutlet.js';
import { OpusGapFiller } from './OpusGapFiller.js';
import type { SdpStream } from './sdp.js';
import { Vp8GapFiller } from './Vp8GapFiller.js';

const LOOPBACK = '127.0.0.1';
/** How often the tracks are checked for a gap to fill. */
const FILL_EVERY_MS = 20;

/** Where ffmpeg listens: an even RTP port per stream (RTCP on the next). */
export type TapPorts = { video: number; floorAudio: number; chairAudio: number };

/** What a gap filler does for the tap. */
type Filler = { push(packet: Uint8Array, now: number): void; tick(now: number): void };

/** One encoder's view of the program. */
export class StreamTap {
  /** The streams as ffmpeg's SDP describes them (video first, then the floor's and the chair's audio). */
  readonly sdpStreams: SdpStream[];
  readonly #tap: ProgramTap;
  readonly #direct: types.DirectTransport;
  readonly #socket: Socket;
  readonly #fill: NodeJS.Timeout;
  #closed = false;
  #onClose: (() => void) | null = null;

  private constructor(tap: ProgramTap, direct: types.DirectTransport, socket: Socket, fillers: Filler[], sdpStreams: SdpStream[]) {
    this.#tap = tap;
    this.#direct = direct;
    this.#socket = socket;
    this.sdpStreams = sdpStreams;
    this.#fill = setInterval(() => {
      const now = performance.now();
      for (const filler of fillers) filler.tick(now);
    }, FILL_EVERY_MS);
    // The audience router closed under us (its worker died, or the audience closed): the owner restarts.
    this.#direct.observer.once('close', () => {
      if (this.#closed) return;
      this.close();
      this.#onClose?.();
    });
  }

  /** Taps the program on `tap`'s audience router towards ffmpeg's `ports`; `slate` shows when there is no picture. */
  static async open(tap: ProgramTap, ports: TapPorts, slate: Uint8Array): Promise<StreamTap> {
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
    const direct = await router.createDirectTransport();
    const socket = createSocket('udp4');
    try {
      const fillers: Filler[] = [];
      const sdpStreams: SdpStream[] = [];
      for (const name of ['video', 'floorAudio', 'chairAudio'] as const) {
        const video = name === 'video';
        const consumer = await direct.consume({ producerId: producer(name).id, rtpCapabilities: caps(video ? 'video/vp8' : 'audio/opus') });
        const output = { payloadType: consumer.rtpParameters.codecs[0]!.payloadType, ssrc: consumer.rtpParameters.encodings?.[0]?.ssrc ?? 1 };
        const send = (packet: Uint8Array): void => socket.send(packet, ports[name], LOOPBACK);
        const filler: Filler = video ? new Vp8GapFiller(output, slate, send, () => tap.program.tracks.video.requestKeyFrame()) : new OpusGapFiller(output, send);
        consumer.on('rtp', (packet) => filler.push(packet, performance.now()));
        fillers.push(filler);
        sdpStreams.push(sdpOf(consumer, ports[name]));
      }
      return new StreamTap(tap, direct, socket, fillers, sdpStreams);
    } catch (error) {
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
