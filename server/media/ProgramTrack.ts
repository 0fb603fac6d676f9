/**
 * One track of the program: the RTP of whichever source consumer it carries now, rewritten so
 * that what leaves is one continuous stream — one SSRC, sequence numbers that go on by one,
 * timestamps that go on with the clock, VP8 picture ids and TL0 indexes that go on by one — and
 * sent into the program producers (one per audience router). A viewer's consumer of it never
 * learns that the source changed, so nobody makes new consumers when the floor moves.
 * The rewriting itself is RtpSplicer's; this class holds the source and the outputs.
 */
import { performance } from 'node:perf_hooks';
import type { types } from 'mediasoup';
import { RtpSplicer, type TrackFormat } from './RtpSplicer.js';

export type { TrackFormat } from './RtpSplicer.js';

/** How long a switched video waits for its key frame before asking again. */
const KEY_FRAME_RETRY_MS = 500;
/** Viewers' requests for a key frame closer together than this are one request. */
const KEY_FRAME_MIN_GAP_MS = 300;

/** A program track: one source at a time, one continuous output. */
export class ProgramTrack {
  readonly format: TrackFormat;
  readonly #outputs = new Set<types.Producer>();
  #source: types.Consumer | null = null;
  readonly #splicer: RtpSplicer;
  #keyFrameAskedAt = -Infinity;
  #switches = 0;

  constructor(format: TrackFormat) {
    this.format = format;
    this.#splicer = new RtpSplicer(format);
  }

  /** The producer whose media this track carries now, if any. */
  get sourceProducerId(): string | null {
    return this.#source?.producerId ?? null;
  }

  /** How many times the source changed (for tests and stats). */
  get switches(): number {
    return this.#switches;
  }

  /** Adds a program producer the track feeds (it leaves the set when it closes). */
  addOutput(producer: types.Producer): void {
    this.#outputs.add(producer);
    producer.observer.once('close', () => this.#outputs.delete(producer));
  }

  /** Carries this consumer's media from now on (or nothing); the previous source's consumer closes. */
  switchTo(consumer: types.Consumer | null): void {
    const previous = this.#source;
    if (previous === consumer) return;
    this.#source = consumer;
    this.#splicer.nextSource();
    this.#switches++;
    previous?.close();
    if (!consumer) return;
    consumer.on('rtp', (packet) => {
      if (this.#source === consumer) this.#forward(packet);
    });
    consumer.observer.once('close', () => {
      if (this.#source === consumer) {
        this.#source = null;
        this.#splicer.nextSource();
      }
    });
    this.requestKeyFrame({ now: true });
  }

  /**
   * Asks the source for a key frame (a viewer arrived or lost one). NOTE: a crowd arriving
   * together asks once per KEY_FRAME_MIN_GAP_MS, not once each: every key frame costs the
   * speaker's uplink, and one serves all the viewers.
   */
  requestKeyFrame({ now = false }: { now?: boolean } = {}): void {
    const source = this.#source;
    if (!source || source.kind !== 'video' || source.closed) return;
    const at = performance.now();
    if (!now && at - this.#keyFrameAskedAt < KEY_FRAME_MIN_GAP_MS) return;
    this.#keyFrameAskedAt = at;
    source.requestKeyFrame().catch(() => {
      // The source closed meanwhile: its replacement asks for its own.
    });
  }

  /** Stops carrying anything. */
  close(): void {
    this.switchTo(null);
    this.#outputs.clear();
  }

  #forward(packet: Buffer): void {
    const verdict = this.#splicer.splice(packet);
    if (verdict === 'needs-key-frame') {
      if (performance.now() - this.#keyFrameAskedAt > KEY_FRAME_RETRY_MS) this.requestKeyFrame();
      return;
    }
    if (verdict === 'drop') return;
    for (const output of this.#outputs) output.send(packet);
  }
}
