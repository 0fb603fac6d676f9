/**
 * A stand-in for hls.js in component tests (hls.js needs Media Source Extensions, which jsdom
 * lacks): records what the player asks of it and lets a test fire hls.js's events.
 */
type Handler = (event: string, data: Record<string, unknown>) => void;

/** hls.js's class as the player uses it; every instance is kept in `FakeHls.instances`. */
export class FakeHls {
  static instances: FakeHls[] = [];
  static supported = true;
  static isSupported(): boolean {
    return FakeHls.supported;
  }
  static readonly Events = { MANIFEST_PARSED: 'hlsManifestParsed', LEVEL_UPDATED: 'hlsLevelUpdated', FRAG_CHANGED: 'hlsFragChanged', ERROR: 'hlsError' } as const;
  static readonly ErrorTypes = { NETWORK_ERROR: 'networkError', MEDIA_ERROR: 'mediaError' } as const;

  readonly config: Record<string, unknown>;
  readonly #handlers = new Map<string, Handler[]>();
  source: string | null = null;
  media: HTMLMediaElement | null = null;
  latency = 0;
  destroyed = false;
  recoveries = 0;

  constructor(config: Record<string, unknown>) {
    this.config = config;
    FakeHls.instances.push(this);
  }

  on(event: string, handler: Handler): void {
    this.#handlers.set(event, [...(this.#handlers.get(event) ?? []), handler]);
  }

  /** Fires an hls.js event as hls.js would. */
  emit(event: string, data: Record<string, unknown> = {}): void {
    for (const handler of this.#handlers.get(event) ?? []) handler(event, data);
  }

  loadSource(src: string): void {
    this.source = src;
  }

  attachMedia(media: HTMLMediaElement): void {
    this.media = media;
  }

  recoverMediaError(): void {
    this.recoveries += 1;
  }

  destroy(): void {
    this.destroyed = true;
  }

  /** Forgets every instance (between tests). */
  static reset(): void {
    FakeHls.instances = [];
    FakeHls.supported = true;
  }
}
