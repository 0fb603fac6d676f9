/**
 * A point of order on the stage (程序性问题). For the chair, while someone speaks and a point of
 * order waits: who raised it and why, and one button that pauses the speech and gives it the
 * floor (floor:interrupt). For everybody, while a speech waits for the point of order: whose,
 * and its time left, frozen where the interruption stopped it (read from the room's server
 * timestamps, never from this browser's clock); the chair may end that speech instead.
 */
import { useTranslation } from '../../i18n/useTranslation.js';
import { waitingClock } from '../../../../signaling/room/floorClock.js';
import type { Floor } from '../../../../signaling/room/state.js';
import { formatMmSs } from '../../room/countdown.js';
import { pointOfOrderToTake } from '../../room/pointOfOrder.js';
import { canIssue, floorView } from '../../roomSelectors.js';
import { ConfirmButton } from '../ConfirmButton.js';
import { useRoomClient, useRoomState } from '../context.js';

/** The chair's alert with its one action; nothing for anyone else or when no point of order waits. */
export function PointOfOrderAlert({ floor }: { floor: Floor }) {
  const { t } = useTranslation();
  const client = useRoomClient();
  const state = useRoomState();
  const room = state.room;
  const entry = room === null ? null : pointOfOrderToTake(room);
  if (room === null || entry === null || !canIssue(state, 'floor:interrupt')) return null;
  const name = room.participants[entry.participantId]?.name ?? '';
  const speaker = floorView(state, floor.holder).name;
  return (
    <div className="banner point-of-order" role="alert" aria-label={t('pointOfOrder.alertRegion')} data-testid="point-of-order-alert">
      <div className="point-of-order-text">
        <strong>{t('pointOfOrder.alert', { name })}</strong>
        {entry.note !== '' && <span>{t('pointOfOrder.alertNote', { note: entry.note })}</span>}
        <span className="field-hint">{t('pointOfOrder.interruptHint', { speaker })}</span>
      </div>
      <button
        type="button"
        className="button primary"
        data-testid="point-of-order-interrupt"
        onClick={() => void client.act('floor:interrupt', { participantId: entry.participantId })}
      >
        {t('pointOfOrder.interrupt')}
      </button>
    </div>
  );
}

/** The speech waiting for the point of order on the floor, if any. */
export function WaitingSpeech({ floor }: { floor: Floor }) {
  const { t } = useTranslation();
  const client = useRoomClient();
  const state = useRoomState();
  const interrupted = floor.interrupted;
  if (interrupted === undefined || state.room === null) return null;
  const clock = waitingClock(interrupted, state.room.settings);
  const speaker = floorView(state, interrupted.floor.holder).name;
  const chair = canIssue(state, 'floor:revoke');
  return (
    <div className="banner waiting-speech" role="status" data-testid="waiting-speech" data-remaining-ms={clock.remainingMs}>
      <div className="point-of-order-text">
        <strong>{t('pointOfOrder.waiting', { speaker, time: formatMmSs(clock.remainingMs, 'up') })}</strong>
        <span className="field-hint">{t(chair ? 'pointOfOrder.waitingHintChair' : 'pointOfOrder.waitingHint')}</span>
      </div>
      {chair && (
        <ConfirmButton
          className="button small danger"
          data-testid="waiting-speech-end"
          confirm={t('pointOfOrder.endWaitingQuestion', { speaker })}
          confirmLabel={t('pointOfOrder.endWaiting')}
          danger
          onConfirm={() => void client.act('floor:revoke', { interrupted: true })}
        >
          {t('pointOfOrder.endWaiting')}
        </ConfirmButton>
      )}
    </div>
  );
}
