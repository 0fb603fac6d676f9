/**
 * The minutes as files: Word (.docx, opens in Word and WPS), Markdown, and the print page,
 * which opens in a new tab ready to print. The request carries the invite as a bearer token,
 * so each file is fetched here and handed to the browser, rather than linked.
 */
import { useState } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import { errorCodeOf, type ClientErrorCode } from '../../errors.js';
import { fetchMinutesFile, MINUTES_FORMATS, type MinutesFormat } from '../../net/minutesApi.js';
import { useRoomState } from '../context.js';
import { saveBlob } from '../saveBlob.js';
import { openPrintTab, showAndPrint } from './printView.js';

type Status =
  | { format: MinutesFormat; state: 'busy' }
  | { format: MinutesFormat; state: 'failed'; error: ClientErrorCode }
  /** The browser refused a new tab for the print page: it was downloaded instead. */
  | { format: MinutesFormat; state: 'printBlocked' }
  | null;

/**
 * Buttons that download each export of the room's minutes, with this page's invite. Also on
 * the join page of an ended meeting, before (or without) joining: hence a room id, not a state.
 */
export function MinutesDownloads({ roomId }: { roomId: string }) {
  const { t } = useTranslation();
  const { invite } = useRoomState();
  const [status, setStatus] = useState<Status>(null);
  const token = invite.kind === 'none' ? null : invite.token;
  if (token === null) return null;
  const download = (format: MinutesFormat): void => {
    const tab = format === 'html' ? openPrintTab(t('minutes.download.preparing')) : null;
    setStatus({ format, state: 'busy' });
    fetchMinutesFile(roomId, format, token).then(
      (file) => {
        if (tab) {
          showAndPrint(tab, file.blob);
          setStatus(null);
          return;
        }
        saveBlob(file.blob, file.fileName);
        setStatus(format === 'html' ? { format, state: 'printBlocked' } : null);
      },
      (error: unknown) => {
        tab?.close();
        console.warn(`downloading the minutes as ${format} failed`, error);
        setStatus({ format, state: 'failed', error: errorCodeOf(error) });
      },
    );
  };
  return (
    <div className="minutes-downloads" role="group" aria-label={t('minutes.download.title')}>
      <span className="muted-text">{t('minutes.download.title')}</span>
      <div className="row-actions">
        {MINUTES_FORMATS.map((format) => (
          <button
            key={format}
            type="button"
            className="button small"
            data-testid={`minutes-download-${format}`}
            disabled={status?.state === 'busy'}
            aria-busy={status?.format === format && status.state === 'busy'}
            onClick={() => download(format)}
          >
            {t(`minutes.download.${format}`)}
          </button>
        ))}
      </div>
      <p role="status" className="field-hint" data-testid="minutes-download-status">
        {status === null
          ? ''
          : status.state === 'busy'
            ? t('minutes.download.busy')
            : status.state === 'printBlocked'
              ? t('minutes.download.printBlocked')
              : t('minutes.download.failed', { reason: t(`errors.${status.error}`) })}
      </p>
    </div>
  );
}
