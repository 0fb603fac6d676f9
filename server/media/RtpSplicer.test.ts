import { describe, expect, test } from 'vitest';
import { asksForKeyFrame, readRtpHeader, readVp8Descriptor } from './rtpPackets.js';
import { RtpSplicer, type TrackFormat } from './RtpSplicer.js';

const VIDEO: TrackFormat = { kind: 'video', payloadType: 101, clockRate: 90_000, ssrc: 0xabcdef01, vp8: true };
const AUDIO: TrackFormat = { kind: 'audio', payloadType: 100, clockRate: 48_000, ssrc: 0x01020304, vp8: false };

/** An RTP packet as a source sends it; VP8 packets carry a 15-bit picture id and a TL0 index. */
function rtp(p: { ssrc: number; seq: number; ts: number; pt?: number; vp8?: { start: boolean; key: boolean; pid: number; tl0: number } }): Uint8Array {
  const payload = p.vp8
    ? [0x80 | (p.vp8.start ? 0x10 : 0), 0xc0, 0x80 | (p.vp8.pid >> 8), p.vp8.pid & 0xff, p.vp8.tl0, p.vp8.key ? 0x00 : 0x01, 0, 0]
    : [0xfc, 0xff, 0xfe];
  const packet = new Uint8Array(12 + payload.length);
  const view = new DataView(packet.buffer);
  packet[0] = 0x80;
  packet[1] = p.pt ?? 96;
  view.setUint16(2, p.seq);
  view.setUint32(4, p.ts);
  view.setUint32(8, p.ssrc);
  packet.set(payload, 12);
  return packet;
}

function out(packet: Uint8Array) {
  const header = readRtpHeader(packet);
  if (!header) throw new Error('not RTP');
  const vp8 = readVp8Descriptor(packet, header.payloadOffset);
  return { ...header, pid: vp8?.pictureId?.value, tl0: vp8?.tl0PicIdx?.value };
}

describe('RtpSplicer', () => {
  test('two video sources make one stream: one SSRC, sequence, picture ids and TL0 going on by one, time going on with the clock', () => {
    let now = 1000;
    const splicer = new RtpSplicer(VIDEO, () => now);
    const a = [
      rtp({ ssrc: 1, seq: 65534, ts: 4_000_000_000, vp8: { start: true, key: true, pid: 32766, tl0: 255 } }),
      rtp({ ssrc: 1, seq: 65535, ts: 4_000_000_000, vp8: { start: false, key: false, pid: 32766, tl0: 255 } }),
      rtp({ ssrc: 1, seq: 0, ts: 4_000_003_000, vp8: { start: true, key: false, pid: 32767, tl0: 0 } }),
    ];
    const sent = a.map((p) => {
      expect(splicer.splice(p)).toBe('send');
      return out(p);
    });
    now += 500;
    splicer.nextSource();
    // B's delta frames before its key frame are held back.
    expect(splicer.splice(rtp({ ssrc: 2, seq: 100, ts: 7, vp8: { start: true, key: false, pid: 5, tl0: 9 } }))).toBe('needs-key-frame');
    const bKey = rtp({ ssrc: 2, seq: 101, ts: 9000, vp8: { start: true, key: true, pid: 6, tl0: 10 } });
    const bNext = rtp({ ssrc: 2, seq: 102, ts: 12000, vp8: { start: true, key: false, pid: 7, tl0: 10 } });
    expect(splicer.splice(bKey)).toBe('send');
    expect(splicer.splice(bNext)).toBe('send');
    sent.push(out(bKey), out(bNext));

    expect(new Set(sent.map((p) => p.ssrc))).toEqual(new Set([VIDEO.ssrc]));
    expect(new Set(sent.map((p) => p.payloadType))).toEqual(new Set([VIDEO.payloadType]));
    for (let i = 1; i < sent.length; i++) expect(sent[i]!.sequenceNumber).toBe((sent[0]!.sequenceNumber + i) & 0xffff);
    const pids = sent.map((p) => p.pid!);
    expect(pids.slice(1).map((pid, i) => (pid - pids[i]! + 0x8000) & 0x7fff)).toEqual([0, 1, 1, 1]);
    const tl0s = sent.map((p) => p.tl0!);
    expect(tl0s.slice(1).map((t, i) => (t - tl0s[i]! + 0x100) & 0xff)).toEqual([0, 1, 1, 0]);
    // Within A, its own timestamp steps; across the switch, the 500 ms that passed; within B, B's own.
    const ts = sent.map((p) => p.timestamp);
    expect(((ts[2]! - ts[1]!) >>> 0)).toBe(3000);
    expect(((ts[3]! - ts[2]!) >>> 0)).toBe(45_000);
    expect(((ts[4]! - ts[3]!) >>> 0)).toBe(3000);
  });

  test('a source keeps its own gaps and order; packets from before it joined are dropped', () => {
    const splicer = new RtpSplicer(AUDIO, () => 0);
    const first = rtp({ ssrc: 9, seq: 10, ts: 960 });
    const reordered = [rtp({ ssrc: 9, seq: 13, ts: 3840 }), rtp({ ssrc: 9, seq: 12, ts: 2880 })];
    const before = rtp({ ssrc: 9, seq: 9, ts: 0 });
    expect(splicer.splice(first)).toBe('send');
    for (const p of reordered) expect(splicer.splice(p)).toBe('send');
    expect(splicer.splice(before)).toBe('drop');
    const base = out(first).sequenceNumber;
    expect(reordered.map((p) => (out(p).sequenceNumber - base) & 0xffff)).toEqual([3, 2]);
  });

  test('audio needs no key frame: the next source goes on at once', () => {
    let now = 0;
    const splicer = new RtpSplicer(AUDIO, () => now);
    const a = rtp({ ssrc: 1, seq: 500, ts: 48_000 });
    splicer.splice(a);
    now = 20;
    splicer.nextSource();
    const b = rtp({ ssrc: 2, seq: 7, ts: 123 });
    expect(splicer.splice(b)).toBe('send');
    expect((out(b).sequenceNumber - out(a).sequenceNumber) & 0xffff).toBe(1);
    expect((out(b).timestamp - out(a).timestamp) >>> 0).toBe(960);
  });

  test('garbage is dropped, never sent', () => {
    const splicer = new RtpSplicer(VIDEO, () => 0);
    expect(splicer.splice(new Uint8Array(5))).toBe('drop');
    const truncated = rtp({ ssrc: 1, seq: 1, ts: 1, vp8: { start: true, key: true, pid: 1, tl0: 1 } }).slice(0, 14);
    expect(splicer.splice(truncated)).toBe('drop');
  });
});

describe('asksForKeyFrame', () => {
  const rr = [0x80, 201, 0, 1, 0, 0, 0, 1];
  const pli = [0x81, 206, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2];
  const fir = [0x84, 206, 0, 4, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 1, 0, 0, 0];
  const remb = [0x8f, 206, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0];
  test.each([
    ['a receiver report', rr, false],
    ['a PLI', pli, true],
    ['a FIR', fir, true],
    ['REMB (application feedback)', remb, false],
    ['a PLI after a receiver report', [...rr, ...pli], true],
  ])('%s', (_, bytes, asks) => {
    expect(asksForKeyFrame(new Uint8Array(bytes))).toBe(asks);
  });
});
