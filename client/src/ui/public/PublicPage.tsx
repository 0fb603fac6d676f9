/**
 * The public link's page (/join?invite=<public link>, a short link or a meeting number lead
 * here): 直播, the meeting as the public sees it, and 留言, the comments board. No device check
 * and no join button: the public watches, it never publishes.
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import { AudienceClient, type AudienceSource } from '../../audience/AudienceClient.js';
import { programStreamUrl } from '../../audience/streamUrl.js';
import { decideWatchMode } from '../../audience/watchMode.js';
import { AudienceView } from '../audience/AudienceView.js';
import { HlsPlayer } from '../audience/HlsPlayer.js';
import { WatchModeBar } from '../audience/WatchModeBar.js';
import { CommentsBoard } from '../comments/CommentsBoard.js';
import { PublishedRecording } from '../recording/PublishedRecording.js';
import { Header } from '../Header.js';
import { usePageVisible } from '../usePageVisible.js';
import { MediaLinkBanner } from '../room/MediaLinkBanner.js';
import '../../styles/audience.css';

type Section = 'live' | 'comments';

/** The public page of one consultation. */
export function PublicPage({ invite, roomId, client: given }: { invite: string; roomId: string; client?: AudienceSource }) {
  const { t } = useTranslation();
  const [client] = useState<AudienceSource>(() => given ?? new AudienceClient(invite));
  const state = useSyncExternalStore(client.subscribe, client.getState);
  const [section, setSection] = useState<Section>('live');
  // NOTE: the comments' news comes only while 留言 is shown and the page is in front: a phone
  // in another app or locked would download it for nobody (a busy topic's news is about 20 KB/s).
  // Back in front, the board reads afresh once the news comes again.
  const visible = usePageVisible();
  const [delay, setDelay] = useState<number | null>(null);
  const decision = decideWatchMode(state.preference, state.realtime);
  useEffect(() => {
    client.start();
    return () => client.close();
  }, [client]);
  const topic = state.view?.topic ?? '';
  useEffect(() => {
    document.title = topic === '' ? t('app.name') : `${topic} · ${t('app.name')}`;
  }, [t, topic]);

  return (
    <div className="app public-page" data-testid="public-page">
      <Header />
      <main className="public-main">
        {topic !== '' && <h1 className="public-topic">{topic}</h1>}
        <div className="public-tabs" role="tablist" aria-label={t('audience.sections')}>
          {(['live', 'comments'] as const).map((s) => (
            <button
              key={s}
              type="button"
              role="tab"
              id={`public-tab-${s}`}
              aria-selected={section === s}
              aria-controls={`public-panel-${s}`}
              data-testid={`public-tab-${s}`}
              className={section === s ? 'public-tab selected' : 'public-tab'}
              onClick={() => setSection(s)}
            >
              {t(`audience.${s}`)}
            </button>
          ))}
        </div>
        <section id="public-panel-live" role="tabpanel" aria-labelledby="public-tab-live" hidden={section !== 'live'}>
          {state.status === 'failed' ? (
            <div role="alert" className="alert blocked" data-testid="audience-failed" data-code={state.error ?? ''}>
              <h2>{t('audience.failed')}</h2>
              <p>{t(`errors.${state.error ?? 'INTERNAL'}`)}</p>
            </div>
          ) : state.view === null ? (
            <p role="status" className="notice">
              <span className="spinner" aria-hidden="true" /> {t('audience.connecting')}
            </p>
          ) : (
            <>
              <MediaLinkBanner problem={decision.mode === 'realtime' ? state.mediaLink : null} />
              <AudienceView
                view={state.view}
                stream={state.stream}
                consumerIds={state.consumerIds}
                clockOffset={state.clockOffset}
                modeBar={<WatchModeBar decision={decision} delay={delay} onChoose={(mode) => client.choose(mode)} />}
                player={
                  decision.mode === 'smooth' ? <HlsPlayer src={programStreamUrl(state.view.roomId)} waiting={state.view.phase === 'waiting'} onDelay={setDelay} /> : undefined
                }
              />
              <PublishedRecording roomId={state.view.roomId} invite={invite} published={state.view.recordingPublished} />
            </>
          )}
        </section>
        <section id="public-panel-comments" role="tabpanel" aria-labelledby="public-tab-comments" hidden={section !== 'comments'}>
          <CommentsBoard roomId={state.view?.roomId ?? roomId} invite={invite} subscribe={client.onComments} active={section === 'comments' && visible} />
        </section>
      </main>
    </div>
  );
}
