/**
 * What I send: one mediasoup Producer per source on the send transport, muting and unmuting
 * them (the room may refuse to let me be heard), and the screen share's end.
 */
import type { types as ms } from 'mediasoup-client';
import type { MediaSource } from '../../../signaling/schemas.js';
import { errorCodeOf } from '../errors.js';
import type { Signaling } from '../net/Signaling.js';
import type { Action, State } from '../store.js';
import { CAMERA_CODEC_OPTIONS, CAMERA_ENCODINGS, MIC_CODEC_OPTIONS, SCREEN_ENCODINGS } from './encodings.js';
import type { LocalTracks } from './LocalTracks.js';
import type { ProducerAppData } from './wire.js';

const SOURCES: readonly MediaSource[] = ['mic', 'camera', 'screen'];

/** What Producers needs from MediaSession. */
export type ProducersDeps = {
  signaling: Signaling;
  dispatch(action: Action): void;
  state(): State;
  run(task: Promise<unknown>): void;
  report(error: unknown): void;
  local: LocalTracks;
  /** The send transport once settled, or null. */
  transport(): ms.Transport | null;
};

/** My producers by source. */
export class Producers {
  readonly #deps: ProducersDeps;
  readonly #producers = new Map<MediaSource, ms.Producer>();

  constructor(deps: ProducersDeps) {
    this.#deps = deps;
  }

  /** The producer of a source, if sending. */
  get(source: MediaSource): ms.Producer | undefined {
    return this.#producers.get(source);
  }

  /** Forgets every producer (their transport closed). */
  clear(): void {
    this.#producers.clear();
  }

  /** Publishes every open track; the microphone first, so people are heard as early as possible. */
  async produceAll(): Promise<void> {
    // The send transport serializes produce() calls anyway.
    for (const source of SOURCES) {
      try {
        await this.produce(source);
      } catch (error) {
        this.#deps.report(error);
      }
    }
  }

