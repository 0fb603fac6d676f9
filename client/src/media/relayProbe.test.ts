import { describe, expect, test } from 'vitest';
import { probeRelay, type ProbeConnection } from './relayProbe.js';

type Listener = (event: never) => void;

/** A stand-in RTCPeerConnection: the test plays the browser's ICE agent through `emit`. */
class FakeConnection implements ProbeConnection {
  readonly config: RTCConfiguration;
  readonly listeners = new Map<string, Listener[]>();
  closed = false;
  described = false;
  constructor(config: RTCConfiguration) {
    this.config = config;
  }
  addEventListener(type: 'icecandidate', listener: (event: { candidate: { candidate: string } | null }) => void): void;
  addEventListener(type: 'icecandidateerror', listener: (event: { errorCode: number }) => void): void;
  addEventListener(type: string, listener: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  emit(type: 'icecandidate', event: { candidate: { candidate: string } | null }): void;
  emit(type: 'icecandidateerror', event: { errorCode: number }): void;
  emit(type: string, event: unknown): void {
    for (const listener of this.listeners.get(type) ?? []) (listener as (e: unknown) => void)(event);
  }
  createDataChannel(): unknown {
    return {};
  }
  async createOffer(): Promise<RTCSessionDescriptionInit> {
    return { type: 'offer', sdp: 'v=0' };
  }
  async setLocalDescription(): Promise<void> {
    this.described = true;
  }
  close(): void {
    this.closed = true;
  }
}

const relays: RTCIceServer[] = [{ urls: ['turn:relay.example:3478?transport=udp'], username: '1:p', credential: 'c' }];

/** Starts a probe and hands back its connection once the offer is set (when gathering starts). */
async function probing(timeoutMs = 60_000) {
  let pc: FakeConnection | undefined;
  const verdict = probeRelay(relays, {
    timeoutMs,
    connect: (config) => {
      pc = new FakeConnection(config);
      return pc;
    },
  });
  await Promise.resolve();
  await Promise.resolve();
  if (!pc?.described) throw new Error('the probe did not start gathering');
  return { pc, verdict };
}

describe('probeRelay()', () => {
  test('asks the same relays with a relay-only policy, and answers reachable on a relay candidate', async () => {
    const { pc, verdict } = await probing();
    expect(pc.config).toEqual({ iceServers: relays, iceTransportPolicy: 'relay' });
    pc.emit('icecandidate', { candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 50000 typ relay raddr 0.0.0.0 rport 0' } });
    expect(await verdict).toBe('reachable');
    expect(pc.closed).toBe(true);
  });

  test('answers refused when a relay says 401 Unauthorized', async () => {
    const { pc, verdict } = await probing();
    pc.emit('icecandidateerror', { errorCode: 701 });
    pc.emit('icecandidateerror', { errorCode: 401 });
    expect(await verdict).toBe('refused');
    expect(pc.closed).toBe(true);
  });

  test('answers unreachable when gathering ends with neither a candidate nor a refusal', async () => {
    const { pc, verdict } = await probing();
    pc.emit('icecandidateerror', { errorCode: 701 });
    pc.emit('icecandidate', { candidate: null });
    expect(await verdict).toBe('unreachable');
  });

  test('answers unreachable when the relay stays silent past the timeout', async () => {
    const { pc, verdict } = await probing(20);
    expect(await verdict).toBe('unreachable');
    expect(pc.closed).toBe(true);
  });
});
