/**
 * A room's program on this process: three tracks (video, the floor's audio, the chair's audio)
 * whose sources follow the room state (programSources.ts). Each source is consumed on a
 * DirectTransport of the room's router — a local producer or one piped in from another process
 * alike — and the track carries its RTP on to the audience routers (ProgramOutlet).
 *
 * The tracks outlive the room's router: when the router is replaced (its worker died) or the
 * room's media closes and opens again, the program takes its sources from the new one and the
 * viewers keep their consumers.
 */
import { randomInt } from 'node:crypto';
import type { types } from 'mediasoup';
import type { RoomState } from '../../signaling/room/state.js';
import type { Logger } from '../log.js';
import type { MediaRoom } from './MediaRoom.js';
import type { MediaAppData } from './Peer.js';
import { programCodec, programReceiveCapabilities, type ProgramTracks, type TrackName } from './ProgramOutlet.js';
import { NO_SOURCES, programSources, type ProgramSources, type SourceCandidate } from './programSources.js';
import { ProgramTrack } from './ProgramTrack.js';

/** The room side of the program: the router the sources are consumed on. */
type Attachment = { room: MediaRoom; router: types.Router; transport: Promise<types.DirectTransport>; stop: () => void };

/** One room's program. */
export class Program {
  readonly tracks: ProgramTracks;
  readonly #logger: Logger;
  #state: RoomState | undefined;
  #attachment: Attachment | null = null;
  /** Producers whose pause or close may change the choice, with how to stop watching them. */
  readonly #watched = new Map<string, () => void>();
  #choosing: Promise<void> = Promise.resolve();
  #again = false;
  #closed = false;

  constructor(caps: types.RtpCapabilities, logger: Logger) {
    this.#logger = logger;
    const format = (kind: 'audio' | 'video') => {
      const codec = programCodec(caps, kind);
      return { kind, payloadType: codec.preferredPayloadType ?? 0, clockRate: codec.clockRate, ssrc: randomInt(1, 0xffffffff), vp8: kind === 'video' };
    };
    this.tracks = {
      video: new ProgramTrack(format('video')),
      floorAudio: new ProgramTrack(format('audio')),
      chairAudio: new ProgramTrack(format('audio')),
    };
  }

  /** The producer each track carries now. */
  get sources(): ProgramSources {
    return {
      video: this.tracks.video.sourceProducerId,
      floorAudio: this.tracks.floorAudio.sourceProducerId,
      chairAudio: this.tracks.chairAudio.sourceProducerId,
    };
  }

  /** Takes the sources from this room's media (a new one, or the same after its router changed). */
  attach(room: MediaRoom): void {
    if (this.#closed || room.closed) return;
    if (this.#attachment?.room === room && this.#attachment.router === room.router && !room.router.closed) return;
    this.#detach();
    const router = room.router;
    const transport = router.createDirectTransport();
    const onProducer = (): void => this.#choose();
    // NOTE: the room's listeners live as long as the attachment, not as its router: the router
    // closes (its worker died) before the room announces its replacement.
    const onRouterChange = (): void => this.attach(room);
    const onClose = (): void => {
      if (this.#attachment?.room === room) this.#detach();
    };
    room.on('producer', onProducer);
    room.on('remoteproducer', onProducer);
    room.on('routerchange', onRouterChange);
    room.once('close', onClose);
    const stop = (): void => {
      room.off('producer', onProducer);
      room.off('remoteproducer', onProducer);
      room.off('routerchange', onRouterChange);
      room.off('close', onClose);
      transport.then((t) => t.close(), () => undefined);
    };
    this.#attachment = { room, router, transport, stop };
    transport.catch((error: unknown) => this.#logger.warn('the program has no way into the room now', error));
    this.#choose();
  }

  /** The room state changed: the floor may have moved. */
  follow(state: RoomState): void {
    this.#state = state;
    this.#choose();
  }

  /** Stops every track; safe to call twice. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#detach();
    for (const track of Object.values(this.tracks)) track.close();
  }

  #detach(): void {
    const attachment = this.#attachment;
    this.#attachment = null;
    for (const stop of this.#watched.values()) stop();
    this.#watched.clear();
    for (const track of Object.values(this.tracks)) track.switchTo(null);
    attachment?.stop();
  }

  /** Runs the choice again; runs never overlap, and a burst of changes makes one more run. */
  #choose(): void {
    if (this.#closed) return;
    if (this.#again) return;
    this.#again = true;
    this.#choosing = this.#choosing.then(async () => {
      this.#again = false;
      try {
        await this.#applyChoice();
      } catch (error) {
        this.#logger.warn('the program could not switch its sources', error);
      }
    });
  }

  async #applyChoice(): Promise<void> {
    const attachment = this.#attachment;
    if (!attachment || attachment.router.closed) return;
    const producers = [...attachment.room.localProducers(), ...attachment.room.remoteProducers()].filter((p) => !p.closed);
    for (const producer of producers) this.#watch(producer);
    const chosen = this.#state ? programSources(this.#state, producers.map(candidate)) : NO_SOURCES;
    const transport = await attachment.transport;
    for (const name of Object.keys(this.tracks) as TrackName[]) {
      const track = this.tracks[name];
      const want = chosen[name];
      if (track.sourceProducerId === want) continue;
      if (want === null) {
        track.switchTo(null);
        continue;
      }
      const consumer = await this.#consume(transport, attachment.router, want, track.format.kind);
      if (this.#attachment !== attachment) {
        consumer?.close();
        return;
      }
      track.switchTo(consumer);
    }
  }

  /** A consumer of the source on the room side, or null if it cannot be carried (gone, or another codec). */
  async #consume(transport: types.DirectTransport, router: types.Router, producerId: string, kind: 'audio' | 'video'): Promise<types.Consumer | null> {
    const rtpCapabilities = programReceiveCapabilities(router.rtpCapabilities, kind);
    if (!router.canConsume({ producerId, rtpCapabilities })) {
      this.#logger.warn(`the program cannot carry producer ${producerId}: not in the program's codec`);
      return null;
    }
    try {
      // NOTE: a simulcast source is consumed at its best layer (the default preference): the
      // program is what every viewer sees, and each viewer's own consumer adapts the bitrate.
      return await transport.consume({ producerId, rtpCapabilities, enableRtx: false });
    } catch (error) {
      if (transport.closed) return null;
      this.#logger.debug(`producer ${producerId} went away before the program could carry it`, error);
      return null;
    }
  }

  /** Chooses again when this producer pauses, resumes or closes (a camera turned off shows the chair). */
  #watch(producer: types.Producer<MediaAppData>): void {
    if (this.#watched.has(producer.id)) return;
    const again = (): void => this.#choose();
    const gone = (): void => {
      this.#watched.get(producer.id)?.();
      this.#choose();
    };
    producer.observer.on('pause', again);
    producer.observer.on('resume', again);
    producer.observer.once('close', gone);
    this.#watched.set(producer.id, () => {
      producer.observer.off('pause', again);
      producer.observer.off('resume', again);
      producer.observer.off('close', gone);
      this.#watched.delete(producer.id);
    });
  }
}

function candidate(p: types.Producer<MediaAppData>): SourceCandidate {
  return { id: p.id, peerId: p.appData.peerId, kind: p.kind, source: p.appData.source, paused: p.paused };
}
