/**
 * What a public viewer sees of the meeting, phone first: the program video large, who speaks
 * and their time left, the public comment on stage, the published results, and the counts.
 * Browsers may refuse to play sound before the viewer touched the page: the video then plays
 * muted and a button offers the sound.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import type { PublicFloor, PublicResult, PublicView } from '../../../../signaling/audience.js';
import type { StagedComment } from '../../../../signaling/comments/model.js';
import { formatMmSs } from '../../room/countdown.js';
import { optionLabel } from '../polls/optionLabel.js';
import { RecordingMark } from '../recording/RecordingMark.js';

export type AudienceViewProps = {
  view: PublicView;
  stream: MediaStream | null;
  /** The program's consumers (on the video element, for whoever checks that they stay). */
  consumerIds: string[];
  /** Server clock minus ours (ms). */
  clockOffset: number;
  /** Plays the program in place of the WebRTC video (流畅模式: the HLS stream). */
  player?: ReactNode;
  /** Shown above the program: how it plays and the switch (WatchModeBar). */
  modeBar?: ReactNode;
};

/** The live section of the public page. */
export function AudienceView({ view, stream, consumerIds, clockOffset, player, modeBar }: AudienceViewProps) {
  const { t } = useTranslation();
  return (
    <div className="audience" data-testid="audience-view" data-phase={view.phase}>
      <div className="audience-top">
        <p className={`audience-phase ${view.phase}`} role="status" data-testid="audience-phase">
          {t(`audience.phase.${view.phase}`)}
        </p>
        {view.recording && <RecordingMark />}
      </div>
      {view.phase === 'ended' ? (
        <p className="notice">{t('audience.endedHint')}</p>
      ) : (
        <>
          {modeBar}
          {player ?? <ProgramVideo stream={stream} consumerIds={consumerIds} waiting={view.phase === 'waiting'} />}
        </>
      )}
      {view.phase !== 'ended' && <FloorLine floor={view.floor} clockOffset={clockOffset} />}
      {view.stage && <StageCard stage={view.stage} />}
      {view.results.length > 0 && <Results results={view.results} />}
      <dl className="audience-counts" data-testid="audience-counts">
        <div>
          <dt>{t('audience.online')}</dt>
          <dd data-testid="audience-online">{view.audience.online}</dd>
        </div>
        <div>
          <dt>{t('audience.visits')}</dt>
          <dd data-testid="audience-visits">{view.audience.visits}</dd>
        </div>
      </dl>
    </div>
  );
}

function ProgramVideo({ stream, consumerIds, waiting }: { stream: MediaStream | null; consumerIds: string[]; waiting: boolean }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLVideoElement>(null);
  const [blocked, setBlocked] = useState(false);
  useEffect(() => {
    const video = ref.current;
    if (!video) return;
    video.srcObject = stream;
    if (!stream) return;
    video.muted = false;
    // NOTE: with sound first; a browser that wants a touch first refuses, and the picture then
    // plays muted (always allowed) until the viewer taps the button.
    video.play().catch(() => {
      video.muted = true;
      setBlocked(true);
      video.play().catch(() => undefined);
    });
  }, [stream]);
  const unmute = (): void => {
    const video = ref.current;
    if (!video) return;
    video.muted = false;
    video.play().then(
      () => setBlocked(false),
      () => {
        video.muted = true;
      },
    );
  };
  return (
    <div className="audience-video">
      <video ref={ref} data-testid="program-video" data-consumers={consumerIds.join(',')} playsInline autoPlay aria-label={t('audience.video')} />
      {stream === null && <p className="audience-video-empty">{waiting ? t('audience.waitingHint') : t('audience.noProgram')}</p>}
      {blocked && (
        <button type="button" className="button primary audience-unmute" data-testid="audience-unmute" onClick={unmute}>
          {t('audience.unmute')}
        </button>
      )}
    </div>
  );
}

/** The speaker's clock, redrawn every half second while someone speaks. */
function useNow(active: boolean, offset: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = window.setInterval(() => setNow(Date.now()), 500);
    return () => window.clearInterval(timer);
  }, [active]);
  return now + offset;
}

function FloorLine({ floor, clockOffset }: { floor: PublicFloor | null; clockOffset: number }) {
  const { t } = useTranslation();
  const now = useNow(floor !== null && floor.pausedAt === null, clockOffset);
  if (!floor) return <p className="audience-floor muted">{t('audience.nobodySpeaking')}</p>;
  const spoken = (floor.pausedAt ?? now) - floor.grantedAt - floor.pausedMs;
  const left = floor.limitMs - spoken;
  return (
    <div className="audience-floor" data-testid="audience-floor">
      <span className="audience-speaker">
        <span className="visually-hidden">{t('audience.speaking')}</span>
        <strong data-testid="audience-speaker">{floor.name}</strong>
        {floor.venue !== '' && floor.venue !== floor.name && <span className="muted"> · {floor.venue}</span>}
        <span className="muted"> · {t(`queue.types.${floor.type}`)}</span>
      </span>
      <span className={left <= 0 ? 'audience-clock over' : 'audience-clock'} data-testid="audience-clock">
        {floor.pausedAt !== null
          ? t('audience.paused')
          : left > 0
            ? t('audience.remaining', { time: formatMmSs(left, 'up') })
            : t('audience.overtime', { time: formatMmSs(-left, 'down') })}
      </span>
    </div>
  );
}

function StageCard({ stage }: { stage: StagedComment }) {
  const { t } = useTranslation();
  return (
    <section className="audience-stage" aria-label={t('audience.stage')} data-testid="audience-stage">
      <h2>{t('audience.stage')}</h2>
      <p className="comment-text">{stage.text}</p>
      <p className="muted">
        <span className="comment-name">{stage.name}</span>
        {stage.place !== '' && <span className="comment-place"> · {stage.place}</span>}
      </p>
      {stage.answer && (
        <div className="audience-answer">
          <strong>{t('audience.answer', { department: stage.answer.department })}</strong>
          <p className="comment-text">{stage.answer.text}</p>
        </div>
      )}
    </section>
  );
}

function Results({ results }: { results: PublicResult[] }) {
  const { t } = useTranslation();
  return (
    <section className="audience-results" aria-label={t('audience.results')} data-testid="audience-results">
      <h2>{t('audience.results')}</h2>
      {results.map((r) => (
        <article key={r.pollId}>
          <h3>{r.question}</h3>
          <ul>
            {r.options.map((_, i) => (
              <li key={i}>
                <span>{optionLabel(t, r, i)}</span> <strong>{r.result.counts[i] ?? 0}</strong>
              </li>
            ))}
          </ul>
          <p className="muted">
            {t('audience.votes', { votes: r.result.votes, eligible: r.result.eligible })}
            {r.result.passed !== null && <> · {r.result.passed ? t('audience.passed') : t('audience.notPassed')}</>}
          </p>
        </article>
      ))}
    </section>
  );
}
