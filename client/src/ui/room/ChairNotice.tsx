/**
 * What members must know about the chair: it was handed to someone (主持人已移交给 X), or the
 * chair has left and nobody runs the meeting. The end of the meeting is the exit screen's.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import type { RoomState } from '../../../../signaling/room/state.js';
import { useRoomState } from '../context.js';

/** The host present in the meeting, if any. */
function chairOf(room: RoomState): string | null {
  return Object.values(room.participants).find((p) => p.role === 'host' && p.status === 'admitted')?.id ?? null;
}

/** A banner while there is news about the chair. */
export function ChairNotice({ room }: { room: RoomState }) {
  const { t } = useTranslation();
  const { peerId } = useRoomState();
  const chair = chairOf(room);
  const previous = useRef(chair);
  // The chair handed over while I watched; dismissed by 知道了 (a new hand-over shows again).
  const [handedTo, setHandedTo] = useState<string | null>(null);
  useEffect(() => {
    const before = previous.current;
    previous.current = chair;
    if (chair !== null && before !== null && before !== chair) setHandedTo(chair);
  }, [chair]);

  if (handedTo !== null && handedTo === chair) {
    const name = room.participants[handedTo]?.name ?? '';
    return (
      <div className="banner chair-notice" role="status" aria-live="polite" data-testid="chair-notice" data-kind="handedOver">
        <span>{handedTo === peerId ? t('chair.handedToMe') : t('chair.handedOver', { name })}</span>
        <button type="button" className="button small" data-testid="chair-notice-dismiss" onClick={() => setHandedTo(null)}>
          {t('chair.dismiss')}
        </button>
      </div>
    );
  }
  // Only once somebody chaired: a chair gone for good (left, removed), not one not yet arrived.
  const hadChair = Object.values(room.participants).some((p) => p.role === 'host');
  if (chair === null && hadChair && !room.ended) {
    return (
      <div className="banner chair-notice" role="status" aria-live="polite" data-testid="chair-notice" data-kind="left">
        <span>{t('chair.left')}</span>
      </div>
    );
  }
  return null;
}
