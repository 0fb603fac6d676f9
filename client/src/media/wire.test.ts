import { describe, expect, test, vi } from 'vitest';
import type { TransportOptions } from '../../../signaling/protocol.js';
import { parseCapabilitiesResponse, readProducerAppData, toClientTransportOptions, toRtcIceServers, toWireRtpParameters } from './wire.js';

describe('parseCapabilitiesResponse()', () => {
  test('accepts a router capability list', () => {
    const caps = parseCapabilitiesResponse({
      routerRtpCapabilities: {
        codecs: [{ kind: 'audio', mimeType: 'audio/opus', preferredPayloadType: 100, clockRate: 48000, channels: 2 }],
        headerExtensions: [{ kind: 'audio', uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', preferredId: 1 }],
      },
    });
    expect(caps.codecs?.[0]?.mimeType).toBe('audio/opus');
  });

  test('rejects anything else with CAPABILITIES', () => {
    expect(() => parseCapabilitiesResponse({ codecs: [] })).toThrow(expect.objectContaining({ code: 'CAPABILITIES' }));
    expect(() => parseCapabilitiesResponse('<html>')).toThrow(expect.objectContaining({ code: 'CAPABILITIES' }));
  });
});

test('toClientTransportOptions() keeps the server candidates and adds no ICE servers when none are offered', () => {
  const options: TransportOptions = {
    id: 't',
    iceParameters: { usernameFragment: 'u', password: 'p', iceLite: true },
    iceCandidates: [{ foundation: 'f', priority: 1, address: '10.0.0.1', ip: '10.0.0.1', protocol: 'udp', port: 40000, type: 'host' }],
    dtlsParameters: { role: 'auto', fingerprints: [{ algorithm: 'sha-256', value: 'AA' }] },
  };
  const out = toClientTransportOptions(options);
  expect(out.id).toBe('t');
  expect(out.iceCandidates).toEqual(options.iceCandidates);
  expect(out.iceServers).toEqual([]);
});

describe('relays offered with a transport', () => {
  const base: TransportOptions = {
    id: 't',
    iceParameters: { usernameFragment: 'u', password: 'p', iceLite: true },
    iceCandidates: [],
    dtlsParameters: { role: 'auto', fingerprints: [{ algorithm: 'sha-256', value: 'AA' }] },
  };

  test('toClientTransportOptions() hands them to the browser as they came', () => {
    const relay = { urls: ['turn:relay.example:3478?transport=udp', 'turns:relay.example:443?transport=tcp'], username: '1767225600:p-1', credential: 'c2VjcmV0' };
    expect(toClientTransportOptions({ ...base, iceServers: [relay] }).iceServers).toEqual([relay]);
  });

  test('toRtcIceServers() leaves out relays that are not as the protocol says', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(toRtcIceServers([{ urls: ['http://relay.example'], username: 'u', credential: 'c' }])).toEqual([]);
    expect(warn).toHaveBeenCalledOnce();
    warn.mockRestore();
  });
});

describe('toWireRtpParameters()', () => {
  test('drops what the protocol does not carry (msid, rtcp.mux) and keeps simulcast encodings', () => {
    const wire = toWireRtpParameters({
      mid: '0',
      msid: 'a b',
      codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000, parameters: {}, rtcpFeedback: [{ type: 'nack' }] }],
      encodings: [{ rid: 'r0', scalabilityMode: 'L1T3', maxBitrate: 100000 }, { rid: 'r1' }, { rid: 'r2' }],
      rtcp: { cname: 'c', reducedSize: true, mux: true },
    });
    expect(wire).not.toHaveProperty('msid');
    expect(wire.rtcp).toEqual({ cname: 'c', reducedSize: true });
    expect(wire.encodings?.map((e) => e.rid)).toEqual(['r0', 'r1', 'r2']);
  });

  test('rejects parameters the server would refuse', () => {
    expect(() => toWireRtpParameters({ codecs: [] })).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_MEDIA' }));
  });
});

describe('readProducerAppData()', () => {
  test('reads back what the client put in', () => {
    expect(readProducerAppData({ source: 'screen', paused: false })).toEqual({ source: 'screen', paused: false });
  });

  test('a producer without a source is a programming error', () => {
    expect(() => readProducerAppData({})).toThrow(TypeError);
  });
});
