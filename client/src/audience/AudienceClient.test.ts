// @vitest-environment jsdom
/**
 * The viewer's client and the way it watches: the WebRTC program is asked for only in 实时模式;
 * a server that refuses it (CAPACITY: the WebRTC audience is full) or offers none leaves the
 * page to the stream; the viewer's choice is remembered and asking again for 实时模式 asks the
 * server again. The socket is a stand-in answering as the server does; mediasoup-client's
 * device is one that loads without WebRTC (jsdom has none).
 */
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { PublicView } from '../../../signaling/audience.js';
import type { Ack, AudienceJoined } from '../../../signaling/protocol.js';
import type { ProtocolSocket } from '../net/protocolSocket.js';
import { AudienceClient } from './AudienceClient.js';

/** A receive transport as mediasoup-client's, moved by the test: its events, its tracks. */
class FakeTransport {
  static made: FakeTransport[] = [];
  closed = false;
  readonly tracks: FakeTrack[] = [];
  readonly #handlers = new Map<string, Array<(...args: unknown[]) => void>>();
  constructor(readonly id: string) {
    FakeTransport.made.push(this);
  }
  on(event: string, handler: (...args: unknown[]) => void): this {
    this.#handlers.set(event, [...(this.#handlers.get(event) ?? []), handler]);
    return this;
  }
  emit(event: string, ...args: unknown[]): void {
    for (const handler of this.#handlers.get(event) ?? []) handler(...args);
  }
  async consume(): Promise<{ track: FakeTrack }> {
    const track = new FakeTrack();
    this.tracks.push(track);
    return { track };
  }
  close(): void {
    this.closed = true;
  }
}

/** A remote track: muted until its first packet (W3C WebRTC). */
class FakeTrack extends EventTarget {
  muted = true;
  stop(): void {}
  firstPacket(): void {
    this.muted = false;
    this.dispatchEvent(new Event('unmute'));
  }
}

vi.mock('mediasoup-client', () => ({
  Device: {
    factory: async () => ({
      load: async () => undefined,
      rtpCapabilities: { codecs: [], headerExtensions: [] },
      createRecvTransport: (options: { id: string }) => new FakeTransport(options.id),
    }),
  },
}));

beforeEach(() => {
  FakeTransport.made = [];
  // jsdom has no MediaStream.
  vi.stubGlobal(
    'MediaStream',
    class {
      readonly #tracks: unknown[] = [];
      addTrack(track: unknown): void {
        this.#tracks.push(track);
      }
      getTracks(): unknown[] {
        return this.#tracks;
      }
    },
  );
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const VIEW: PublicView = { roomId: 'room-1', topic: '议题', startsAt: null, phase: 'live', floor: null, stage: null, recording: false, recordingPublished: false, results: [], audience: { online: 1, visits: 1 } };

type Answer = (payload: unknown) => Ack<unknown>;

/** Answers each event as the server would; counts what was asked. */
class ServerStandIn {
  connected = false;
  active = false;
  readonly asked: string[] = [];
  /** What `audience:comments` asked, in order. */
  readonly follows: boolean[] = [];
  readonly #handlers = new Map<string, (...args: unknown[]) => void>();
  constructor(readonly answers: Record<string, Answer>) {}
  on(event: string, handler: (...args: unknown[]) => void): this {
    this.#handlers.set(event, handler);
    return this;
  }
  connect(): this {
    this.connected = this.active = true;
    this.#handlers.get('connect')?.();
    return this;
  }
  disconnect(): this {
    const was = this.connected;
    this.connected = this.active = false;
    if (was) this.#handlers.get('disconnect')?.('io client disconnect');
    return this;
  }
  /** The server sends an event. */
  send(event: string, data: unknown): void {
    this.#handlers.get(event)?.(data);
  }
  timeout(): { emit: (event: string, payload: unknown, reply: (error: Error | null, ack: Ack<unknown>) => void) => void } {
    return {
      emit: (event, payload, reply) => {
        this.asked.push(event);
        if (event === 'audience:comments') this.follows.push((payload as { follow: boolean }).follow);
        const answer = this.answers[event];
        queueMicrotask(() => reply(null, answer ? answer(payload) : { ok: false, error: 'FORBIDDEN' }));
      },
    };
  }
}

function joinedWith(media: AudienceJoined['media']): Answer {
  return () => ({ ok: true, data: { view: VIEW, serverTime: Date.now(), media } satisfies AudienceJoined });
}
const WITH_PROGRAM = joinedWith({ routerRtpCapabilities: { codecs: [], headerExtensions: [] } });

function memoryStorage(initial: Record<string, string> = {}): Pick<Storage, 'getItem' | 'setItem'> & { items: Map<string, string> } {
  const items = new Map(Object.entries(initial));
  return { items, getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v) };
}

let client: AudienceClient | null = null;
afterEach(() => client?.close());

function connect(server: ServerStandIn, storage = memoryStorage()): AudienceClient {
  // NOTE: the stand-in has only what AudienceClient uses of a Socket.IO socket.
  client = new AudienceClient('public-link', server as unknown as ProtocolSocket, storage);
  client.start();
  return client;
}

async function until(c: AudienceClient, ok: (s: ReturnType<AudienceClient['getState']>) => boolean): Promise<void> {
  if (ok(c.getState())) return;
  await new Promise<void>((resolve) => {
    const stop = c.subscribe(() => {
      if (!ok(c.getState())) return;
      stop();
      resolve();
    });
  });
}

describe('AudienceClient: how the viewer watches', () => {
  test('the WebRTC audience full (CAPACITY): realtime is full; 实时模式 asked again asks the server again', async () => {
    const server = new ServerStandIn({ 'audience:join': WITH_PROGRAM, 'audience:watch': () => ({ ok: false, error: 'CAPACITY', detail: 'the audience is full on this server' }) });
    const c = connect(server);
    await until(c, (s) => s.realtime === 'full');
    expect(server.asked).toEqual(['audience:join', 'audience:watch']);
    c.choose('realtime');
    expect(c.getState().realtime).toBe('connecting');
    await until(c, (s) => s.realtime === 'full');
    expect(server.asked.filter((e) => e === 'audience:watch')).toHaveLength(2);
  });

  test('a refusal stands across a reconnect: the page does not flap back to 实时模式 by itself', async () => {
    const server = new ServerStandIn({ 'audience:join': WITH_PROGRAM, 'audience:watch': () => ({ ok: false, error: 'CAPACITY' }) });
    const c = connect(server);
    await until(c, (s) => s.realtime === 'full');
    server.disconnect();
    server.connect();
    await until(c, (s) => s.status === 'watching');
    expect(c.getState().realtime).toBe('full');
    expect(server.asked.filter((e) => e === 'audience:watch')).toHaveLength(1);
  });

  test('流畅模式 remembered: the program is not asked for; choosing 实时模式 asks and is remembered', async () => {
    const storage = memoryStorage({ 'wsl.watchMode': 'smooth' });
    const server = new ServerStandIn({ 'audience:join': WITH_PROGRAM, 'audience:watch': () => ({ ok: false, error: 'CAPACITY' }) });
    const c = connect(server, storage);
    await until(c, (s) => s.status === 'watching');
    expect(c.getState()).toMatchObject({ preference: 'smooth', realtime: 'idle' });
    expect(server.asked).toEqual(['audience:join']);
    c.choose('realtime');
    expect(storage.items.get('wsl.watchMode')).toBe('realtime');
    await until(c, (s) => s.realtime === 'full');
    expect(server.asked).toEqual(['audience:join', 'audience:watch']);
    c.choose('smooth');
    expect(storage.items.get('wsl.watchMode')).toBe('smooth');
    expect(c.getState()).toMatchObject({ preference: 'smooth', realtime: 'idle' });
  });

  test('a server that offers no WebRTC program: absent (the page plays the stream)', async () => {
    const server = new ServerStandIn({ 'audience:join': joinedWith(null) });
    const c = connect(server);
    await until(c, (s) => s.status === 'watching');
    expect(c.getState().realtime).toBe('absent');
    expect(server.asked).toEqual(['audience:join']);
  });
});

/** The server's answer to audience:watch: a transport and the program's video consumer. */
const WATCHED: Answer = () => ({
  ok: true,
  data: {
    recvTransport: {
      id: 'transport-1',
      iceParameters: { usernameFragment: 'u', password: 'p', iceLite: true },
      iceCandidates: [],
      dtlsParameters: { role: 'auto', fingerprints: [{ algorithm: 'sha-256', value: 'AA' }] },
    },
    consumers: [{ id: 'consumer-1', producerId: 'producer-1', peerId: 'program', kind: 'video', source: 'camera', rtpParameters: { codecs: [] }, producerPaused: false }],
  },
});

const OK: Answer = () => ({ ok: true, data: null });

async function watching(): Promise<{ c: AudienceClient; transport: FakeTransport }> {
  const server = new ServerStandIn({ 'audience:join': WITH_PROGRAM, 'audience:watch': WATCHED, 'consumer:resume': OK, 'transport:connect': OK });
  const c = connect(server);
  await until(c, (s) => s.stream !== null);
  const transport = FakeTransport.made[0];
  if (!transport) throw new Error('no transport made');
  return { c, transport };
}

describe('AudienceClient: when WebRTC cannot connect', () => {
  test('the first packet makes it playing; ICE or DTLS failing afterwards closes it and leaves the page to the stream', async () => {
    const { c, transport } = await watching();
    expect(c.getState().realtime).toBe('connecting');
    transport.tracks[0]?.firstPacket();
    expect(c.getState().realtime).toBe('playing');
    transport.emit('connectionstatechange', 'failed');
    expect(c.getState()).toMatchObject({ realtime: 'failed', stream: null });
    expect(transport.closed).toBe(true);
  });

  test('a transport still not connected 10 s after it began counts as failed', async () => {
    const { c, transport } = await watching();
    vi.useFakeTimers();
    transport.emit('connect', { dtlsParameters: {} }, () => undefined, () => undefined);
    transport.emit('connectionstatechange', 'connecting');
    vi.advanceTimersByTime(9_999);
    expect(c.getState().realtime).toBe('connecting');
    vi.advanceTimersByTime(1);
    expect(c.getState().realtime).toBe('failed');
    expect(transport.closed).toBe(true);
  });

  test('connected in time: nothing changes (a dark, silent program is no failure)', async () => {
    const { c, transport } = await watching();
    vi.useFakeTimers();
    transport.emit('connect', { dtlsParameters: {} }, () => undefined, () => undefined);
    transport.emit('connectionstatechange', 'connected');
    vi.advanceTimersByTime(60_000);
    expect(c.getState().realtime).toBe('connecting');
    expect(transport.closed).toBe(false);
  });
});

describe('AudienceClient: the comments come only while the page shows them', () => {
  const FOLLOWING = { 'audience:join': joinedWith(null), 'audience:comments': () => ({ ok: true, data: null }) } satisfies Record<string, Answer>;
  const CHANGE = { roomId: 'room-1', comments: [] };

  test('joined, it asks for nothing until the board listens; the last listener gone, it asks to stop', async () => {
    const server = new ServerStandIn(FOLLOWING);
    const c = connect(server);
    await until(c, (s) => s.status === 'watching');
    expect(server.follows).toEqual([]);
    const heard: unknown[] = [];
    let following = 0;
    const stopFirst = c.onComments((change) => heard.push(change), () => following++);
    const stopSecond = c.onComments(() => undefined);
    expect(server.follows).toEqual([true]);
    await vi.waitFor(() => expect(following).toBe(1));
    server.send('comments:changed', CHANGE);
    expect(heard).toEqual([CHANGE]);
    stopFirst();
    expect(server.follows).toEqual([true]);
    stopSecond();
    expect(server.follows).toEqual([true, false]);
    server.send('comments:changed', CHANGE);
    expect(heard).toEqual([CHANGE]);
  });

  test('a board listening before the join is followed once joined, and again after a dropped connection, each time told to read afresh', async () => {
    const server = new ServerStandIn(FOLLOWING);
    client = new AudienceClient('public-link', server as unknown as ProtocolSocket, memoryStorage());
    let following = 0;
    client.onComments(() => undefined, () => following++);
    expect(server.asked).toEqual([]);
    client.start();
    await vi.waitFor(() => expect(following).toBe(1));
    expect(server.follows).toEqual([true]);
    server.disconnect();
    server.connect();
    await vi.waitFor(() => expect(following).toBe(2));
    expect(server.asked).toEqual(['audience:join', 'audience:comments', 'audience:join', 'audience:comments']);
    expect(server.follows).toEqual([true, true]);
  });

  test('a refused follow is not taken for following: the board is not told to expect changes, and asking again asks the server again', async () => {
    let refuse = true;
    const server = new ServerStandIn({ ...FOLLOWING, 'audience:comments': () => (refuse ? { ok: false, error: 'RATE_LIMITED' } : { ok: true, data: null }) });
    const c = connect(server);
    await until(c, (s) => s.status === 'watching');
    let following = 0;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const stop = c.onComments(() => undefined, () => following++);
    await vi.waitFor(() => expect(warn).toHaveBeenCalledOnce());
    warn.mockRestore();
    expect(following).toBe(0);
    stop();
    // Not following: nothing to stop.
    expect(server.follows).toEqual([true]);
    refuse = false;
    c.onComments(() => undefined, () => following++);
    await vi.waitFor(() => expect(following).toBe(1));
    expect(server.follows).toEqual([true, true]);
  });
});
