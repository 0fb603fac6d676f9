/**
 * The program's video on its way to ffmpeg, never silent: the track's packets pass renumbered,
 * and while it sends nothing (nobody on the floor and the chair's camera off, or a switch under
 * way) a still picture (the slate, one VP8 key frame) is repeated a few times a second.
 *
 * NOTE: ffmpeg cuts segments at video key frames and its filters wait for video; a program with
 * no picture would stop the stream, its audio included, until a picture came back.
 */
import { readRtpHeader, readVp8Descriptor } from '../media/rtpPackets.js';
import { type RtpOutput, RtpRenumberer } from './RtpRenumberer.js';

/** After this long without a packet the slate shows. */
const GAP_MS = 1000;
/** The slate's frame rate while it shows. */
const SLATE_EVERY_MS = 200;
const CLOCK_PER_MS = 90;

/** Renumbers and fills the video; `send` gets each packet to go out; `wantKeyFrame` asks the source for one. */
export class Vp8GapFiller {
  readonly #renumberer: RtpRenumberer;
  /** The slate behind its VP8 payload descriptor (start of partition 0), ready to go out. */
  readonly #slatePayload: Uint8Array;
  readonly #send: (packet: Uint8Array) => void;
  readonly #wantKeyFrame: () => void;
  #lastTs = 0;
  /** Added to a source packet's timestamp; set again when the source comes back after the slate. */
  #tsOffset: number | null = null;
  #lastPacketAt = -Infinity;
  #lastSlateAt = -Infinity;
  /** The slate showed since the last packet: the source's next frame must be a key frame. */
  #needKeyFrame = true;
  /** When the filler first heard or ticked: a program with no picture yet waits a gap from then. */
  #startedAt: number | null = null;

  /** `slate`: one VP8 key frame (small enough for one packet). */
  constructor(output: RtpOutput, slate: Uint8Array, send: (packet: Uint8Array) => void, wantKeyFrame: () => void) {
    this.#renumberer = new RtpRenumberer(output);
    this.#slatePayload = new Uint8Array(1 + slate.length);
    this.#slatePayload[0] = 0x10;
    this.#slatePayload.set(slate, 1);
    this.#send = send;
    this.#wantKeyFrame = wantKeyFrame;
  }

  /** A packet of the program's video at `now` (ms). */
  push(packet: Uint8Array, now: number): void {
    const header = readRtpHeader(packet);
    if (!header) return;
    this.#startedAt ??= now;
    if (this.#needKeyFrame) {
      // A delta frame would be decoded on top of the slate: wait for the key frame, and ask for it.
      const vp8 = readVp8Descriptor(packet, header.payloadOffset);
      if (!vp8?.frameStart || !vp8.keyFrame) {
        this.#wantKeyFrame();
        return;
      }
      this.#needKeyFrame = false;
      this.#tsOffset = null;
    }
    this.#tsOffset ??= (this.#lastTs + 3000 - header.timestamp) >>> 0;
    const ts = (header.timestamp + this.#tsOffset) >>> 0;
    const out = this.#renumberer.renumber(packet, ts);
    this.#lastTs = ts;
    this.#lastPacketAt = now;
    this.#send(out);
  }

  /** Called every ~20 ms: shows the slate while the source sends nothing. */
  tick(now: number): void {
    this.#startedAt ??= now;
    const quietSince = Math.max(this.#lastPacketAt, this.#startedAt);
    if (now - quietSince < GAP_MS || now - this.#lastSlateAt < SLATE_EVERY_MS) return;
    this.#lastSlateAt = now;
    this.#needKeyFrame = true;
    this.#lastTs = (this.#lastTs + SLATE_EVERY_MS * CLOCK_PER_MS) >>> 0;
    // Marked: the slate's frame ends in this one packet.
    this.#send(this.#renumberer.make(this.#slatePayload, this.#lastTs, true));
  }
}

/** The VP8 frames of an IVF file (what `ffmpeg -c:v libvpx -f ivf` writes). */
export function ivfFrames(ivf: Uint8Array): Uint8Array[] {
  const view = new DataView(ivf.buffer, ivf.byteOffset, ivf.byteLength);
  if (ivf.length < 32 || String.fromCharCode(...ivf.subarray(0, 4)) !== 'DKIF') throw new TypeError('not an IVF file');
  const frames: Uint8Array[] = [];
  let i = view.getUint16(6, true);
  while (i + 12 <= ivf.length) {
    const size = view.getUint32(i, true);
    if (i + 12 + size > ivf.length) break;
    frames.push(ivf.subarray(i + 12, i + 12 + size));
    i += 12 + size;
  }
  return frames;
}
