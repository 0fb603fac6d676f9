/**
 * One track of the program: the RTP of whichever source consumer it carries now, rewritten so
 * that what leaves is one continuous stream — one SSRC, sequence numbers that go on by one,
 * timestamps that go on with the clock, VP8 picture ids and TL0 indexes that go on by one — and
 * sent into the program producers (one per audience router). A viewer's consumer of it never
 * learns that the source changed, so nobody makes new consumers when the floor moves.
 *
 * NOTE: after a video switch nothing is forwarded until the new source's key frame starts:
 * a delta frame of B decoded on top of A's last picture is the smear viewers would see.
 */
import { randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { types } from 'mediasoup';
import { readRtpHeader, readVp8Descriptor, writeRtpHeader, writeVp8PictureId } from './rtpPackets.js';

/** How long a switched video waits for its key frame before asking again. */
const KEY_FRAME_RETRY_MS = 500;

/** What the track writes into every packet it forwards. */
export type TrackFormat = { kind: 'audio' | 'video'; payloadType: number; clockRate: number; ssrc: number; vp8: boolean };

/** Where one source's numbering maps onto the output's. */
type Mapping = { inSeq: number; outSeq: number; inTs: number; outTs: number; inPid: number | null; outPid: number; inTl0: number | null; outTl0: number };

/** The output's last (highest) packet: where the next source continues from. */
type Last = { seq: number; ts: number; pid: number; tl0: number; at: number };

/** A program track: one source at a time, one continuous output. */
export class ProgramTrack {
  readonly format: TrackFormat;
  readonly #outputs = new Set<types.Producer>();
  #source: types.Consumer | null = null;
  #mapping: Mapping | null = null;
  #last: Last | null = null;
  #keyFrameAskedAt = -Infinity;
  #switches = 0;

  constructor(format: TrackFormat) {
    this.format = format;
  }

  /** The producer whose media this track carries now, if any. */
  get sourceProducerId(): string | null {
    return this.#source?.producerId ?? null;
  }

  /** How many times the source changed (for tests and stats). */
  get switches(): number {
    return this.#switches;
  }

  /** Adds a program producer the track feeds (it leaves the set when it closes). */
  addOutput(producer: types.Producer): void {
    this.#outputs.add(producer);
    producer.observer.once('close', () => this.#outputs.delete(producer));
  }

  /** Carries this consumer's media from now on (or nothing); the previous source's consumer closes. */
  switchTo(consumer: types.Consumer | null): void {
    const previous = this.#source;
    if (previous === consumer) return;
    this.#source = consumer;
    this.#mapping = null;
    this.#switches++;
    previous?.close();
    if (!consumer) return;
    consumer.on('rtp', (packet) => {
      if (this.#source === consumer) this.#forward(packet);
    });
    consumer.observer.once('close', () => {
      if (this.#source === consumer) {
        this.#source = null;
        this.#mapping = null;
      }
    });
    this.requestKeyFrame();
  }

  /** Asks the source for a key frame (a viewer arrived or lost one). */
  requestKeyFrame(): void {
    const source = this.#source;
    if (!source || source.kind !== 'video' || source.closed) return;
    this.#keyFrameAskedAt = performance.now();
    source.requestKeyFrame().catch(() => {
      // The source closed meanwhile: its replacement asks for its own.
    });
  }

  /** Stops carrying anything. */
  close(): void {
    this.switchTo(null);
    this.#outputs.clear();
  }

  #forward(packet: Buffer): void {
    const header = readRtpHeader(packet);
    if (!header) return;
    const vp8 = this.format.vp8 ? readVp8Descriptor(packet, header.payloadOffset) : null;
    if (this.format.vp8 && !vp8) return;
    let mapping = this.#mapping;
    if (!mapping) {
      if (vp8 && !vp8.keyFrame) {
        if (performance.now() - this.#keyFrameAskedAt > KEY_FRAME_RETRY_MS) this.requestKeyFrame();
        return;
      }
      mapping = this.#startMapping(header.sequenceNumber, header.timestamp, vp8);
    }
    const seqDelta = signed16(header.sequenceNumber - mapping.inSeq);
    // A packet from before the point where this source joined the output.
    if (seqDelta < 0) return;
    const seq = (mapping.outSeq + seqDelta) & 0xffff;
    const ts = (mapping.outTs + (header.timestamp - mapping.inTs)) >>> 0;
    writeRtpHeader(packet, { payloadType: this.format.payloadType, sequenceNumber: seq, timestamp: ts, ssrc: this.format.ssrc });
    let pid = 0;
    let tl0 = 0;
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
    const last = this.#last;
    if (!last || signed16(seq - last.seq) > 0) {
      this.#last = { seq, ts, pid: vp8?.pictureId ? pid : (last?.pid ?? 0), tl0: vp8?.tl0PicIdx ? tl0 : (last?.tl0 ?? 0), at: performance.now() };
    }
    for (const output of this.#outputs) output.send(packet);
  }

  /** Where a new source starts: right after the output's last packet, its timestamp advanced by the time since. */
  #startMapping(inSeq: number, inTs: number, vp8: ReturnType<typeof readVp8Descriptor>): Mapping {
    const last = this.#last;
    const elapsed = last ? Math.max(1, Math.round(((performance.now() - last.at) * this.format.clockRate) / 1000)) : 0;
    const mapping: Mapping = last
      ? { inSeq, outSeq: (last.seq + 1) & 0xffff, inTs, outTs: (last.ts + elapsed) >>> 0, inPid: null, outPid: (last.pid + 1) & 0x7fff, inTl0: null, outTl0: (last.tl0 + 1) & 0xff }
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
