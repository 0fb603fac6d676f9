/**
 * The program as the HLS stream (流畅模式): 直播准备中 until the first frame, a retrying notice
 * while the server has no stream, and a button for the sound when the browser wants a touch
 * first. HlsStream does the playing; this only shows it.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import { HlsStream, type HlsStreamState } from '../../audience/HlsStream.js';
import '../../styles/watchMode.css';

export type HlsPlayerProps = {
  /** The playlist's URL. */
  src: string;
  /** The meeting has not begun: a missing stream is expected and said so. */
  waiting: boolean;
  /** The delay behind the live edge in seconds as it changes (null: not known). */
  onDelay: (seconds: number | null) => void;
};

/** Plays `src` in a video element, muted if the browser wants a touch for sound. */
export function HlsPlayer({ src, waiting, onDelay }: HlsPlayerProps) {
  const { t } = useTranslation();
  const ref = useRef<HTMLVideoElement>(null);
  const [state, setState] = useState<HlsStreamState>({ phase: 'starting', engine: null, delay: null, soundBlocked: false });
  const [stream, setStream] = useState<HlsStream | null>(null);
  const onDelayRef = useRef(onDelay);
  onDelayRef.current = onDelay;
  useEffect(() => {
    const video = ref.current;
    if (!video) return;
    const playing = new HlsStream(video, src, setState);
    setStream(playing);
    void playing.start();
    return () => {
      playing.close();
      onDelayRef.current(null);
    };
  }, [src]);
  useEffect(() => onDelayRef.current(state.delay), [state.delay]);

  const notice =
    state.phase === 'starting'
      ? t('watchMode.stream.starting')
      : state.phase === 'unavailable'
        ? waiting
          ? t('audience.waitingHint')
          : t('watchMode.stream.unavailable')
        : state.phase === 'unsupported'
          ? t('watchMode.stream.unsupported')
          : null;
  return (
    <div className="audience-video" data-testid="hls-player" data-phase={state.phase} data-engine={state.engine ?? ''}>
      <video ref={ref} data-testid="hls-video" playsInline aria-label={t('watchMode.stream.video')} />
      {notice !== null && (
        <p className="audience-video-empty hls-notice" role="status" data-testid="hls-notice">
          {state.phase === 'starting' && <span className="spinner" aria-hidden="true" />}
          <span data-testid="hls-notice-text">{notice}</span>
        </p>
      )}
      {state.soundBlocked && (
        <button type="button" className="button primary audience-unmute" data-testid="hls-unmute" onClick={() => stream?.unmute()}>
          {t('watchMode.stream.unmute')}
        </button>
      )}
    </div>
  );
}
