/**
 * One outgoing RTP numbering for a track that mixes two kinds of packets: the source's, copied
 * and rewritten, and packets made here (a slate, silence). Both go out under the same payload
 * type and SSRC with one unbroken sequence, so the receiver (ffmpeg) sees a single stream.
 *
 * Timestamps stay with the caller: how they continue across a switch depends on the codec.
 */
import { writeRtpHeader } from '../media/rtpPackets.js';

/** The output's payload type and SSRC. */
export type RtpOutput = { payloadType: number; ssrc: number };

const HEADER_BYTES = 12;

/** Gives each packet that goes out the output's payload type, SSRC and next sequence number. */
export class RtpRenumberer {
  readonly #output: RtpOutput;
  #seq = 0;

  constructor(output: RtpOutput) {
    this.#output = output;
  }

  /** A copy of a source packet (the original is left alone) carrying the output's numbering and `timestamp`. */
  renumber(packet: Uint8Array, timestamp: number): Uint8Array {
    return this.#stamp(Uint8Array.from(packet), timestamp);
  }

  /** A new packet: a bare RTP v2 header with the output's numbering, `timestamp` and `marker`, then `payload`. */
  make(payload: Uint8Array, timestamp: number, marker: boolean): Uint8Array {
    const packet = new Uint8Array(HEADER_BYTES + payload.length);
    packet[0] = 0x80;
    packet[1] = marker ? 0x80 : 0;
    packet.set(payload, HEADER_BYTES);
    return this.#stamp(packet, timestamp);
  }

  #stamp(packet: Uint8Array, timestamp: number): Uint8Array {
    writeRtpHeader(packet, { payloadType: this.#output.payloadType, sequenceNumber: this.#seq, timestamp, ssrc: this.#output.ssrc });
    this.#seq = (this.#seq + 1) & 0xffff;
    return packet;
  }
}
