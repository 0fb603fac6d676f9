/**
 * A synthetic VP8-typed RTP sender on 127.0.0.1.
 *
 * Why not ffmpeg: mediasoup forwards RTP without decoding it, so the encoder only adds noise
 * to the measurement (its packet rate follows the picture content and key frames, and the
 * number of packets it sent is not known to this process). A fixed schedule — `fps` frames of
 * `packetsPerFrame` packets of `payloadBytes` — gives an exact, repeatable load, and the sent
 * count is ours to read. Packets are bursty per frame like a real camera's.
 *
 * Each packet carries a one-byte VP8 payload descriptor (S bit on the first packet of a frame)
 * followed by a VP8 frame header byte whose inverse key-frame bit marks key frames: mediasoup's
 * consumers drop everything until a key frame after they are resumed (SimpleConsumer's
 * syncRequired), so key frames are sent on every PLI/FIR and periodically.
 *
 * The payload also carries the send time (performance.now(), float64 at SENT_AT_OFFSET) so
 * sinks in this process can tell late packets from timely ones.
 */
import dgram from 'node:dgram';

/** What the source sends and where. */
export type RtpSourceOptions = {
  /** The producer PlainTransport's local port (comedia: it learns our address from us). */
  port: number;
  ssrc: number;
  payloadType: number;
  fps: number;
  packetsPerFrame: number;
  payloadBytes: number;
  /** A key frame at least this often, besides the ones the producer asks for. */
  keyFrameIntervalMs: number;
};

const HOST = '127.0.0.1';
const RTP_HEADER_BYTES = 12;
const VP8_CLOCK_RATE = 90_000;
/** After a stall, catch up at most this many frames at once rather than flooding. */
const MAX_CATCH_UP_FRAMES = 5;
/** Where in the payload the send time is written; VP8 headers take the bytes before it. */
export const SENT_AT_OFFSET = 8;
/** RTCP payload-specific feedback (PLI, FIR). */
const RTCP_PSFB = 206;

/** Sends RTP at a fixed rate until closed. */
export class RtpSource {
  readonly #socket: dgram.Socket;
  readonly #options: RtpSourceOptions;
  readonly #timer: NodeJS.Timeout;
  /** When the current sending run started, and frames sent in it. */
  #runStartedAt = performance.now();
  #runFrames = 0;
  #paused = true;
  #packetsSent = 0;
  #seq = 0;
  #timestamp = 0;
  #lastKeyFrameAt = -Infinity;
  #keyFrameRequested = true;
  #error: Error | null = null;
  #closed = false;

  private constructor(socket: dgram.Socket, options: RtpSourceOptions) {
    this.#socket = socket;
    this.#options = options;
    socket.on('message', (msg) => this.#onRtcp(msg));
    this.#timer = setInterval(() => this.#tick(), Math.max(1, Math.floor(1000 / options.fps / 2)));
  }

  /** Binds a socket on 127.0.0.1; the source starts paused. */
  static async open(options: RtpSourceOptions): Promise<RtpSource> {
    if (options.payloadBytes < SENT_AT_OFFSET + 8) throw new RangeError('payloadBytes too small for the send time');
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, HOST, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    const source = new RtpSource(socket, options);
    socket.on('error', (error) => source.#fail(error));
    return source;
  }

  /** RTP packets handed to the kernel so far. */
  get sent(): number {
    return this.#packetsSent;
  }

  /** The first socket error, if any: a source that failed makes the measurement void. */
  get error(): Error | null {
    return this.#error;
  }

  /** Starts (or restarts) sending on a fresh schedule: nothing is caught up after a pause. */
  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.#runStartedAt = performance.now();
    this.#runFrames = 0;
    this.#tick();
  }

  /** Stops sending; sequence numbers carry on where they stopped at the next resume. */
  pause(): void {
    this.#paused = true;
  }

  /** Stops sending and closes the socket; safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    await new Promise<void>((resolve) => this.#socket.close(() => resolve()));
  }

  #fail(error: Error): void {
    this.#error ??= error;
  }

  #tick(): void {
    if (this.#closed || this.#paused) return;
    const frameMs = 1000 / this.#options.fps;
    const due = Math.floor((performance.now() - this.#runStartedAt) / frameMs) + 1 - this.#runFrames;
    if (due > MAX_CATCH_UP_FRAMES) this.#runFrames += due - MAX_CATCH_UP_FRAMES;
    for (let i = 0; i < Math.min(due, MAX_CATCH_UP_FRAMES); i++) this.#sendFrame();
  }

  #sendFrame(): void {
    const { packetsPerFrame, keyFrameIntervalMs, fps } = this.#options;
    const now = performance.now();
    const key = this.#keyFrameRequested || now - this.#lastKeyFrameAt >= keyFrameIntervalMs;
    if (key) {
      this.#keyFrameRequested = false;
      this.#lastKeyFrameAt = now;
    }
    for (let i = 0; i < packetsPerFrame; i++) {
      this.#sendPacket(i === 0, i === packetsPerFrame - 1, key);
    }
    this.#runFrames++;
    this.#timestamp = (this.#timestamp + Math.round(VP8_CLOCK_RATE / fps)) >>> 0;
  }

  #sendPacket(first: boolean, last: boolean, key: boolean): void {
    const { payloadBytes, payloadType, ssrc, port } = this.#options;
    const packet = Buffer.alloc(RTP_HEADER_BYTES + payloadBytes);
    packet[0] = 0x80; // version 2, no padding, no extension, no CSRC
    packet[1] = (last ? 0x80 : 0) | payloadType;
    packet.writeUInt16BE(this.#seq, 2);
    packet.writeUInt32BE(this.#timestamp, 4);
    packet.writeUInt32BE(ssrc, 8);
    // VP8 payload descriptor: S=1, PartID=0 on a frame's first packet; then the frame
    // header's first byte: show_frame=1 and P (inverse key frame) = 0 for key frames.
    if (first) {
      packet[RTP_HEADER_BYTES] = 0x10;
      packet[RTP_HEADER_BYTES + 1] = key ? 0x10 : 0x11;
    }
    packet.writeDoubleBE(performance.now(), RTP_HEADER_BYTES + SENT_AT_OFFSET);
    this.#seq = (this.#seq + 1) & 0xffff;
    this.#packetsSent++;
    this.#socket.send(packet, port, HOST, (error) => {
      if (error) this.#fail(error);
    });
  }

  #onRtcp(msg: Buffer): void {
    // A compound RTCP packet: walk its parts and look for payload-specific feedback.
    for (let offset = 0; offset + 4 <= msg.length; ) {
      if (msg[offset + 1] === RTCP_PSFB) this.#keyFrameRequested = true;
      offset += (msg.readUInt16BE(offset + 2) + 1) * 4;
    }
  }
}
