/**
 * The few RTP and RTCP fields the program needs to read and rewrite in place (RFC 3550, the
 * VP8 payload descriptor of RFC 7741, PLI and FIR of RFC 4585 / 5104). Pure functions over
 * buffers, so the switching rules are testable without a worker.
 */

/** Where the payload starts and what the fixed header says; null for a packet too short or not RTP v2. */
export type RtpHeader = {
  payloadType: number;
  marker: boolean;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  /** Offset of the payload (after CSRCs and the header extension). */
  payloadOffset: number;
};

/** Reads an RTP packet's header. */
export function readRtpHeader(packet: Uint8Array): RtpHeader | null {
  if (packet.length < 12 || packet[0]! >> 6 !== 2) return null;
  const view = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
  const csrcCount = packet[0]! & 0x0f;
  let offset = 12 + 4 * csrcCount;
  if (packet[0]! & 0x10) {
    if (packet.length < offset + 4) return null;
    offset += 4 + 4 * view.getUint16(offset + 2);
  }
  // Padding (the P bit) only shortens the payload's end, which nothing here reads.
  if (offset > packet.length) return null;
  return {
    payloadType: packet[1]! & 0x7f,
    marker: (packet[1]! & 0x80) !== 0,
    sequenceNumber: view.getUint16(2),
    timestamp: view.getUint32(4),
    ssrc: view.getUint32(8),
    payloadOffset: offset,
  };
}

/** Rewrites the fixed header fields in place. */
export function writeRtpHeader(
  packet: Uint8Array,
  fields: { payloadType: number; sequenceNumber: number; timestamp: number; ssrc: number },
): void {
  const view = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
  packet[1] = (packet[1]! & 0x80) | (fields.payloadType & 0x7f);
  view.setUint16(2, fields.sequenceNumber & 0xffff);
  view.setUint32(4, fields.timestamp >>> 0);
  view.setUint32(8, fields.ssrc >>> 0);
}

/** The VP8 payload descriptor's fields the program keeps continuous, with where they sit. */
export type Vp8Descriptor = {
  /** Start of a partition, and partition 0: the first packet of a frame. */
  frameStart: boolean;
  /** The first packet of a key frame (only meaningful when `frameStart`). */
  keyFrame: boolean;
  pictureId: { offset: number; bits: 7 | 15; value: number } | null;
  tl0PicIdx: { offset: number; value: number } | null;
};

/** Reads the VP8 payload descriptor of a packet's payload; null if it is cut short. */
export function readVp8Descriptor(packet: Uint8Array, payloadOffset: number): Vp8Descriptor | null {
  let i = payloadOffset;
  if (i >= packet.length) return null;
  const first = packet[i++]!;
  const extended = (first & 0x80) !== 0;
  const frameStart = (first & 0x10) !== 0 && (first & 0x07) === 0;
  let pictureId: Vp8Descriptor['pictureId'] = null;
  let tl0PicIdx: Vp8Descriptor['tl0PicIdx'] = null;
  if (extended) {
    if (i >= packet.length) return null;
    const flags = packet[i++]!;
    if (flags & 0x80) {
      if (i >= packet.length) return null;
      if (packet[i]! & 0x80) {
        if (i + 1 >= packet.length) return null;
        pictureId = { offset: i, bits: 15, value: ((packet[i]! & 0x7f) << 8) | packet[i + 1]! };
        i += 2;
      } else {
        pictureId = { offset: i, bits: 7, value: packet[i]! & 0x7f };
        i += 1;
      }
    }
    if (flags & 0x40) {
      if (i >= packet.length) return null;
      tl0PicIdx = { offset: i, value: packet[i]! };
      i += 1;
    }
    if (flags & 0x30) i += 1;
  }
  if (i >= packet.length) return null;
  // The VP8 payload header's P bit is 0 for a key frame (RFC 7741 §4.3).
  const keyFrame = frameStart && (packet[i]! & 0x01) === 0;
  return { frameStart, keyFrame, pictureId, tl0PicIdx };
}

/** Writes a picture id in place, in the width the packet already uses. */
export function writeVp8PictureId(packet: Uint8Array, at: { offset: number; bits: 7 | 15 }, value: number): void {
  if (at.bits === 15) {
    packet[at.offset] = 0x80 | ((value >> 8) & 0x7f);
    packet[at.offset + 1] = value & 0xff;
  } else {
    packet[at.offset] = value & 0x7f;
  }
}

/** Does this (possibly compound) RTCP packet ask for a key frame (PLI or FIR)? */
export function asksForKeyFrame(rtcp: Uint8Array): boolean {
  let i = 0;
  while (i + 4 <= rtcp.length) {
    const fmt = rtcp[i]! & 0x1f;
    const type = rtcp[i + 1]!;
    const words = (rtcp[i + 2]! << 8) | rtcp[i + 3]!;
    if (type === 206 && (fmt === 1 || fmt === 4)) return true;
    i += 4 * (words + 1);
  }
  return false;
}
