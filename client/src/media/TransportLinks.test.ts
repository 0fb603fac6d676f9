import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { RelayVerdict } from './relayProbe.js';
import { TransportLinks, type MediaLinkProblem, type WatchedTransport } from './TransportLinks.js';

/** A transport the test moves through its connection states. */
class FakeTransport extends EventEmitter implements WatchedTransport {
  closed = false;
  constructor(readonly id: string) {
    super();
  }
}

const relays: RTCIceServer[] = [{ urls: ['turn:relay.example:3478'], username: '1:p', credential: 'c' }];

let shown: Array<MediaLinkProblem | null>;
let probes: Array<{ relays: RTCIceServer[]; answer: (verdict: RelayVerdict) => void }>;
let links: TransportLinks;

beforeEach(() => {
  vi.useFakeTimers();
  shown = [];
  probes = [];
  links = new TransportLinks((problem) => shown.push(problem), {
    stallMs: 10_000,
    probe: (r) => new Promise((resolve) => probes.push({ relays: r, answer: resolve })),
  });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('TransportLinks', () => {
  test('a failed transport offered a relay is explained by the probe: refused, then gone once connected', async () => {
    const send = new FakeTransport('send');
    links.watch(send, relays);
    send.emit('connectionstatechange', 'failed');
    expect(probes).toHaveLength(1);
    probes[0]?.answer('refused');
    await vi.runAllTimersAsync();
    expect(shown).toEqual(['relayRefused']);
    send.emit('connectionstatechange', 'connected');
    expect(shown).toEqual(['relayRefused', null]);
  });

  test('a transport still connecting after the stall time is diagnosed, probing the relays of its latest ICE restart', async () => {
    const recv = new FakeTransport('recv');
    links.watch(recv, relays);
    recv.emit('connect');
    const fresh: RTCIceServer[] = [{ urls: ['turn:relay.example:3478'], username: '2:p', credential: 'fresh' }];
    links.relaysChanged('recv', fresh);
    await vi.advanceTimersByTimeAsync(9_999);
    expect(probes).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(probes.map((p) => p.relays)).toEqual([fresh]);
    probes[0]?.answer('unreachable');
    await vi.runAllTimersAsync();
    expect(shown).toEqual(['relayUnreachable']);
  });

  test('a transport that connects in time shows nothing; without relays a failure is just a failure', async () => {
    const send = new FakeTransport('send');
    const recv = new FakeTransport('recv');
    links.watch(send, []);
    links.watch(recv, []);
    recv.emit('connect');
    recv.emit('connectionstatechange', 'connected');
    await vi.advanceTimersByTimeAsync(20_000);
    expect(shown).toEqual([]);
    send.emit('connectionstatechange', 'failed');
    expect(probes).toEqual([]);
    expect(shown).toEqual(['failed']);
    links.clear();
    expect(shown).toEqual(['failed', null]);
  });

  test('a probe that answers after the transport connected shows nothing', async () => {
    const send = new FakeTransport('send');
    links.watch(send, relays);
    send.emit('connectionstatechange', 'failed');
    send.emit('connectionstatechange', 'connected');
    probes[0]?.answer('refused');
    await vi.runAllTimersAsync();
    expect(shown).toEqual([]);
  });
});
