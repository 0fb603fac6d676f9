/**
 * The recorder of each room whose recording is on: an Encoder writing the program into the
 * room's recording directory, one part per run (recordingJob). It follows the room's state —
 * the host starts and stops the recording in the log, the meeting's end stops it — for every
 * room with media on this process.
 *
 * With several processes exactly one records a room: the one holding the room's `recorder`
 * duty (Cluster.lead). When that process dies, its duty is free once the others see it gone,
 * and a process with the room's media takes it and goes on in a new part; the dead process's
 * part is fragmented MP4 and plays up to where it stopped.
 */
import { EventEmitter } from 'node:events';
import { AppError } from '../../signaling/errors.js';
import type { RecordingPart, RoomState } from '../../signaling/room/state.js';
import type { Cluster } from '../cluster/Cluster.js';
import type { Logger } from '../log.js';
import type { ProgramTap } from '../media/AudienceMedia.js';
import type { MediaRoom } from '../media/MediaRoom.js';
import type { MediaRooms } from '../media/MediaRooms.js';
import type { RoomService } from '../rooms/RoomService.js';
import { Encoder, encodersHealth, type EncodersHealth } from '../stream/Encoder.js';
import type { EncoderEvents } from '../stream/hostNotice.js';
import type { RecordingFiles } from './RecordingFiles.js';
import { recordingJob } from './recordingJob.js';

/** The duty's name in the cluster. */
const DUTY = 'recorder';
/** While a room wants recording and another process holds the duty, this process asks again this often. */
const LEAD_RETRY_MS = 2000;

/** What the recorders need. */
export type RecordersDeps = {
  files: RecordingFiles;
  ffmpegPath: string;
  media: Pick<MediaRooms, 'on' | 'off'>;
  openTap: (roomId: string) => Promise<ProgramTap>;
  rooms: Pick<RoomService, 'subscribe' | 'state' | 'execute'>;
  cluster: Pick<Cluster, 'lead' | 'resign' | 'on' | 'off'>;
  logger: Logger;
};

/** What this process does for one room with media here. */
type Followed = {
  unsubscribe: () => void;
  encoder: Encoder | null;
  /** A lead attempt is under way (one at a time). */
  leading: boolean;
  retry: NodeJS.Timeout | null;
  wanted: boolean;
};

/** Every room's recorder on this process. */
export class Recorders extends EventEmitter<EncoderEvents> {
  readonly #deps: RecordersDeps;
  readonly #rooms = new Map<string, Followed>();
  /** Recorders closing their files now, by room (a lock waits for them). */
  readonly #stopping = new Map<string, Promise<void>>();
  #pastRestarts = 0;
  #lastError: string | null = null;
  #closed = false;
  readonly #onOpen = (room: MediaRoom): void => void this.#follow(room);
  // A process gone may have been recording: its duties are free now.
  readonly #onProcessGone = (): void => {
    for (const [roomId, followed] of this.#rooms) if (followed.wanted && !followed.encoder) void this.#lead(roomId, followed);
  };

