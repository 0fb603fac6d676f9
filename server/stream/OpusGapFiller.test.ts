import { describe, expect, test } from 'vitest';
import { readRtpHeader } from '../media/rtpPackets.js';
import { OPUS_SILENCE, OpusGapFiller } from './OpusGapFiller.js';

function rtp(seq: number, ts: number, payload = [1, 2, 3]): Uint8Array {
  const p = new Uint8Array(12 + payload.length);
  p[0] = 0x80;
  p[1] = 111;
  new DataView(p.buffer).setUint16(2, seq);
  new DataView(p.buffer).setUint32(4, ts);
  new DataView(p.buffer).setUint32(8, 0xabcdef);
  p.set(payload, 12);
  return p;
}

function collect(): { sent: Uint8Array[]; filler: OpusGapFiller } {
  const sent: Uint8Array[] = [];
  return { sent, filler: new OpusGapFiller({ payloadType: 100, ssrc: 42 }, (p) => sent.push(p)) };
}

describe('OpusGapFiller', () => {
  test('passes packets renumbered into its own SSRC, payload type and sequence', () => {
    const { sent, filler } = collect();
    filler.push(rtp(5000, 123456), 0);
    filler.push(rtp(5001, 124416), 20);
    expect(sent.map((p) => readRtpHeader(p))).toMatchObject([
      { payloadType: 100, ssrc: 42, sequenceNumber: 0, timestamp: 0 },
      { payloadType: 100, ssrc: 42, sequenceNumber: 1, timestamp: 960 },
    ]);
    expect([...sent[0]!.subarray(12)]).toEqual([1, 2, 3]);
  });

  test('sends nothing of its own while packets come, even with some jitter', () => {
    const { sent, filler } = collect();
    filler.push(rtp(1, 0), 0);
    filler.tick(30);
    filler.push(rtp(2, 960), 45);
    filler.tick(70);
    expect(sent).toHaveLength(2);
  });

  test('fills a gap with one silence frame per 20 ms, numbered on from the last packet', () => {
    const { sent, filler } = collect();
    filler.push(rtp(1, 0), 0);
    filler.tick(100);
    expect(sent).toHaveLength(1 + 5);
    const headers = sent.map((p) => readRtpHeader(p)!);
    expect(headers.map((h) => h.sequenceNumber)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(headers.map((h) => h.timestamp)).toEqual([0, 960, 1920, 2880, 3840, 4800]);
    expect([...sent[1]!.subarray(12)]).toEqual([...OPUS_SILENCE]);
    filler.push(rtp(2, 960), 110);
    expect(readRtpHeader(sent.at(-1)!)).toMatchObject({ sequenceNumber: 6, timestamp: 5760 });
  });

  test('a track that never sent anything is silence from the first tick on', () => {
    const { sent, filler } = collect();
    filler.tick(1000);
    filler.tick(1100);
    expect(sent).toHaveLength(5);
  });

  test('drops what is not RTP', () => {
    const { sent, filler } = collect();
    filler.push(Uint8Array.of(1, 2, 3), 0);
    expect(sent).toHaveLength(0);
  });
});
