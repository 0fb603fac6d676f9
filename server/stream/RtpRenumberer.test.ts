import { describe, expect, test } from 'vitest';
import { readRtpHeader } from '../media/rtpPackets.js';
import { RtpRenumberer } from './RtpRenumberer.js';

/** A source packet: payload type 96, marker as given, its own sequence, timestamp and SSRC. */
function source(seq: number, ts: number, { marker = false, payload = [7, 8, 9] }: { marker?: boolean; payload?: number[] } = {}): Uint8Array {
  const p = new Uint8Array(12 + payload.length);
  p[0] = 0x80;
  p[1] = (marker ? 0x80 : 0) | 96;
  new DataView(p.buffer).setUint16(2, seq);
  new DataView(p.buffer).setUint32(4, ts);
  new DataView(p.buffer).setUint32(8, 0xdeadbeef);
  p.set(payload, 12);
  return p;
}

describe('RtpRenumberer', () => {
  test('renumber() copies a source packet under the output payload type, SSRC and its own sequence, keeping marker and payload', () => {
    const renumberer = new RtpRenumberer({ payloadType: 101, ssrc: 7 });
    const original = source(5000, 123_456, { marker: true });
    const out = renumberer.renumber(original, 3000);
    expect(readRtpHeader(out)).toMatchObject({ payloadType: 101, ssrc: 7, sequenceNumber: 0, timestamp: 3000, marker: true });
    expect([...out.subarray(12)]).toEqual([7, 8, 9]);
    // The source's packet is not touched: its buffer may be read again elsewhere.
    expect(readRtpHeader(original)).toMatchObject({ payloadType: 96, ssrc: 0xdeadbeef, sequenceNumber: 5000, timestamp: 123_456 });
    expect(out).not.toBe(original);
  });

  test('make() builds a packet of its own: RTP v2 header, the marker asked for, then the payload', () => {
    const renumberer = new RtpRenumberer({ payloadType: 100, ssrc: 42 });
    const marked = renumberer.make(Uint8Array.of(0x10, 1, 2), 18_000, true);
    const unmarked = renumberer.make(Uint8Array.of(0xf8, 0xff, 0xfe), 960, false);
    expect(marked).toHaveLength(15);
    expect(marked[0]).toBe(0x80);
    expect(readRtpHeader(marked)).toMatchObject({ payloadType: 100, ssrc: 42, sequenceNumber: 0, timestamp: 18_000, marker: true, payloadOffset: 12 });
    expect([...marked.subarray(12)]).toEqual([0x10, 1, 2]);
    expect(readRtpHeader(unmarked)).toMatchObject({ payloadType: 100, ssrc: 42, sequenceNumber: 1, timestamp: 960, marker: false });
    expect([...unmarked.subarray(12)]).toEqual([0xf8, 0xff, 0xfe]);
  });

  test('source packets and made packets share one unbroken sequence, whatever the source numbered', () => {
    const renumberer = new RtpRenumberer({ payloadType: 101, ssrc: 7 });
    const out = [
      renumberer.renumber(source(900, 0), 0),
      renumberer.make(Uint8Array.of(1), 100, true),
      renumberer.renumber(source(17, 0), 200),
      renumberer.renumber(source(65_535, 0), 300),
    ];
    expect(out.map((p) => readRtpHeader(p)!.sequenceNumber)).toEqual([0, 1, 2, 3]);
  });

  test('the sequence wraps from 65535 to 0', () => {
    const renumberer = new RtpRenumberer({ payloadType: 101, ssrc: 7 });
    for (let i = 0; i < 65_535; i++) renumberer.make(Uint8Array.of(0), 0, false);
    const last = renumberer.renumber(source(1, 0), 0);
    const wrapped = renumberer.make(Uint8Array.of(0), 0, false);
    expect(readRtpHeader(last)!.sequenceNumber).toBe(65_535);
    expect(readRtpHeader(wrapped)!.sequenceNumber).toBe(0);
  });
});
