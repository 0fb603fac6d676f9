/**
 * My own tracks: the camera/microphone preview, device choice, and the screen. Tracks live
 * here, never in the store; the store hears of them by id (`local.<source>.trackId`).
 */
import type { MediaSource } from '../../../signaling/schemas.js';
import { classifyMediaError } from '../errors.js';
import type { Action, State } from '../store.js';
import { listDevices, openCamera, openMic, openMicAndCamera, watchDevices, type Capture } from './capture.js';

/** What LocalTracks needs from its owner. */
export type LocalTracksDeps = {
  dispatch(action: Action): void;
  state(): State;
  /** Runs a task nobody awaits; failures are reported to the user. */
  run(task: Promise<unknown>): void;
};

/** The tracks this browser captures. */
export class LocalTracks {
  readonly #deps: LocalTracksDeps;
  readonly #tracks = new Map<MediaSource, MediaStreamTrack>();
  #previewStarted = false;
  #unwatchDevices: (() => void) | null = null;

  constructor(deps: LocalTracksDeps) {
    this.#deps = deps;
  }

  /** My track of a source, if open. */
  get(source: MediaSource): MediaStreamTrack | null {
    return this.#tracks.get(source) ?? null;
  }

  /** Opens camera and microphone once for the join page's preview. */
  startPreview(): void {
    if (this.#previewStarted) return;
    this.#previewStarted = true;
    this.#preview = this.#startPreview();
    this.#deps.run(this.#preview);
  }

  /**
   * Resolves once the preview's devices are open (or failed). Media start waits for it: a join
   * clicked while the browser is still opening the camera must still send the camera.
   */
  async previewSettled(): Promise<void> {
    // Failures are reported by startPreview's runner and shown in the state.
    await Promise.allSettled([this.#preview]);
  }

  #preview: Promise<void> | null = null;

  async #startPreview(): Promise<void> {
    this.#unwatchDevices ??= watchDevices(() => this.#deps.run(this.listDevices()));
    const { selectedDevice } = this.#deps.state();
    const { mic, camera } = await openMicAndCamera(selectedDevice.mic, selectedDevice.camera);
    // The user may have left the join page (or toggled) while the browser was asking.
    if (!this.#previewStarted) {
      stopCapture(mic);
      stopCapture(camera);
      return;
    }
    this.#installCapture('mic', mic);
    this.#installCapture('camera', camera);
    await this.listDevices();
  }

  #installCapture(source: 'mic' | 'camera', capture: Capture): void {
    if ('track' in capture) {
      if (this.#tracks.has(source)) capture.track.stop();
      else this.install(source, capture.track, false, null);
    } else {
      this.failed(source, capture.error);
    }
  }

  /** Lists cameras and microphones into the state. */
  async listDevices(): Promise<void> {
    const devices = await listDevices();
    this.#deps.dispatch({ type: 'devicesListed', ...devices });
  }

  /**
   * Opens the selected device of a source, replacing any earlier track; false (and an
   * explanation in the state) on failure.
   */
  async open(source: 'mic' | 'camera', producerId: string | null): Promise<boolean> {
    const deviceId = this.#deps.state().selectedDevice[source];
    let track: MediaStreamTrack;
    try {
      track = source === 'mic' ? await openMic(deviceId) : await openCamera(deviceId);
    } catch (error) {
      this.failed(source, error);
      return false;
    }
    const previous = this.#tracks.get(source);
    if (previous !== undefined && previous !== track) previous.stop();
    this.install(source, track, this.#deps.state().local[source]?.paused ?? false, producerId);
    // Labels only appear once a permission is granted.
    this.#deps.run(this.listDevices());
    return true;
  }

  /** Stops the current track of a source before its device is switched. */
  stopTrack(source: MediaSource): void {
    this.#tracks.get(source)?.stop();
  }

  /** Keeps `track` as my track of `source` and tells the state. */
  install(source: MediaSource, track: MediaStreamTrack, paused: boolean, producerId: string | null): void {
    this.#tracks.set(source, track);
    // A paused producer disables its track; a replacement must match.
    track.enabled = !paused;
    this.#deps.dispatch({ type: 'mediaError', source, error: null });
    this.#deps.dispatch({ type: 'localSet', source, media: { trackId: track.id, producerId, paused } });
  }

  /** Stops and forgets the track of a source. */
  close(source: MediaSource): void {
    this.#tracks.get(source)?.stop();
    this.#tracks.delete(source);
    this.#deps.dispatch({ type: 'localSet', source, media: null });
  }

  /** Explains in the state why a source could not be opened. */
  failed(source: MediaSource, error: unknown): void {
    console.warn(`could not open ${source}`, error);
    this.#deps.dispatch({ type: 'mediaError', source, error: classifyMediaError(error) });
  }

  /** Stops every track and the device watch (leaving, or a receive-only participant). */
  stopAll(): void {
    for (const track of this.#tracks.values()) track.stop();
    this.#tracks.clear();
    this.#previewStarted = false;
    this.#unwatchDevices?.();
    this.#unwatchDevices = null;
  }
}

function stopCapture(capture: Capture): void {
  if ('track' in capture) capture.track.stop();
}
