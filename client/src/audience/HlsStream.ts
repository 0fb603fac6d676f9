/**
 * Plays the program's HLS stream in one video element and says how it goes: starting, playing,
 * not there (404: asked again after a growing wait), or not playable in this browser. Owns
 * hls.js (loaded on first use) so that the player component only renders.
 */
import type Hls from 'hls.js';
import { chooseHlsEngine, delaySeconds, LIVE_HLS_CONFIG, retryDelayMs, type HlsEngine } from './hlsPlayback.js';
import { loadHls, type HlsClass } from './loadHls.js';

/** Where the stream stands for the viewer. */
export type StreamPhase = 'starting' | 'playing' | 'unavailable' | 'unsupported';

/** What the player shows. */
export type HlsStreamState = {
  phase: StreamPhase;
  engine: HlsEngine | null;
  /** Seconds behind the live edge (hls.js's estimate); null: not known. */
  delay: number | null;
  /** The browser refused sound before a touch: the picture plays muted until the viewer asks. */
  soundBlocked: boolean;
};

export class HlsStream {
  readonly #video: HTMLVideoElement;
  readonly #src: string;
  readonly #report: (state: HlsStreamState) => void;
  readonly #load: () => Promise<HlsClass>;
  #state: HlsStreamState = { phase: 'starting', engine: null, delay: null, soundBlocked: false };
  #Hls: HlsClass | null = null;
  #hls: Hls | null = null;
  #attempt = 0;
  #retry: ReturnType<typeof setTimeout> | null = null;
  #closed = false;

  constructor(video: HTMLVideoElement, src: string, report: (state: HlsStreamState) => void, load: () => Promise<HlsClass> = loadHls) {
    this.#video = video;
    this.#src = src;
    this.#report = report;
    this.#load = load;
    video.addEventListener('playing', this.#onPlaying);
    video.addEventListener('error', this.#onNativeError);
    video.addEventListener('loadedmetadata', this.#onNativeMetadata);
  }

  /** Loads hls.js if needed and starts playing. */
  async start(): Promise<void> {
    let HlsJs: HlsClass;
    try {
      HlsJs = await this.#load();
    } catch (error) {
      // The chunk did not arrive (a network blip): as for a missing stream, try again later.
      console.warn('could not load the stream player', error);
      if (!this.#closed) this.#retryLater(() => void this.start(), 'unavailable');
      return;
    }
    if (this.#closed) return;
    this.#Hls = HlsJs;
    const engine = chooseHlsEngine({ hlsJs: HlsJs.isSupported(), nativeHls: this.#video.canPlayType('application/vnd.apple.mpegurl') !== '' });
    this.#set({ engine });
    if (engine === 'none') this.#set({ phase: 'unsupported' });
    else this.#attach();
  }

  /** The viewer asked for sound (a touch lets the browser play it). */
  unmute(): void {
    const video = this.#video;
    video.muted = false;
    video.play().then(
      () => this.#set({ soundBlocked: false }),
      () => {
        video.muted = true;
      },
    );
  }

  /** Stops playing and forgets the stream; safe to call twice. */
  close(): void {
    this.#closed = true;
    if (this.#retry !== null) clearTimeout(this.#retry);
    this.#retry = null;
    this.#detach();
    this.#video.removeEventListener('playing', this.#onPlaying);
    this.#video.removeEventListener('error', this.#onNativeError);
    this.#video.removeEventListener('loadedmetadata', this.#onNativeMetadata);
  }

  #attach(): void {
    if (this.#closed) return;
    if (this.#state.engine === 'native') {
      this.#video.src = this.#src;
      return;
    }
    const HlsJs = this.#Hls;
    if (!HlsJs) return;
    const hls = new HlsJs({ ...LIVE_HLS_CONFIG });
    this.#hls = hls;
    hls.on(HlsJs.Events.MANIFEST_PARSED, () => {
      if (this.#hls !== hls) return;
      if (this.#state.phase !== 'playing') this.#set({ phase: 'starting' });
      this.#play();
    });
    const onDelay = (): void => {
      if (this.#hls === hls) this.#set({ delay: delaySeconds(hls.latency) });
    };
    hls.on(HlsJs.Events.LEVEL_UPDATED, onDelay);
    hls.on(HlsJs.Events.FRAG_CHANGED, onDelay);
    let recovered = false;
    hls.on(HlsJs.Events.ERROR, (_event, data) => {
      if (this.#hls !== hls || !data.fatal) return;
      if (data.type === HlsJs.ErrorTypes.MEDIA_ERROR) {
        if (!recovered) {
          // A decode hiccup: hls.js rebuilds the media buffer and goes on.
          recovered = true;
          hls.recoverMediaError();
          return;
        }
        // NOTE: twice is no hiccup. A stream whose first segment had no sound gains an audio
        // track later, and hls.js cannot add a SourceBuffer to those it made: start afresh at
        // the live edge, where every segment has both tracks.
        this.#retryLater(() => this.#attach(), 'starting');
        return;
      }
      // 503: the encoder is starting and has no segments yet (直播准备中); 404: no stream for
      // this room (not yet, or not any more); anything else: the server is away. Ask again.
      const status = data.response?.code;
      this.#retryLater(() => this.#attach(), status === 503 ? 'starting' : 'unavailable');
    });
    hls.loadSource(this.#src);
    hls.attachMedia(this.#video);
  }

  #detach(): void {
    this.#hls?.destroy();
    this.#hls = null;
    if (this.#state.engine === 'native') {
      this.#video.removeAttribute('src');
      this.#video.load();
    }
  }

  #retryLater(again: () => void, phase: 'starting' | 'unavailable'): void {
    this.#detach();
    this.#set({ phase, delay: null });
    const wait = retryDelayMs(this.#attempt);
    this.#attempt += 1;
    this.#retry = setTimeout(() => {
      this.#retry = null;
      again();
    }, wait);
  }

  #play(): void {
    const video = this.#video;
    video.muted = false;
    // NOTE: with sound first; a browser that wants a touch first refuses, and the picture then
    // plays muted (always allowed) until the viewer taps the button.
    video.play().catch(() => {
      if (this.#closed) return;
      video.muted = true;
      this.#set({ soundBlocked: true });
      video.play().catch((error: unknown) => console.warn('the stream does not play', error));
    });
  }

  readonly #onPlaying = (): void => {
    this.#attempt = 0;
    this.#set({ phase: 'playing' });
  };

  readonly #onNativeMetadata = (): void => {
    if (this.#state.engine !== 'native') return;
    if (this.#state.phase !== 'playing') this.#set({ phase: 'starting' });
    this.#play();
  };

  readonly #onNativeError = (): void => {
    // The browser's own player says no more than that it failed: a missing stream looks alike.
    if (this.#state.engine === 'native' && !this.#closed && this.#retry === null) this.#retryLater(() => this.#attach(), 'unavailable');
  };

  #set(patch: Partial<HlsStreamState>): void {
    this.#state = { ...this.#state, ...patch };
    this.#report(this.#state);
  }
}