  constructor(deps: RecordersDeps) {
    super();
    this.#deps = deps;
    deps.media.on('roomopen', this.#onOpen);
    deps.cluster.on('processGone', this.#onProcessGone);
  }

  /** The room's encoder while this process records it (for tests). */
  encoder(roomId: string): Encoder | undefined {
    return this.#rooms.get(roomId)?.encoder ?? undefined;
  }

  /**
   * Waits until this process no longer writes the room's recording (its ffmpeg has closed the
   * file), so that a lock reads whole files.
   */
  async settled(roomId: string): Promise<void> {
    await this.#stopping.get(roomId);
  }

  health(): EncodersHealth {
    const statuses = [...this.#rooms.values()].flatMap((f) => (f.encoder ? [f.encoder.status] : []));
    return encodersHealth(statuses, this.#pastRestarts, this.#lastError);
  }

  /** Stops every recorder (their files stay whole) and gives up the duties. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#deps.media.off('roomopen', this.#onOpen);
    this.#deps.cluster.off('processGone', this.#onProcessGone);
    await Promise.all([...this.#rooms.keys()].map((roomId) => this.#forget(roomId)));
  }

  async #follow(room: MediaRoom): Promise<void> {
    const roomId = room.id;
    if (this.#rooms.has(roomId) || this.#closed) return;
    const followed: Followed = { unsubscribe: () => undefined, encoder: null, leading: false, retry: null, wanted: false };
    this.#rooms.set(roomId, followed);
    room.once('close', () => void this.#forget(roomId));
    try {
      followed.unsubscribe = await this.#deps.rooms.subscribe(roomId, (_events, state) => this.#onState(roomId, state));
      if (this.#rooms.get(roomId) !== followed) {
        followed.unsubscribe();
        return;
      }
      // The recording may be on already when the room's media opens here (a process taking over).
      const state = await this.#deps.rooms.state(roomId);
      if (state) this.#onState(roomId, state);
    } catch (error) {
      this.#deps.logger.warn('the recorder cannot follow this room', { roomId }, error);
    }
  }

  #onState(roomId: string, state: RoomState): void {
    const followed = this.#rooms.get(roomId);
    if (!followed) return;
    followed.wanted = state.recording.on && !state.ended;
    if (followed.wanted && !followed.encoder) void this.#lead(roomId, followed);
    if (!followed.wanted && followed.encoder) void this.#stop(roomId, followed);
  }

  /** Takes the room's recorder duty and starts recording; asks again later while another holds it. */
  async #lead(roomId: string, followed: Followed): Promise<void> {
    if (followed.leading || followed.encoder || this.#closed) return;
    followed.leading = true;
    if (followed.retry) clearTimeout(followed.retry);
    followed.retry = null;
    try {
      const led = await this.#deps.cluster.lead(roomId, DUTY);
      if (this.#rooms.get(roomId) !== followed || this.#closed) {
        if (led) await this.#deps.cluster.resign(roomId, DUTY);
        return;
      }
      if (led && followed.wanted) this.#start(roomId, followed);
      else if (led) await this.#deps.cluster.resign(roomId, DUTY);
    } catch (error) {
      this.#deps.logger.warn('the recorder duty could not be taken', { roomId }, error);
    } finally {
      followed.leading = false;
    }
    if (followed.wanted && !followed.encoder && this.#rooms.get(roomId) === followed && !this.#closed) {
      followed.retry = setTimeout(() => void this.#lead(roomId, followed), LEAD_RETRY_MS);
      followed.retry.unref();
    }
  }

  #start(roomId: string, followed: Followed): void {
    const logger = this.#deps.logger.child('room', { roomId });
    const encoder = new Encoder({
      job: recordingJob(this.#deps.files.roomDir(roomId), (part) => void this.#announce(roomId, part, logger)),
      ffmpegPath: this.#deps.ffmpegPath,
      openTap: () => this.#deps.openTap(roomId),
      logger,
    });
    encoder.on('status', (status) => {
      if (encoder.closed) return;
      if (status.error !== null) this.#lastError = status.error;
      this.emit('status', roomId, status);
    });
    followed.encoder = encoder;
    logger.info('recording');
  }

  /** Records the part in the log; a refusal means the recording was stopped meanwhile. */
  async #announce(roomId: string, part: RecordingPart, logger: Logger): Promise<void> {
    try {
      await this.#deps.rooms.execute(roomId, { type: 'system:recordingPart', ...part }, { kind: 'system' });
    } catch (error) {
      if (error instanceof AppError && error.code === 'INVALID_STATE') return;
      logger.warn('a recording part could not be recorded in the log', { part: part.name }, error);
    }
  }

  async #stop(roomId: string, followed: Followed): Promise<void> {
    const encoder = followed.encoder;
    if (!encoder) return;
    followed.encoder = null;
    this.#pastRestarts += encoder.status.restarts;
    encoder.close();
    this.emit('stop', roomId);
    const stopped = encoder.stopped();
    this.#stopping.set(roomId, stopped);
    await stopped;
    if (this.#stopping.get(roomId) === stopped) this.#stopping.delete(roomId);
    await this.#deps.cluster.resign(roomId, DUTY).catch((error: unknown) => this.#deps.logger.warn('the recorder duty could not be given up', { roomId }, error));
  }

  async #forget(roomId: string): Promise<void> {
    const followed = this.#rooms.get(roomId);
    if (!followed) return;
    this.#rooms.delete(roomId);
    followed.unsubscribe();
    if (followed.retry) clearTimeout(followed.retry);
    await this.#stop(roomId, followed);
  }
}
