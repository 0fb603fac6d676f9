/**
 * A public viewer's media side for tests: a mediasoup-client Device on the Node WebRTC stack
 * (as TestPeer) that watches the program through a ViewerMedia, decodes its video and tells
 * the brightness of every decoded frame (the test peers paint their cameras in distinct
 * brightness, see syntheticVideo).
 */
import { Device } from 'mediasoup-client';
import { Chrome111 } from 'mediasoup-client/handlers/Chrome111';
import type { types as msc } from 'mediasoup-client';
import { parseCapabilitiesResponse, toDeviceRtpParameters } from '../../client/src/media/wire.js';
import type { ViewerMedia } from '../../server/media/AudienceMedia.js';
import type { ConsumerInfo } from '../../signaling/protocol.js';
import { DtlsParametersSchema, RtpCapabilitiesSchema } from '../../signaling/schemas.js';
import { meanLuma, watchFrames } from './wrtcMedia.js';

type FrameWaiter = { ok: (luma: number) => boolean; resolve: (luma: number) => void };

/** A viewer watching the program. */
export class ProgramViewer {
  readonly media: ViewerMedia;
  readonly consumers: ConsumerInfo[];
  readonly #transport: msc.Transport;
  readonly #stops: Array<() => void> = [];
  #waiters: FrameWaiter[] = [];
  /** Decoded video frames so far, and the last one's mean brightness. */
  frames = 0;
  luma: number | null = null;

  private constructor(media: ViewerMedia, transport: msc.Transport, consumers: ConsumerInfo[]) {
    this.media = media;
    this.#transport = transport;
    this.consumers = consumers;
  }

  /** Loads a device, sets up the receive transport, consumes and resumes every program track. */
  static async open(media: ViewerMedia): Promise<ProgramViewer> {
    const device = new Device({ handlerFactory: Chrome111.createFactory({}) });
    await device.load({ routerRtpCapabilities: parseCapabilitiesResponse({ routerRtpCapabilities: media.routerRtpCapabilities }) });
    const transport = device.createRecvTransport({ ...media.recvTransport, iceServers: [] });
    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      media.connect(transport.id, DtlsParametersSchema.parse(dtlsParameters)).then(() => callback(), errback);
    });
    const infos = await media.watch(RtpCapabilitiesSchema.parse(device.rtpCapabilities));
    const viewer = new ProgramViewer(media, transport, infos);
    // NOTE: one consume at a time: the Node WebRTC stack cannot map a batched renegotiation.
    for (const info of infos) {
      const consumer = await transport.consume({ id: info.id, producerId: info.producerId, kind: info.kind, rtpParameters: toDeviceRtpParameters(info.rtpParameters) });
      if (consumer.kind === 'video') viewer.#stops.push(watchFrames(consumer.track, (frame) => viewer.#onFrame(meanLuma(frame))));
      await media.resume(info.id);
    }
    return viewer;
  }

  /** Resolves with the brightness of the first frame decoded from now on that satisfies `ok`. */
  nextFrame(ok: (luma: number) => boolean, what: string, timeoutMs = 20_000): Promise<number> {
    return new Promise((resolve, reject) => {
      const waiter: FrameWaiter = {
        ok,
        resolve: (luma) => {
          clearTimeout(timer);
          resolve(luma);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        reject(new Error(`no frame of ${what} within ${timeoutMs} ms (${this.frames} frames, last brightness ${this.luma})`));
      }, timeoutMs);
      this.#waiters.push(waiter);
    });
  }

  /** Packets received on the program's audio tracks, by consumer id. */
  async audioPackets(): Promise<Map<string, number>> {
    const bySsrc = new Map<number, string>();
    for (const info of this.consumers) {
      const ssrc = info.rtpParameters.encodings?.[0]?.ssrc;
      if (info.kind === 'audio' && ssrc !== undefined) bySsrc.set(ssrc, info.id);
    }
    const out = new Map<string, number>();
    const report = await this.#transport.getStats();
    report.forEach((stat: { type: string; ssrc?: number; packetsReceived?: number }) => {
      const id = stat.type === 'inbound-rtp' && stat.ssrc !== undefined ? bySsrc.get(stat.ssrc) : undefined;
      if (id !== undefined) out.set(id, stat.packetsReceived ?? 0);
    });
    return out;
  }

  close(): void {
    for (const stop of this.#stops) stop();
    this.#transport.close();
    this.media.close();
  }

  #onFrame(luma: number): void {
    this.frames++;
    this.luma = luma;
    const ready = this.#waiters.filter((w) => w.ok(luma));
    this.#waiters = this.#waiters.filter((w) => !w.ok(luma));
    for (const w of ready) w.resolve(luma);
  }
}
