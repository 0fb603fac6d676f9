/**
 * Splices the RTP of successive sources into one continuous stream, rewriting each packet in
 * place: one SSRC and payload type; sequence numbers that go on by one from the last packet
 * sent; timestamps that go on by the time elapsed since it (in the codec's clock), so players
 * keep their timing; for VP8, picture ids and TL0 indexes that go on by one, so the receiver's
 * frame references stay whole. Within one source, its own gaps and reordering are kept as they
 * are (a lost packet stays lost, and is NACKed by the viewer as usual).
 *
 * NOTE: after a video switch nothing is forwarded until the new source's key frame starts:
 * a delta frame of B decoded on top of A's last picture is the smear viewers would see.
 */
import { randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { readRtpHeader, readVp8Descriptor, writeRtpHeader, writeVp8PictureId, type Vp8Descriptor } from './rtpPackets.js';

/** What the output carries. */
export type TrackFormat = { kind: 'audio' | 'video'; payloadType: number; clockRate: number; ssrc: number; vp8: boolean };

/** What became of one packet: rewritten and to be sent, dropped, or dropped while a key frame is awaited. */
export type SpliceVerdict = 'send' | 'drop' | 'needs-key-frame';

/** Where one source's numbering maps onto the output's. */
type Mapping = { inSeq: number; outSeq: number; inTs: number; outTs: number; inPid: number | null; outPid: number; inTl0: number | null; outTl0: number };

/** The output's last (highest) packet: where the next source continues from. */
type Last = { seq: number; ts: number; pid: number; tl0: number; at: number };

/** The output's numbering, across sources. */
export class RtpSplicer {
  readonly #format: TrackFormat;
  readonly #now: () => number;
  #mapping: Mapping | null = null;
  #last: Last | null = null;

  constructor(format: TrackFormat, now: () => number = () => performance.now()) {
    this.#format = format;
    this.#now = now;
  }

  /** The next packet comes from another source (or the same one, started over). */
  nextSource(): void {
    this.#mapping = null;
  }

  /** Rewrites `packet` in place for the output, or says why it must not be sent. */
  splice(packet: Uint8Array): SpliceVerdict {
    const header = readRtpHeader(packet);
    if (!header) return 'drop';
    const vp8 = this.#format.vp8 ? readVp8Descriptor(packet, header.payloadOffset) : null;
    if (this.#format.vp8 && !vp8) return 'drop';
    let mapping = this.#mapping;
    if (!mapping) {
      if (vp8 && !vp8.keyFrame) return 'needs-key-frame';
      mapping = this.#start(header.sequenceNumber, header.timestamp, vp8);
    }
    const seqDelta = signed16(header.sequenceNumber - mapping.inSeq);
    // A packet from before the point where this source joined the output.
    if (seqDelta < 0) return 'drop';
    const seq = (mapping.outSeq + seqDelta) & 0xffff;
    const ts = (mapping.outTs + (header.timestamp - mapping.inTs)) >>> 0;
    writeRtpHeader(packet, { payloadType: this.#format.payloadType, sequenceNumber: seq, timestamp: ts, ssrc: this.#format.ssrc });
    const last = this.#last;
    let pid = last?.pid ?? 0;
    let tl0 = last?.tl0 ?? 0;
    if (vp8?.pictureId) {
      mapping.inPid ??= vp8.pictureId.value;
      pid = (mapping.outPid + vp8.pictureId.value - mapping.inPid) & 0x7fff;
      writeVp8PictureId(packet, vp8.pictureId, pid);
    }
    if (vp8?.tl0PicIdx) {
      mapping.inTl0 ??= vp8.tl0PicIdx.value;
      tl0 = (mapping.outTl0 + vp8.tl0PicIdx.value - mapping.inTl0) & 0xff;
      packet[vp8.tl0PicIdx.offset] = tl0;
    }
    if (!last || signed16(seq - last.seq) > 0) this.#last = { seq, ts, pid, tl0, at: this.#now() };
    return 'send';
  }

  /** Where a new source starts: right after the output's last packet, its timestamp advanced by the time since. */
  #start(inSeq: number, inTs: number, vp8: Vp8Descriptor | null): Mapping {
    const last = this.#last;
    const mapping: Mapping = last
      ? {
          inSeq,
          outSeq: (last.seq + 1) & 0xffff,
          inTs,
          outTs: (last.ts + Math.max(1, Math.round(((this.#now() - last.at) * this.#format.clockRate) / 1000))) >>> 0,
          inPid: null,
          outPid: (last.pid + 1) & 0x7fff,
          inTl0: null,
          outTl0: (last.tl0 + 1) & 0xff,
        }
      : { inSeq, outSeq: randomInt(0x8000), inTs, outTs: randomInt(0x7fffffff), inPid: null, outPid: randomInt(0x4000), inTl0: null, outTl0: randomInt(0x100) };
    if (vp8?.pictureId) mapping.inPid = vp8.pictureId.value;
    if (vp8?.tl0PicIdx) mapping.inTl0 = vp8.tl0PicIdx.value;
    this.#mapping = mapping;
    return mapping;
  }
}

function signed16(n: number): number {
  const v = n & 0xffff;
  return v >= 0x8000 ? v - 0x10000 : v;
}