  /** Publishes one source's track unless it is already sent. */
  async produce(source: MediaSource): Promise<void> {
    const transport = this.#deps.transport();
    const track = this.#deps.local.get(source);
    const media = this.#deps.state().local[source];
    if (transport === null || transport.closed || track === null || media === null) return;
    if (this.#producers.has(source)) return;
    // Audio-only holds the camera back without changing my wish (the button still says on).
    const paused = media.paused || this.#heldBack(source);
    const appData: ProducerAppData = { source, paused };
    const producer = await transport.produce({ track, stopTracks: false, appData, ...producerOptions(source) });
    if (transport !== this.#deps.transport() || this.#deps.local.get(source) !== track) {
      // Transports were replaced or the track was dropped while the server answered.
      producer.close();
      if (!transport.closed) await this.#deps.signaling.closeProducer({ producerId: producer.id });
      return;
    }
    // The server made it paused already (media:produce `paused`); this only disables the track.
    if (paused) producer.pause();
    this.#producers.set(source, producer);
    if (source !== 'screen') {
      producer.on('trackended', () => {
        this.#deps.dispatch({ type: 'mediaError', source, error: 'notFound' });
        this.#deps.run(this.setPaused(source, true));
      });
    }
    this.#deps.dispatch({ type: 'localPatched', source, patch: { producerId: producer.id } });
    // The user may have toggled while the server answered.
    const now = this.#deps.state().local[source];
    if (source !== 'screen' && now !== null && now.paused !== media.paused) await this.setPaused(source, now.paused);
  }

  /**
   * Mute or unmute one of my tracks. Unmuting the microphone may be refused (FORBIDDEN) while
   * the room does not let me be heard: then my wish stays "unmuted", the state says why I am
   * not heard, and the microphone goes live once I may speak (see mayBeHeardAgain).
   */
  async setPaused(source: 'mic' | 'camera', paused: boolean): Promise<void> {
    const { dispatch, signaling } = this.#deps;
    dispatch({ type: 'localPatched', source, patch: { paused } });
    if (source === 'mic') dispatch({ type: 'micRefused', refused: false });
    const producer = this.#producers.get(source);
    if (producer === undefined) {
      // Not producing yet: the preview track follows the flag and produce() reads it.
      const track = this.#deps.local.get(source);
      if (track !== null) track.enabled = !paused;
      return;
    }
    if (paused) {
      // NOTE: pause locally first so nothing more is sent even if the request fails.
      producer.pause();
      await signaling.pauseProducer({ producerId: producer.id });
      return;
    }
    // Audio-only: the wish is kept, the camera comes back when audio-only ends.
    if (this.#heldBack(source)) return;
    producer.resume();
    try {
      await signaling.resumeProducer({ producerId: producer.id });
    } catch (error) {
      if (source === 'mic' && errorCodeOf(error) === 'FORBIDDEN') {
        dispatch({ type: 'micRefused', refused: true });
        return;
      }
      // The server still has it paused: show the truth rather than a live-looking button.
      producer.pause();
      dispatch({ type: 'localPatched', source, patch: { paused: true } });
      throw error;
    }
  }

  /**
   * The room now lets me be heard (floor granted, host allowed unmuting). The server resumes
   * a microphone it held back by itself, but one I tried to unmute while refused stays paused
   * there (it counts as my own mute): ask again, as the button promised.
   */
  async mayBeHeardAgain(): Promise<void> {
    this.#deps.dispatch({ type: 'micRefused', refused: false });
    const producer = this.#producers.get('mic');
    const mic = this.#deps.state().local.mic;
    if (producer === undefined || mic === null || mic.paused) return;
    try {
      await this.#deps.signaling.resumeProducer({ producerId: producer.id });
    } catch (error) {
      // The floor may already be gone again; the state shows why I am not heard.
      if (errorCodeOf(error) !== 'FORBIDDEN') throw error;
      this.#deps.dispatch({ type: 'micRefused', refused: true });
    }
  }

  /**
   * Audio-only on: my camera sends nothing more (no RTP at all, see producerOptions); off: it
   * sends again unless I had turned it off myself. The server holds it paused by itself while
   * I am audio-only, so only the local side is needed here.
   */
  setAudioOnly(on: boolean): void {
    const producer = this.#producers.get('camera');
    const camera = this.#deps.state().local.camera;
    if (producer === undefined || camera === null) return;
    if (on) producer.pause();
    else if (!camera.paused) producer.resume();
  }

  #heldBack(source: MediaSource): boolean {
    return source === 'camera' && this.#deps.state().audioOnly;
  }

  /** After resuming on the same transports: tell the server my mutes again. */
  async resync(): Promise<void> {
    for (const source of ['mic', 'camera'] as const) {
      const media = this.#deps.state().local[source];
      if (this.#producers.has(source) && media !== null) await this.setPaused(source, media.paused);
    }
  }

  /** Swaps the track of a source's producer (after a device switch). */
  async replaceTrack(source: 'mic' | 'camera', track: MediaStreamTrack): Promise<void> {
    await this.#producers.get(source)?.replaceTrack({ track });
  }

  /** Stops sharing the screen. */
  async stopScreen(): Promise<void> {
    if (this.#deps.local.get('screen') === null) return;
    this.#deps.local.close('screen');
    const producer = this.#producers.get('screen');
    if (producer === undefined) return;
    this.#producers.delete('screen');
    producer.close();
    await this.#deps.signaling.closeProducer({ producerId: producer.id });
  }
}

function producerOptions(source: MediaSource): Pick<ms.ProducerOptions, 'encodings' | 'codecOptions' | 'zeroRtpOnPause'> {
  switch (source) {
    case 'mic':
      return { codecOptions: MIC_CODEC_OPTIONS };
    case 'camera':
      // NOTE: a paused camera (off, or audio-only) sends no RTP at all rather than the black
      // frames of a disabled track: on a weak link every byte of video is a byte of voice lost.
      return { encodings: CAMERA_ENCODINGS, codecOptions: CAMERA_CODEC_OPTIONS, zeroRtpOnPause: true };
    case 'screen':
      return { encodings: SCREEN_ENCODINGS };
  }
}
