/**
 * A public viewer's media side for tests: a mediasoup-client Device on the Node WebRTC stack
 * (as TestPeer, in the same process of its own: peerHost/) that watches the program through a
 * ViewerMedia, decodes its video and tells the brightness of every decoded frame (the test
 * peers paint their cameras in distinct brightness, see syntheticVideo).
 */
import { randomUUID } from 'node:crypto';
import type { ViewerMedia } from '../../server/media/AudienceMedia.js';
import type { ConsumerInfo } from '../../signaling/protocol.js';
import { RtpCapabilitiesSchema } from '../../signaling/schemas.js';
import { peerHost } from './peerHost/PeerHost.js';
import { DeviceCapabilities, InboundStreams, TransportOptionsSchema } from './peerHost/protocol.js';

type FrameWaiter = { ok: (luma: number) => boolean; resolve: (luma: number) => void };

/** A viewer watching the program. */
export class ProgramViewer {
  readonly media: ViewerMedia;
  readonly consumers: ConsumerInfo[] = [];
  /** This viewer's name in the WebRTC host. */
  readonly #hosted: string;
  #waiters: FrameWaiter[] = [];
  /** Decoded video frames so far, and the last one's mean brightness. */
  frames = 0;
  luma: number | null = null;

  private constructor(media: ViewerMedia, hosted: string) {
    this.media = media;
    this.#hosted = hosted;
  }

  /** Loads a device, sets up the receive transport, consumes and resumes every program track. */
  static async open(media: ViewerMedia): Promise<ProgramViewer> {
    const hosted = `program-viewer-${randomUUID()}`;
    const viewer = new ProgramViewer(media, hosted);
    const rtpCapabilities = DeviceCapabilities.parse(
      await peerHost.request({ t: 'device', peer: hosted, routerRtpCapabilities: RtpCapabilitiesSchema.parse(media.routerRtpCapabilities) }),
    );
    peerHost.serve(hosted, {
      connect: (transportId, dtlsParameters) => media.connect(transportId, dtlsParameters),
      frame: (_consumerId, luma) => viewer.#onFrame(luma),
    });
    await peerHost.request({ t: 'open', peer: hosted, send: null, recv: TransportOptionsSchema.parse(media.recvTransport) });
    const infos = await media.watch(rtpCapabilities);
    // NOTE: one consume at a time: the Node WebRTC stack cannot map a batched renegotiation.
    for (const info of infos) {
      await peerHost.request({
        t: 'consume',
        peer: hosted,
        consumer: { id: info.id, producerId: info.producerId, kind: info.kind, rtpParameters: info.rtpParameters },
        watchLuma: true,
      });
      viewer.consumers.push(info);
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
    for (const stream of InboundStreams.parse(await peerHost.request({ t: 'stats', peer: this.#hosted }))) {
      const id = bySsrc.get(stream.ssrc);
      if (id !== undefined) out.set(id, stream.packetsReceived);
    }
    return out;
  }

  close(): void {
    peerHost.forget(this.#hosted);
    // A host that died meanwhile has nothing left to close.
    peerHost.request({ t: 'close', peer: this.#hosted }).catch(() => undefined);
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
