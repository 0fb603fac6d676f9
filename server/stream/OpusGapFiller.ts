/**
 * One program audio track on its way to ffmpeg, made continuous: the track's packets pass
 * renumbered, and where it sends nothing (nobody holds the floor, a microphone paused) Opus
 * silence frames fill the time.
 *
 * NOTE: ffmpeg's amix waits for audio on every input before it mixes; a track that goes quiet
 * on the wire (a paused microphone sends nothing) would stop the mix, and with it the stream's
 * audio, while the other track speaks.
 */
import { readRtpHeader } from '../media/rtpPackets.js';
import { type RtpOutput, RtpRenumberer } from './RtpRenumberer.js';

/** Opus's own 20 ms silence frame (TOC: CELT full band, 20 ms, mono; then the empty frame). */
export const OPUS_SILENCE = Uint8Array.of(0xf8, 0xff, 0xfe);
/** Every frame here lasts 20 ms (WebRTC's Opus ptime), 960 ticks of the 48 kHz clock. */
const FRAME_MS = 20;
const FRAME_TICKS = 960;
/** Silence starts after this long without a packet: a little jitter is not a gap. */
const GAP_MS = 60;

/** Renumbers and fills one audio track; `send` gets each packet to go out. */
export class OpusGapFiller {
  readonly #renumberer: RtpRenumberer;
  readonly #send: (packet: Uint8Array) => void;
  /** The next packet's timestamp: every packet out, the source's or silence, is one 20 ms frame on. */
  #ts = 0;
  /** Up to when (ms) the output has sent audio. */
  #coveredUntil: number | null = null;
  #lastPacketAt = -Infinity;

  constructor(output: RtpOutput, send: (packet: Uint8Array) => void) {
    this.#renumberer = new RtpRenumberer(output);
    this.#send = send;
  }

  /** A packet of the track, arriving at `now` (ms). Malformed packets are dropped. */
  push(packet: Uint8Array, now: number): void {
    if (!readRtpHeader(packet)) return;
    const out = this.#renumberer.renumber(packet, this.#ts);
    this.#advance();
    this.#lastPacketAt = now;
    this.#coveredUntil = Math.max(this.#coveredUntil ?? now, now);
    this.#send(out);
  }

  /** Called every ~20 ms: fills the time since the last packet with silence once it is a gap. */
  tick(now: number): void {
    this.#coveredUntil ??= now;
    if (now - this.#lastPacketAt < GAP_MS) return;
    while (this.#coveredUntil + FRAME_MS <= now) {
      this.#send(this.#renumberer.make(OPUS_SILENCE, this.#ts, false));
      this.#advance();
      this.#coveredUntil += FRAME_MS;
    }
  }

  #advance(): void {
    this.#ts = (this.#ts + FRAME_TICKS) >>> 0;
  }
}
