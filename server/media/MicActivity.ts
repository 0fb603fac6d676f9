/**
 * Hears the microphones of a room's local peers while a roll call runs, so that the roll call
 * (signaling/room/rollCall.ts) takes "my microphone carries sound" from the media the server
 * receives, never from what a client says.
 *
 * NOTE: what is read is the producer's RTP packet count (`producer.getStats()`), not an
 * AudioLevelObserver. Under floor-only speaking a member's microphone is paused on the server
 * while they do not hold the floor, and a paused producer reaches no RTP observer and no
 * `rtp` trace (mediasoup's Producer::ReceiveRtpPacket stops before them); its receive stream
 * still counts every packet that arrives. The count tells sound from silence because our
 * clients send Opus with DTX (client/src/media/encodings.ts, MIC_CODEC_OPTIONS): while the
 * microphone hears nothing (or is muted, its track disabled) the encoder sends one packet per
 * 400 ms, and 50 a second while it hears something. A seat whose client sends no microphone
 * at all has no producer: nothing is heard, and the log says it had no microphone.
 */
import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import type { MicFact } from '../../signaling/room/result.js';
import type { RoomState } from '../../signaling/room/state.js';
import type { Logger } from '../log.js';
import type { MediaAppData } from './Peer.js';

/**
 * Packets a second from which a microphone carries sound. Measured: DTX silence sends 2.5 to 4
 * a second, sound 46 to 50, and a stream just started (the encoder's hangover) about 13.
 */
export const HEARD_PACKETS_PER_SECOND = 15;
/** How often the microphones of a room with a running roll call are read. */
export const MIC_SAMPLE_MS = 1000;
/** A reading closer than this to the previous one says too little about the rate; the previous stands. */
const MIN_SPAN_MS = 250;

/** What MicActivity reads of a room: its local peers' producers. */
export type MicSource = {
  readonly closed: boolean;
  peers(): Array<{ readonly id: string; readonly producers: ReadonlyMap<string, types.Producer<MediaAppData>> }>;
};

type MicActivityEvents = {
  /** A local peer's microphone carried sound in the last reading. */
  heard: [roomId: string, participantId: string, at: number];
};

type Reading = { packets: number; at: number };

/** The microphones of this process's peers, heard while their room holds a roll call. */
export class MicActivity extends EventEmitter<MicActivityEvents> {
  readonly #find: (roomId: string) => Promise<MicSource | undefined>;
  readonly #logger: Logger;
  readonly #clock: () => number;
  readonly #sampleMs: number;
  readonly #timers = new Map<string, ReturnType<typeof setInterval>>();
  /** The last reading of each microphone producer, by producer id. */
  readonly #readings = new Map<string, Reading>();
  /** Readings under way, by producer id. */
  readonly #inflight = new Map<string, Promise<void>>();
  /** When each peer was last heard, by room then participant. */
  readonly #heard = new Map<string, Map<string, number>>();

  constructor({
    find,
    logger,
    clock = Date.now,
    sampleMs = MIC_SAMPLE_MS,
  }: { find: (roomId: string) => Promise<MicSource | undefined>; logger: Logger; clock?: () => number; sampleMs?: number }) {
    super();
    this.#find = find;
    this.#logger = logger;
    this.#clock = clock;
    this.#sampleMs = sampleMs;
  }

  /** Listens to the room's microphones while its roll call (checked by media) runs, and stops after. */
  follow(roomId: string, state: RoomState): void {
    const rc = state.rollCall;
    const wanted = rc !== null && rc.endedAt === null && rc.media !== undefined && !state.ended;
    if (wanted && !this.#timers.has(roomId)) {
      const timer = setInterval(() => void this.#sampleRoom(roomId), this.#sampleMs);
      // Hearing microphones is never a reason to keep the process alive.
      timer.unref();
      this.#timers.set(roomId, timer);
      void this.#sampleRoom(roomId);
    } else if (!wanted && this.#timers.has(roomId)) {
      this.forget(roomId);
    }
  }

  /** A participant's microphone as heard now (read afresh): sent at all, and when it last carried sound. */
  async fact(roomId: string, participantId: string): Promise<MicFact> {
    const room = await this.#find(roomId);
    const peer = room?.peers().find((p) => p.id === participantId);
    const mics = peer ? microphones(peer.producers) : [];
    if (room && mics.length > 0) await this.#read(roomId, participantId, mics);
    return { hasMic: mics.length > 0, heardAt: this.#heard.get(roomId)?.get(participantId) ?? null };
  }

  /** Stops every timer; safe to call twice. */
  close(): void {
    for (const roomId of [...this.#timers.keys()]) this.forget(roomId);
  }

  /** Stops hearing a room (its roll call ended, or its media here closed). */
  forget(roomId: string): void {
    clearInterval(this.#timers.get(roomId));
    this.#timers.delete(roomId);
    this.#heard.delete(roomId);
    // Readings of producers of other rooms stay; these are read afresh at the next roll call.
    void this.#find(roomId).then((room) => {
      for (const peer of room?.peers() ?? []) for (const id of peer.producers.keys()) this.#readings.delete(id);
    });
  }

  async #sampleRoom(roomId: string): Promise<void> {
    try {
      const room = await this.#find(roomId);
      if (!room || room.closed) return;
      await Promise.all(room.peers().map((peer) => this.#read(roomId, peer.id, microphones(peer.producers))));
    } catch (error) {
      this.#logger.debug('microphones could not be read', { roomId }, error);
    }
  }

  /** Reads a peer's microphones; a rate above HEARD_PACKETS_PER_SECOND since the last reading is sound heard now. */
  async #read(roomId: string, participantId: string, mics: Array<types.Producer<MediaAppData>>): Promise<void> {
    await Promise.all(
      mics.map((producer) => {
        // NOTE: the timer's reading and a confirm's may overlap; the second waits for the first
        // instead of measuring the same packets twice.
        let reading = this.#inflight.get(producer.id);
        if (!reading) {
          reading = this.#readOne(roomId, participantId, producer).finally(() => this.#inflight.delete(producer.id));
          this.#inflight.set(producer.id, reading);
        }
        return reading;
      }),
    );
  }

  async #readOne(roomId: string, participantId: string, producer: types.Producer<MediaAppData>): Promise<void> {
    const before = this.#readings.get(producer.id);
    const now = this.#clock();
    if (before !== undefined && now - before.at < MIN_SPAN_MS) return;
    let packets: number;
    try {
      packets = (await producer.getStats()).reduce((sum, s) => sum + s.packetCount, 0);
    } catch {
      // Closed meanwhile: nothing more to hear from it.
      this.#readings.delete(producer.id);
      return;
    }
    this.#readings.set(producer.id, { packets, at: now });
    if (before === undefined || !this.#timers.has(roomId)) return;
    const rate = ((packets - before.packets) * 1000) / (now - before.at);
    if (rate < HEARD_PACKETS_PER_SECOND) return;
    let room = this.#heard.get(roomId);
    if (!room) this.#heard.set(roomId, (room = new Map()));
    room.set(participantId, now);
    this.emit('heard', roomId, participantId, now);
  }
}

/** A peer's open microphones (a venue terminal's hall microphone is one too). */
function microphones(producers: ReadonlyMap<string, types.Producer<MediaAppData>>): Array<types.Producer<MediaAppData>> {
  return [...producers.values()].filter((p) => p.kind === 'audio' && p.appData.source === 'mic' && !p.closed);
}
