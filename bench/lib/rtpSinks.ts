/**
 * UDP sinks on 127.0.0.1, one socket per consumer, counting the RTP they receive inside a
 * measurement window. Loss is counted from RTP sequence numbers, per sink: expected = highest
 * − first + 1 (sequence numbers extended past 16-bit wrap-around), so a packet lost anywhere
 * between the source and the sink counts, whatever the window's edges.
 *
 * A packet that arrives more than `lateMs` after the source sent it counts as lost too: it
 * would miss a receiver's playout deadline, and an overloaded worker first shows as a growing
 * queue in its socket buffer (about a second of this stream), long before that buffer
 * overflows. The source stamps its send time into the payload (see RtpSource); source and sinks
 * share this process's clock.
 *
 * Only the consumer's own SSRC is counted: mediasoup also sends bandwidth-probation padding
 * (its own SSRC and sequence space) on transports that negotiated transport-cc.
 */
import dgram from 'node:dgram';
import { SENT_AT_OFFSET } from './rtpSource.js';

const HOST = '127.0.0.1';

/** What the sinks received in one window. */
export type SinkWindow = {
  /** RTP packets received in time, over all sinks. */
  received: number;
  /** Packets received, but later than `lateMs`. */
  late: number;
  /** Packets the sinks' sequence numbers say were sent to them. */
  expected: number;
  /** Sinks that received nothing in the window (each charged `fallbackExpected` packets). */
  silent: number;
  /** Sinks that missed at least one packet or got one late. */
  lossy: number;
  /** The longest any packet took from the source to a sink, ms. */
  maxDelayMs: number;
};

type Counter = {
  /** The consumer's media SSRC; null until the consumer exists. */
  ssrc: number | null;
  /** Packets in the window, in time and late. */
  received: number;
  late: number;
  first: number;
  highest: number;
  /** Any RTP at all since the sink opened (warm-up), window or not. */
  seenAny: boolean;
};

/** N sockets, each the remote end of one consumer's PlainTransport. */
export class RtpSinks {
  readonly #sockets: dgram.Socket[];
  readonly #counters: Counter[];
  readonly #lateMs: number;
  #windowOpen = false;
  #maxDelayMs = 0;
  #error: Error | null = null;
  #closed = false;

  private constructor(sockets: dgram.Socket[], lateMs: number) {
    this.#sockets = sockets;
    this.#lateMs = lateMs;
    this.#counters = sockets.map(() => ({ ssrc: null, received: 0, late: 0, first: 0, highest: 0, seenAny: false }));
    sockets.forEach((socket, i) => {
      const counter = this.#counters[i];
      if (!counter) throw new TypeError('sink without a counter');
      socket.on('message', (msg) => this.#onPacket(counter, msg));
      socket.on('error', (error) => {
        this.#error ??= error;
      });
    });
  }

  /** Opens `count` sockets on 127.0.0.1, each on a port of the kernel's choosing. */
  static async open(count: number, lateMs: number): Promise<RtpSinks> {
    const sockets: dgram.Socket[] = [];
    try {
      for (let i = 0; i < count; i++) sockets.push(await bindSocket());
    } catch (error) {
      await Promise.all(sockets.map(closeSocket));
      throw error;
    }
    return new RtpSinks(sockets, lateMs);
  }

  /** The sinks' ports, by index. */
  get ports(): number[] {
    return this.#sockets.map((s) => s.address().port);
  }

  /** Tells sink `index` which SSRC its consumer sends; other SSRCs are not counted. */
  expectSsrc(index: number, ssrc: number): void {
    const counter = this.#counters[index];
    if (!counter) throw new RangeError(`no sink ${index}`);
    counter.ssrc = ssrc;
  }

  /** Sinks that have received any of their consumer's RTP since they opened. */
  get live(): number {
    return this.#counters.filter((c) => c.seenAny).length;
  }

  /** The first socket error, if any. */
  get error(): Error | null {
    return this.#error;
  }

  /** Starts counting from zero. */
  openWindow(): void {
    for (const c of this.#counters) {
      c.received = 0;
      c.late = 0;
    }
    this.#maxDelayMs = 0;
    this.#windowOpen = true;
  }

  /**
   * Stops counting and sums up. A sink that heard nothing cannot tell how much it missed, so it
   * is charged `fallbackExpected` (what the source sent in the window).
   */
  closeWindow(fallbackExpected: number): SinkWindow {
    this.#windowOpen = false;
    const result: SinkWindow = { received: 0, late: 0, expected: 0, silent: 0, lossy: 0, maxDelayMs: this.#maxDelayMs };
    for (const c of this.#counters) {
      if (c.received + c.late === 0) {
        result.silent++;
        result.expected += fallbackExpected;
        continue;
      }
      const expected = c.highest - c.first + 1;
      result.received += c.received;
      result.late += c.late;
      result.expected += expected;
      if (c.received < expected) result.lossy++;
    }
    return result;
  }

  /** Closes every socket; safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all(this.#sockets.map(closeSocket));
  }

  #onPacket(c: Counter, msg: Buffer): void {
    const arrivedAt = performance.now();
    // RTCP (the consumer's sender reports) shares the port: RFC 5761 tells them apart by the
    // second byte. RTP payload types stay below 64 or above 95 once the marker bit is masked.
    if (msg.length < 12) return;
    const pt = (msg[1] ?? 0) & 0x7f;
    if (pt >= 64 && pt <= 95) return;
    if (msg.readUInt32BE(8) !== c.ssrc) return;
    c.seenAny = true;
    if (!this.#windowOpen) return;
    const payload = payloadOffset(msg);
    if (payload === null || msg.length < payload + SENT_AT_OFFSET + 8) {
      this.#error ??= new Error('RTP packet too short for its send time');
      return;
    }
    const delayMs = arrivedAt - msg.readDoubleBE(payload + SENT_AT_OFFSET);
    if (delayMs > this.#maxDelayMs) this.#maxDelayMs = delayMs;

    const seq = msg.readUInt16BE(2);
    if (c.received + c.late === 0) {
      c.first = seq;
      c.highest = seq;
    } else {
      // Extend the 16-bit number to the one nearest the highest seen so far.
      const delta = ((seq - (c.highest & 0xffff) + 0x8000) & 0xffff) - 0x8000;
      const extended = c.highest + delta;
      if (extended > c.highest) c.highest = extended;
      // Reordered packets from before the first one widen the window downwards.
      if (extended < c.first) c.first = extended;
    }
    if (delayMs > this.#lateMs) c.late++;
    else c.received++;
  }
}

/** Where an RTP packet's payload starts (after CSRCs and the header extension), or null. */
function payloadOffset(msg: Buffer): number | null {
  const first = msg[0] ?? 0;
  let offset = 12 + 4 * (first & 0x0f);
  if (first & 0x10) {
    if (msg.length < offset + 4) return null;
    offset += 4 + 4 * msg.readUInt16BE(offset + 2);
  }
  return offset <= msg.length ? offset : null;
}

async function bindSocket(): Promise<dgram.Socket> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, HOST, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  return socket;
}

function closeSocket(socket: dgram.Socket): Promise<void> {
  return new Promise((resolve) => socket.close(() => resolve()));
}
