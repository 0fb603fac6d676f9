/**
 * The chair leaving: end the meeting for everybody, or hand the chair to a member present and
 * leave, or stay. Members would otherwise be left in a room nobody runs.
 */
import { useState } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import { mayTakeChair } from '../../../../signaling/room/roles.js';
import type { Participant, RoomState } from '../../../../signaling/room/state.js';
import { useRoomClient } from '../context.js';
import { Dialog } from '../Dialog.js';

/** Who may take the chair from `me` now: members present (the server checks the same, roles.ts). */
export function chairSuccessors(room: RoomState, me: string): Participant[] {
  return Object.values(room.participants).filter((p) => p.id !== me && p.status === 'admitted' && p.online && mayTakeChair(p.role));
}

/** The host's leave question. */
export function LeaveDialog({ room, me, onCancel }: { room: RoomState; me: string; onCancel: () => void }) {
  const { t } = useTranslation();
  const client = useRoomClient();
  const successors = chairSuccessors(room, me);
  const [to, setTo] = useState('');
  // Whoever was chosen may have left meanwhile.
  const chosen = successors.some((p) => p.id === to) ? to : '';
  return (
    <Dialog title={t('chair.leaveTitle')} onCancel={onCancel} data-testid="leave-dialog">
      <p>{t('chair.leaveBody')}</p>
      <section className="leave-choice" aria-labelledby="leave-handover-heading">
        <h3 id="leave-handover-heading" className="panel-heading">
          {t('chair.handOver')}
        </h3>
        {successors.length === 0 ? (
          <p className="field-hint" data-testid="leave-nobody">
            {t('chair.nobodyToHandOver')}
          </p>
        ) : (
          <>
            <label className="field">
              <span>{t('chair.handOverTo')}</span>
              <select data-testid="leave-handover-to" value={chosen} onChange={(event) => setTo(event.target.value)}>
                <option value="">{t('chair.handOverPick')}</option>
                {successors.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.sector === '' ? p.name : `${p.name}（${p.sector}）`}
                  </option>
                ))}
              </select>
            </label>
            <p className="field-hint">{t('chair.handOverHint')}</p>
            <button
              type="button"
              className="button primary"
              data-testid="leave-handover"
              disabled={chosen === ''}
              onClick={() => {
                onCancel();
                client.handOverAndLeave(chosen);
              }}
            >
              {t('chair.handOver')}
            </button>
          </>
        )}
      </section>
      <section className="leave-choice" aria-labelledby="leave-end-heading">
        <h3 id="leave-end-heading" className="panel-heading">
          {t('chair.endAll')}
        </h3>
        <p className="field-hint">{t('chair.endAllHint')}</p>
        <button
          type="button"
          className="button danger"
          data-testid="leave-end"
          onClick={() => {
            onCancel();
            void client.act('room:end', {});
          }}
        >
          {t('chair.endAll')}
        </button>
      </section>
      <div className="dialog-actions">
        <button type="button" className="button" data-testid="leave-cancel" onClick={onCancel}>
          {t('chair.cancel')}
        </button>
      </div>
    </Dialog>
  );
}
