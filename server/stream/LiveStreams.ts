/**
 * Every room's live stream on this process. A stream starts on the first request for its
 * playlist and stops when nobody has asked for it for a while (STREAM_IDLE_SECONDS).
 *
 * NOTE: started by requests, not by the room having viewers: an encoder is a core's worth of
 * work, spent only while somebody (a player, or the cache in front) actually fetches the stream.
 * The WebRTC audience and the stream are independent; a request every second or two from a
 * cache keeps one encoder running for any number of viewers behind it.
 */
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Logger } from '../log.js';
import type { ProgramTap } from '../media/AudienceMedia.js';
import { Encoder, encodersHealth, type EncodersHealth, type StreamStatus } from './Encoder.js';
import { hlsJob } from './hlsJob.js';
import type { EncoderEvents } from './hostNotice.js';

/** What the streams need. */
export type LiveStreamsDeps = {
  /** Where each stream's directory goes (DATA_DIR/stream). */
  dir: string;
  ffmpegPath: string;
  idleMs: number;
  openTap: (roomId: string) => Promise<ProgramTap>;
  logger: Logger;
};

/** The streams' state for /healthz and metrics. */
export type StreamsHealth = EncodersHealth;

/** `waiting`: requests waiting for the first playlist now; a stream being waited for is not idle. */
type Entry = { stream: Encoder; dir: string; lastAskedAt: number; waiting: number };

/** Every room's stream. */
export class LiveStreams extends EventEmitter<EncoderEvents> {
  readonly #deps: LiveStreamsDeps;
  readonly #streams = new Map<string, Entry>();
  readonly #sweep: NodeJS.Timeout;
  /** Restarts of streams already stopped, so the total only grows. */
  #pastRestarts = 0;
  #lastError: string | null = null;
  #started = 0;

  constructor(deps: LiveStreamsDeps) {
    super();
    this.#deps = deps;
    this.#sweep = setInterval(() => this.#stopIdle(), Math.max(1000, deps.idleMs / 4));
    this.#sweep.unref();
  }

  /**
   * The room's stream directory once its playlist is written, starting the stream if needed;
   * null if the playlist is not there within `withinMs`.
   */
  async playlistDir(roomId: string, withinMs: number): Promise<string | null> {
    const entry = this.#touch(roomId);
    entry.waiting++;
    try {
      return (await entry.stream.live(withinMs)) ? entry.dir : null;
    } finally {
      entry.waiting--;
      entry.lastAskedAt = performance.now();
    }
  }

  /** The directory of a running stream (a segment request does not start one). */
  runningDir(roomId: string): string | null {
    const entry = this.#streams.get(roomId);
    if (!entry) return null;
    entry.lastAskedAt = performance.now();
    return entry.dir;
  }

  /** The room's stream (for tests and benches). */
  stream(roomId: string): Encoder | undefined {
    return this.#streams.get(roomId)?.stream;
  }

  /** The directory the room's stream writes into (for tests and benches). */
  dir(roomId: string): string | undefined {
    return this.#streams.get(roomId)?.dir;
  }

  /** Stops the room's stream now (its meeting ended, or its media went away). */
  stop(roomId: string): void {
    const entry = this.#streams.get(roomId);
    if (!entry) return;
    this.#streams.delete(roomId);
    this.#pastRestarts += entry.stream.status.restarts;
    entry.stream.close();
    this.emit('stop', roomId);
  }

  health(): StreamsHealth {
    return encodersHealth(
      [...this.#streams.values()].map((e) => e.stream.status),
      this.#pastRestarts,
      this.#lastError,
    );
  }

  /** Stops every stream; safe to call twice. */
  close(): void {
    clearInterval(this.#sweep);
    for (const roomId of [...this.#streams.keys()]) this.stop(roomId);
  }

  #touch(roomId: string): Entry {
    let entry = this.#streams.get(roomId);
    if (!entry) {
      // NOTE: a directory per stream, not per room: a stream stopping removes its own files
      // while the room's next stream may already be writing.
      const dir = path.join(this.#deps.dir, `${roomId}.${(this.#started++).toString(36)}${Date.now().toString(36)}`);
      const stream = new Encoder({
        job: hlsJob(dir),
        ffmpegPath: this.#deps.ffmpegPath,
        openTap: () => this.#deps.openTap(roomId),
        logger: this.#deps.logger.child('room', { roomId }),
      });
      stream.on('status', (status) => {
        if (stream.closed) return;
        if (status.error !== null) this.#lastError = status.error;
        this.emit('status', roomId, status);
      });
      entry = { stream, dir, lastAskedAt: performance.now(), waiting: 0 };
      this.#streams.set(roomId, entry);
    }
    entry.lastAskedAt = performance.now();
    return entry;
  }

  #stopIdle(): void {
    const now = performance.now();
    for (const [roomId, entry] of this.#streams) if (entry.waiting === 0 && now - entry.lastAskedAt > this.#deps.idleMs) this.stop(roomId);
  }
}
