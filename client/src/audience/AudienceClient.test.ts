// @vitest-environment jsdom
/**
 * The viewer's client and the way it watches: the WebRTC program is asked for only in 实时模式;
 * a server that refuses it (CAPACITY: the WebRTC audience is full) or offers none leaves the
 * page to the stream; the viewer's choice is remembered and asking again for 实时模式 asks the
 * server again. The socket is a stand-in answering as the server does; mediasoup-client's
 * device is one that loads without WebRTC (jsdom has none).
 */
import { afterEach, describe, expect, test, vi } from 'vitest';
import type { PublicView } from '../../../signaling/audience.js';
import type { Ack, AudienceJoined } from '../../../signaling/protocol.js';
import type { ProtocolSocket } from '../net/protocolSocket.js';
import { AudienceClient } from './AudienceClient.js';

vi.mock('mediasoup-client', () => ({
  Device: {
    factory: async () => ({
      load: async () => undefined,
      rtpCapabilities: { codecs: [], headerExtensions: [] },
      createRecvTransport: () => {
        throw new Error('not in these tests');
      },
    }),
  },
}));

const VIEW: PublicView = { roomId: 'room-1', topic: '议题', startsAt: null, phase: 'live', floor: null, stage: null, results: [], audience: { online: 1, visits: 1 } };

type Answer = (payload: unknown) => Ack<unknown>;

/** Answers each event as the server would; counts what was asked. */
class ServerStandIn {
  connected = false;
  active = false;
  readonly asked: string[] = [];
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
  timeout(): { emit: (event: string, payload: unknown, reply: (error: Error | null, ack: Ack<unknown>) => void) => void } {
    return {
      emit: (event, payload, reply) => {
        this.asked.push(event);
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
