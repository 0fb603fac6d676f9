import { describe, expect, test } from 'vitest';
import { programSdp } from './sdp.js';

describe('programSdp', () => {
  test('writes one m-line per stream with its rtpmap, on loopback', () => {
    const sdp = programSdp([
      { kind: 'video', port: 40000, payloadType: 101, codec: 'VP8', clockRate: 90000 },
      { kind: 'audio', port: 40002, payloadType: 100, codec: 'opus', clockRate: 48000, channels: 2 },
    ]);
    expect(sdp.split('\r\n')).toEqual([
      'v=0',
      'o=- 0 0 IN IP4 127.0.0.1',
      's=program',
      'c=IN IP4 127.0.0.1',
      't=0 0',
      'm=video 40000 RTP/AVP 101',
      'a=rtpmap:101 VP8/90000',
      'a=recvonly',
      'm=audio 40002 RTP/AVP 100',
      'a=rtpmap:100 opus/48000/2',
      'a=recvonly',
      '',
    ]);
  });

  test('refuses an odd port (its RTCP would share the next stream’s) and an empty list', () => {
    expect(() => programSdp([{ kind: 'video', port: 40001, payloadType: 96, codec: 'VP8', clockRate: 90000 }])).toThrow(TypeError);
    expect(() => programSdp([])).toThrow(TypeError);
  });
});
