/**
 * The version of the minutes and what makes it final: 锁定定稿 (asked twice: a locked version
 * never changes), the locked version's content hash and the log's chain head it is tied to,
 * 新版本 to draft corrections after a lock, the host's 公开纪要, and the files to download.
 */
import { useTranslation } from '../../i18n/useTranslation.js';
import type { LockedVersion, RoomState } from '../../../../signaling/room/state.js';
import { canIssue } from '../../roomSelectors.js';
import { ConfirmButton } from '../ConfirmButton.js';
import { useRoomClient, useRoomState } from '../context.js';
import { formatDateTime } from '../format.js';
import { useDrafts } from './drafts.js';
import { MinutesDownloads } from './MinutesDownloads.js';

/** The top bar of the secretary's minutes. */
export function LockBar({ room }: { room: RoomState }) {
  const { t } = useTranslation();
  const client = useRoomClient();
  const state = useRoomState();
  const { drafts } = useDrafts();
  const m = room.minutes;
  const unsaved = Object.values(drafts).filter((d) => d.text !== null).length;
  const latest = m.lockedVersions.at(-1);
  const current = m.locked ? latest : undefined;
  return (
    <section className="minutes-block lock-bar" aria-labelledby="minutes-version-heading" data-testid="minutes-lock-bar" data-locked={m.locked}>
      <h3 id="minutes-version-heading" className="panel-heading">
        <span data-testid="minutes-version" data-version={m.version}>
          {t('minutes.lock.version', { version: m.version })}
        </span>{' '}
        <span className={m.locked ? 'chip pass' : 'chip'} data-testid="minutes-version-state">
          {m.locked ? t('minutes.lock.locked') : t('minutes.lock.draft')}
        </span>
        {m.published && <span className="chip">{t('minutes.lock.publishedBadge')}</span>}
      </h3>
      {current !== undefined && <LockedFacts locked={current} />}
      {m.locked ? (
        <ConfirmButton
          className="button small"
          data-testid="minutes-new-version"
          confirm={t('minutes.lock.confirmNewVersion', { version: m.version + 1 })}
          onConfirm={() => client.act('minutes:unlockNewVersion', {})}
        >
          {t('minutes.lock.newVersion')}
        </ConfirmButton>
      ) : (
        <>
          <ConfirmButton
            className="button primary small"
            data-testid="minutes-lock"
            disabled={!room.ended || unsaved > 0}
            confirm={t('minutes.lock.confirmLock', { version: m.version })}
            onConfirm={() => client.act('minutes:lock', {})}
          >
            {t('minutes.lock.lock')}
          </ConfirmButton>
          {!room.ended ? (
            <p className="field-hint">{t('minutes.lock.afterMeeting')}</p>
          ) : (
            unsaved > 0 && (
              <p className="field-hint" data-testid="minutes-unsaved-count">
                {t('minutes.lock.unsaved', { count: unsaved })}
              </p>
            )
          )}
        </>
      )}
      {canIssue(state, 'minutes:publish') && latest !== undefined && (
        <label className="check">
          <input
            type="checkbox"
            data-testid="minutes-publish"
            checked={m.published}
            onChange={(e) => client.act('minutes:publish', { published: e.target.checked })}
          />
          {t('minutes.lock.publish')}
        </label>
      )}
      {m.lockedVersions.length > (current === undefined ? 0 : 1) && <History versions={m.lockedVersions} current={current} />}
      <MinutesDownloads roomId={room.id} />
    </section>
  );
}

/** When and where in the log a version was locked, the hash of its content, and what the hashes are for. */
function LockedFacts({ locked }: { locked: LockedVersion }) {
  const { t } = useTranslation();
  return (
    <>
      <p className="field-hint" data-testid="minutes-hash-explained">
        {t('minutes.lock.hashExplained')}
      </p>
      <dl className="minutes-facts lock-facts" data-testid="minutes-locked-facts">
        <dt>{t('minutes.lock.lockedAt')}</dt>
        <dd>{formatDateTime(locked.lockedAt)}</dd>
        <dt>{t('minutes.lock.contentHash')}</dt>
        <dd>
          <code className="hash" data-testid="minutes-content-hash">
            {locked.contentHash}
          </code>
        </dd>
        <dt>{t('minutes.lock.chainHead')}</dt>
        <dd>
          {t('minutes.lock.chainSeq', { seq: locked.chainSeq })}{' '}
          <code className="hash" data-testid="minutes-chain-hash">
            {locked.chainHash}
          </code>
        </dd>
      </dl>
    </>
  );
}

/** Versions locked before (the current one, if locked, is shown above). */
function History({ versions, current }: { versions: LockedVersion[]; current: LockedVersion | undefined }) {
  const { t } = useTranslation();
  return (
    <details className="lock-history">
      <summary>{t('minutes.lock.history')}</summary>
      <ol className="minutes-list">
        {versions
          .filter((v) => v !== current)
          .map((v) => (
            <li key={v.version} data-testid="minutes-locked-version">
              {t('minutes.lock.historyRow', { version: v.version, time: formatDateTime(v.lockedAt) })}
              <br />
              <code className="hash">{v.contentHash}</code>
            </li>
          ))}
      </ol>
    </details>
  );
}
