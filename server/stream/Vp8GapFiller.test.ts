import { describe, expect, test } from 'vitest';
import { readRtpHeader } from '../media/rtpPackets.js';
import { ivfFrames, Vp8GapFiller } from './Vp8GapFiller.js';

const SLATE = Uint8Array.of(0x50, 0x42, 0x00, 0x9d, 0x01, 0x2a);

/** A VP8 packet: one-byte descriptor (S bit on a frame start), then a payload header whose P bit says key or delta. */
function vp8(seq: number, ts: number, { start = true, key = false }: { start?: boolean; key?: boolean } = {}): Uint8Array {
  const p = new Uint8Array(12 + 1 + 3);
  p[0] = 0x80;
  p[1] = 96;
  new DataView(p.buffer).setUint16(2, seq);
  new DataView(p.buffer).setUint32(4, ts);
  new DataView(p.buffer).setUint32(8, 0x1234);
  p[12] = start ? 0x10 : 0x00;
  p[13] = key ? 0x00 : 0x01;
  return p;
}

function rig() {
  const sent: Uint8Array[] = [];
  let asked = 0;
  const filler = new Vp8GapFiller({ payloadType: 101, ssrc: 7 }, SLATE, (p) => sent.push(p), () => asked++);
  return { sent, filler, asked: () => asked };
}

describe('Vp8GapFiller', () => {
  test('waits for a key frame (asking for one), then passes the source renumbered', () => {
    const { sent, filler, asked } = rig();
    filler.push(vp8(100, 90_000), 0);
    expect(sent).toHaveLength(0);
    expect(asked()).toBe(1);
    filler.push(vp8(101, 93_000, { key: true }), 10);
    filler.push(vp8(102, 93_000, { start: false }), 11);
    filler.push(vp8(103, 96_000), 50);
    const headers = sent.map((p) => readRtpHeader(p)!);
    expect(headers.map((h) => [h.sequenceNumber, h.payloadType, h.ssrc])).toEqual([
      [0, 101, 7],
      [1, 101, 7],
      [2, 101, 7],
    ]);
    // The source's own spacing is kept.
    expect(headers[1]!.timestamp).toBe(headers[0]!.timestamp);
    expect(headers[2]!.timestamp - headers[0]!.timestamp).toBe(3000);
  });

  test('shows the slate after a second without packets, five times a second, then needs a key frame again', () => {
    const { sent, filler, asked } = rig();
    filler.push(vp8(1, 1000, { key: true }), 0);
    filler.tick(900);
    expect(sent).toHaveLength(1);
    filler.tick(1000);
    filler.tick(1100);
    filler.tick(1200);
    expect(sent).toHaveLength(3);
    const slate = sent[1]!;
    expect(readRtpHeader(slate)).toMatchObject({ sequenceNumber: 1, marker: true, payloadType: 101, ssrc: 7 });
    expect([...slate.subarray(12)]).toEqual([0x10, ...SLATE]);
    expect(readRtpHeader(sent[2]!)!.timestamp - readRtpHeader(slate)!.timestamp).toBe(200 * 90);
    // The source comes back with a delta frame: dropped until its key frame.
    filler.push(vp8(2, 4000), 1250);
    expect(sent).toHaveLength(3);
    expect(asked()).toBe(1);
    filler.push(vp8(3, 7000, { key: true }), 1300);
    const back = readRtpHeader(sent[3]!)!;
    expect(back.sequenceNumber).toBe(3);
    expect(back.timestamp).toBeGreaterThan(readRtpHeader(sent[2]!)!.timestamp);
  });

  test('a program that never had a picture shows the slate from its first second on', () => {
    const { sent, filler } = rig();
    filler.tick(0);
    filler.tick(999);
    expect(sent).toHaveLength(0);
    filler.tick(1000);
    expect(sent).toHaveLength(1);
  });
});

describe('ivfFrames', () => {
  test('reads the frames of an IVF file', () => {
    const header = new Uint8Array(32);
    header.set([0x44, 0x4b, 0x49, 0x46]);
    new DataView(header.buffer).setUint16(6, 32, true);
    const frame = (bytes: number[]) => {
      const f = new Uint8Array(12 + bytes.length);
      new DataView(f.buffer).setUint32(0, bytes.length, true);
      f.set(bytes, 12);
      return f;
    };
    const ivf = Uint8Array.from([...header, ...frame([1, 2, 3]), ...frame([4])]);
    expect(ivfFrames(ivf).map((f) => [...f])).toEqual([[1, 2, 3], [4]]);
    expect(() => ivfFrames(Uint8Array.of(1, 2, 3))).toThrow(TypeError);
  });
});
