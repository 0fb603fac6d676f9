/**
 * One program audio track on its way to ffmpeg, made continuous: the track's packets pass
 * renumbered, and where it sends nothing (nobody holds the floor, a microphone paused) Opus
 * silence frames fill the time.
 *
 * NOTE: ffmpeg's amix waits for audio on every input before it mixes; a track that goes quiet
 * on the wire (a paused microphone sends nothing) would stop the mix, and with it the stream's
 * audio, while the other track speaks.
 */
import { readRtpHeader, writeRtpHeader } from '../media/rtpPackets.js';

/** Opus's own 20 ms silence frame (TOC: CELT full band, 20 ms, mono; then the empty frame). */
export const OPUS_SILENCE = Uint8Array.of(0xf8, 0xff, 0xfe);
/** Every frame here lasts 20 ms (WebRTC's Opus ptime), 960 ticks of the 48 kHz clock. */
const FRAME_MS = 20;
const FRAME_TICKS = 960;
/** Silence starts after this long without a packet: a little jitter is not a gap. */
const GAP_MS = 60;

/** The output's numbering. */
export type OpusOutput = { payloadType: number; ssrc: number };

/** Renumbers and fills one audio track; `send` gets each packet to go out. */
export class OpusGapFiller {
  readonly #output: OpusOutput;
  readonly #send: (packet: Uint8Array) => void;
  #seq = 0;
  #ts = 0;
  /** Up to when (ms) the output has sent audio. */
  #coveredUntil: number | null = null;
  #lastPacketAt = -Infinity;

  constructor(output: OpusOutput, send: (packet: Uint8Array) => void) {
    this.#output = output;
    this.#send = send;
  }

  /** A packet of the track, arriving at `now` (ms). Malformed packets are dropped. */
  push(packet: Uint8Array, now: number): void {
    if (!readRtpHeader(packet)) return;
    const out = Uint8Array.from(packet);
    writeRtpHeader(out, { payloadType: this.#output.payloadType, sequenceNumber: this.#seq, timestamp: this.#ts, ssrc: this.#output.ssrc });
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
      this.#send(this.#silence());
      this.#advance();
      this.#coveredUntil += FRAME_MS;
    }
  }

  #advance(): void {
    this.#seq = (this.#seq + 1) & 0xffff;
    this.#ts = (this.#ts + FRAME_TICKS) >>> 0;
  }

  #silence(): Uint8Array {
    const packet = new Uint8Array(12 + OPUS_SILENCE.length);
    packet[0] = 0x80;
    writeRtpHeader(packet, { payloadType: this.#output.payloadType, sequenceNumber: this.#seq, timestamp: this.#ts, ssrc: this.#output.ssrc });
    packet.set(OPUS_SILENCE, 12);
    return packet;
  }
}
