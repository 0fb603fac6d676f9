/**
 * While a roll call runs: the "到" button for everybody called, and what the server heard of
 * my microphone (rollCall.ts): until it hears it, the banner asks me to turn it on and say a
 * word. A venue terminal reports its hall's members here too.
 */
import { useTranslation } from '../../i18n/useTranslation.js';
import { mayAnswerRollCall } from '../../../../signaling/room/attendance.js';
import { rollCallAnswer } from '../../../../signaling/room/rollCall.js';
import type { RoomState } from '../../../../signaling/room/state.js';
import { canIssue } from '../../roomSelectors.js';
import { useRoomClient, useRoomState } from '../context.js';
import { HeadcountForm } from '../people/Attendance.js';

/** Nothing unless a roll call runs and I am called (a seat, attendance.ts). */
export function RollCallBanner({ room }: { room: RoomState }) {
  const { t } = useTranslation();
  const client = useRoomClient();
  const state = useRoomState();
  const { peerId } = state;
  const rc = room.rollCall;
  if (rc === null || rc.endedAt !== null || peerId === null || !mayAnswerRollCall(room, peerId)) return null;
  const answer = rollCallAnswer(rc, peerId);
  const me = room.participants[peerId];
  const micOff = state.local.mic === null || state.local.mic.paused;
  const unheard = answer === 'silent' || answer === 'noMic';
  return (
    <div className={unheard ? 'banner rollcall warn' : 'banner rollcall'} role="status" aria-live="polite" data-testid="rollcall-banner" data-answer={answer}>
      {answer === 'present' && <span data-testid="rollcall-confirmed">{t('rollCall.present')}</span>}
      {unheard && (
        <>
          <span data-testid="rollcall-unheard">{t(answer === 'noMic' && micOff ? 'rollCall.noMic' : 'rollCall.silent')}</span>
          {micOff && (
            <button type="button" className="button small" data-testid="rollcall-open-mic" onClick={() => client.toggleMic()}>
              {t('rollCall.openMic')}
            </button>
          )}
        </>
      )}
      {(answer === 'none' || answer === 'heard') && (
        <>
          <span>{t(answer === 'heard' ? 'rollCall.heardHint' : 'rollCall.prompt')}</span>
          <button type="button" className="button primary small" data-testid="rollcall-confirm" onClick={() => client.act('rollCall:confirm', {})}>
            {t('rollCall.confirm')}
          </button>
        </>
      )}
      {me !== undefined && canIssue(state, 'rollCall:headcount') && <HeadcountForm room={room} me={me} />}
    </div>
  );
}
