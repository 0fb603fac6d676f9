/**
 * One extra UDP sink that keeps, for every RTP packet of its consumer inside a window, how long
 * the packet took from the source (the send time RtpSource stamps into the payload). Two probes
 * fed by the same producer through different paths see the same packets, told apart by that
 * send time (each consumer rewrites sequence numbers, so they cannot be matched by those): the
 * per-packet difference of their delays is the extra latency of one path over the other, with
 * the source's own jitter cancelled out.
 *
 * RtpSinks keeps only the largest delay over all its sockets, which says how late the worst
 * packet was but not what a typical packet paid for a hop; hence a separate, single socket.
 */
import dgram from 'node:dgram';
import { SENT_AT_OFFSET } from './rtpSource.js';

const HOST = '127.0.0.1';

/** Per-packet delays of one probe in a window, by the packet's send time. */
export type ProbeWindow = Map<number, number>;

/** A sink that records each packet's delay. */
export class DelayProbe {
  readonly #socket: dgram.Socket;
  #ssrc: number | null = null;
  #seenAny = false;
  #window: ProbeWindow | null = null;
  #error: Error | null = null;
  #closed = false;

  private constructor(socket: dgram.Socket) {
    this.#socket = socket;
    socket.on('message', (msg) => this.#onPacket(msg));
    socket.on('error', (error) => {
      this.#error ??= error;
    });
  }

  /** Binds a socket on 127.0.0.1 on a port of the kernel's choosing. */
  static async open(): Promise<DelayProbe> {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, HOST, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    return new DelayProbe(socket);
  }

  get port(): number {
    return this.#socket.address().port;
  }

  /** Whether any RTP of the expected SSRC arrived since the probe opened. */
  get live(): boolean {
    return this.#seenAny;
  }

  get error(): Error | null {
    return this.#error;
  }

  /** The SSRC its consumer sends; others (probation padding, RTCP) are not recorded. */
  expectSsrc(ssrc: number): void {
    this.#ssrc = ssrc;
  }

  /** Starts recording from empty. */
  openWindow(): void {
    this.#window = new Map();
  }

  /** Stops recording and hands the window over. */
  closeWindow(): ProbeWindow {
    const window = this.#window ?? new Map<number, number>();
    this.#window = null;
    return window;
  }

  /** Closes the socket; safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await new Promise<void>((resolve) => this.#socket.close(() => resolve()));
  }

  #onPacket(msg: Buffer): void {
    const arrivedAt = performance.now();
    if (msg.length < 12) return;
    // RTCP shares the port (RFC 5761): payload types 64–95 once the marker bit is masked.
    const pt = (msg[1] ?? 0) & 0x7f;
    if (pt >= 64 && pt <= 95) return;
    if (msg.readUInt32BE(8) !== this.#ssrc) return;
    this.#seenAny = true;
    if (!this.#window) return;
    const payload = payloadOffset(msg);
    if (payload === null || msg.length < payload + SENT_AT_OFFSET + 8) {
      this.#error ??= new Error('RTP packet too short for its send time');
      return;
    }
    const sentAt = msg.readDoubleBE(payload + SENT_AT_OFFSET);
    this.#window.set(sentAt, arrivedAt - sentAt);
  }
}

/** Delay percentiles of one probe, ms; null without packets. */
export function delayPercentiles(window: ProbeWindow): { p50: number; p95: number } | null {
  return percentiles([...window.values()]);
}

/**
 * How much later each packet reached probe `far` than probe `near`, over the packets both
 * received, ms; null when they share none.
 */
export function pairedExtra(near: ProbeWindow, far: ProbeWindow): { p50: number; p95: number; pairs: number } | null {
  const deltas: number[] = [];
  for (const [sentAt, farDelay] of far) {
    const nearDelay = near.get(sentAt);
    if (nearDelay !== undefined) deltas.push(farDelay - nearDelay);
  }
  const p = percentiles(deltas);
  return p && { ...p, pairs: deltas.length };
}

/** Merges windows of several turns (send times never repeat within a run). */
export function mergeWindows(windows: ProbeWindow[]): ProbeWindow {
  const merged: ProbeWindow = new Map();
  for (const window of windows) for (const [k, v] of window) merged.set(k, v);
  return merged;
}

function percentiles(values: number[]): { p50: number; p95: number } | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { p50: at(0.5), p95: at(0.95) };
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
