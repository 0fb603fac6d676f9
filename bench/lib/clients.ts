/**
 * Plain socket.io-client sockets for the signaling benchmarks: no media, no room fold. What a
 * socket receives is checked here with small guards (the hot path sees up to 10^6 messages,
 * so no zod on it); payloads sent are typed by the protocol's own types.
 */
import { performance } from 'node:perf_hooks';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { PROTOCOL_VERSION } from '../../signaling/protocol.js';
import { unpackEvents, type EventsMessage } from '../../signaling/room/eventsMessage.js';
import type { JoinRoom } from '../../signaling/schemas.js';

/** An untyped client socket: whatever arrives is `unknown` until a guard here has looked. */
export type BenchSocket = Socket;

/** An error ack: the server's stable code and detail. */
export class AckError extends Error {
  constructor(
    readonly code: string,
    detail: string | undefined,
    event: string,
  ) {
    super(`${event}: ${code}${detail ? ` (${detail})` : ''}`);
  }
}

/** A plain object (wire data), ready for property checks. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Connects one socket over WebSocket, without reconnection; from `localAddress` if given (any
 * 127.x.y.z reaches a server on 127.0.0.1, so clients on one machine can be apart by address).
 */
export async function connect(url: string, localAddress?: string): Promise<BenchSocket> {
  // NOTE: engine.io-client hands `localAddress` on to the WebSocket in Node, but its options
  // type does not list it, hence the intersection.
  const options: Partial<ManagerOptions & SocketOptions> & { localAddress?: string } = {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: 30_000,
    ...(localAddress ? { localAddress } : {}),
  };
  const socket = io(url, options);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

/** Runs `task` over `items` with at most `concurrency` at a time; answers results in order. */
export async function inBatches<T, R>(items: readonly T[], concurrency: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  // One iterator shared by the lanes: each takes the next item when it is free.
  const work = items.entries();
  const lane = async (): Promise<void> => {
    for (const [index, item] of work) results[index] = await task(item, index);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
  return results;
}

/** Connects `count` sockets to `url`, `concurrency` handshakes at a time. */
export function connectMany(url: string, count: number, concurrency = 50): Promise<BenchSocket[]> {
  return inBatches(Array.from({ length: count }, (_, i) => i), concurrency, () => connect(url));
}

/** Sends one request and answers the `data` of an ok ack; throws AckError on an error ack. */
export async function request(socket: BenchSocket, event: string, payload: unknown, timeoutMs = 120_000): Promise<unknown> {
  const answer: unknown = await socket.timeout(timeoutMs).emitWithAck(event, payload);
  if (!isRecord(answer)) throw new TypeError(`${event}: malformed ack`);
  if (answer.ok === true) return answer.data;
  if (answer.ok === false && typeof answer.error === 'string') {
    throw new AckError(answer.error, typeof answer.detail === 'string' ? answer.detail : undefined, event);
  }
  throw new TypeError(`${event}: malformed ack`);
}

/** The `seq` of a command's ack data (`{ seq }`). */
export function seqOf(data: unknown): number {
  if (!isRecord(data) || typeof data.seq !== 'number') throw new TypeError('ack data has no seq');
  return data.seq;
}

/** Joins a room without media capabilities; answers whether media came with the ack (admitted). */
export async function joinRoom(socket: BenchSocket, invite: string, name: string): Promise<{ withMedia: boolean }> {
  const payload: JoinRoom = { protocolVersion: PROTOCOL_VERSION, invite, name, rtpCapabilities: {} };
  const joined = await request(socket, 'room:join', payload);
  if (!isRecord(joined) || typeof joined.participantId !== 'string') throw new TypeError('room:join: malformed answer');
  return { withMedia: joined.media !== null };
}

/** One room event as far as the benchmarks look at it. */
export type WireEvent = { seq: number; type: string; data: unknown };

/** The events of a `room:events` payload (its runs of votes unpacked); throws on anything else. */
export function wireEvents(payload: unknown): WireEvent[] {
  if (!isRecord(payload) || !Array.isArray(payload.events)) throw new TypeError('room:events: no events array');
  for (const e of payload.events as unknown[]) {
    if (!isRecord(e) || typeof e.seq !== 'number' || typeof e.type !== 'string') throw new TypeError('room:events: malformed event');
    if (e.type === 'poll.voteRun' && (!Array.isArray(e.voters) || !Array.isArray(e.at))) throw new TypeError('room:events: malformed run of votes');
  }
  return unpackEvents(payload as unknown as EventsMessage).map((e) => ({ seq: e.seq, type: e.type, data: e.data }));
}

/**
 * When each room-event seq reached the tracked clients (performance.now(), ms). One waiter at
 * a time: the benchmarks have one command in flight, or wait for a storm to drain.
 */
export class Arrivals {
  readonly #times = new Map<number, number[]>();
  #messages = 0;
  #waiter: { seq: number; count: number; done: (error: Error | null) => void } | null = null;
  #failure: Error | null = null;

  /** Listens on `socket`; `onEvent` sees each event too (e.g. to keep a result). */
  track(socket: BenchSocket, onEvent?: (event: WireEvent) => void): void {
    socket.on('room:events', (payload: unknown) => {
      const at = performance.now();
      this.#messages += 1;
      try {
        for (const event of wireEvents(payload)) {
          this.#record(event.seq, at);
          onEvent?.(event);
        }
      } catch (error) {
        this.fail(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  /** `room:events` messages the tracked clients received so far. */
  get messages(): number {
    return this.#messages;
  }

  /** Fails the current and every later wait (a malformed message, a lost socket). */
  fail(error: Error): void {
    this.#failure ??= error;
    this.#waiter?.done(this.#failure);
  }

  /** Resolves with the arrival times once `count` clients received `seq`, and forgets them. */
  waitFor(seq: number, count: number, timeoutMs: number): Promise<number[]> {
    if (this.#waiter) return Promise.reject(new TypeError('Arrivals: one wait at a time'));
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise<number[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        const got = this.#times.get(seq)?.length ?? 0;
        this.#waiter?.done(new Error(`seq ${seq} reached ${got} of ${count} clients in ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiter = {
        seq,
        count,
        done: (error) => {
          clearTimeout(timer);
          this.#waiter = null;
          if (error) {
            reject(error);
            return;
          }
          const times = this.#times.get(seq) ?? [];
          this.forgetThrough(seq);
          resolve(times);
        },
      };
      if ((this.#times.get(seq)?.length ?? 0) >= count) this.#waiter.done(null);
    });
  }

  /** Drops what is kept for seqs up to `seq` (events nobody waits for). */
  forgetThrough(seq: number): void {
    for (const key of this.#times.keys()) if (key <= seq) this.#times.delete(key);
  }

  #record(seq: number, at: number): void {
    let times = this.#times.get(seq);
    if (!times) {
      times = [];
      this.#times.set(seq, times);
    }
    times.push(at);
    const waiter = this.#waiter;
    if (waiter && waiter.seq === seq && times.length >= waiter.count) waiter.done(null);
  }
}

/** Disconnects seen by `failOnDisconnect`. */
export type DisconnectWatch = {
  /** Stops failing waits (the run is over; the server is about to close). */
  stop(): void;
  /** `N × reason, …` of the disconnects so far, or '' if none. */
  summary(): string;
};

/** Watches sockets for an unexpected disconnect and fails every `arrivals` with it. */
export function failOnDisconnect(sockets: readonly BenchSocket[], arrivals: readonly Arrivals[]): DisconnectWatch {
  let stopped = false;
  const reasons = new Map<string, number>();
  for (const socket of sockets) {
    socket.on('disconnect', (reason) => {
      if (stopped) return;
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      for (const a of arrivals) a.fail(new Error(`a client was disconnected: ${reason}`));
    });
  }
  return {
    stop: () => {
      stopped = true;
    },
    summary: () => [...reasons].map(([reason, count]) => `${count} × ${reason}`).join(', '),
  };
}
