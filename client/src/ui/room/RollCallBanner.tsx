/** While a roll call runs: the "I'm here" button for everybody called. */
import { useTranslation } from 'react-i18next';
import { mayAnswerRollCall } from '../../../../signaling/room/attendance.js';
import type { RoomState } from '../../../../signaling/room/state.js';
import { useRoomClient, useRoomState } from '../context.js';

/** Nothing unless a roll call runs and I am called (a seat, attendance.ts). */
export function RollCallBanner({ room }: { room: RoomState }) {
  const { t } = useTranslation();
  const client = useRoomClient();
  const { peerId } = useRoomState();
  const rc = room.rollCall;
  if (rc === null || rc.endedAt !== null || peerId === null || !mayAnswerRollCall(room, peerId)) return null;
  const done = rc.confirmed[peerId] !== undefined;
  return (
    <div className="banner rollcall" role="status" aria-live="polite" data-testid="rollcall-banner">
      {done ? (
        <span data-testid="rollcall-confirmed">{t('people.rollCallConfirmed')}</span>
      ) : (
        <>
          <span>{t('people.rollCallPrompt')}</span>
          <button type="button" className="button primary small" data-testid="rollcall-confirm" onClick={() => client.act('rollCall:confirm', {})}>
            {t('people.rollCallConfirm')}
          </button>
        </>
      )}
    </div>
  );
}
